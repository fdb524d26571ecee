"""Who owned each 物件 on a day, and the 納税義務者 they form.

The owner on a day is the set recorded with the latest 所有開始日 on or before it (of two sets
from the same date, the later recorded): 地方税法 第343条第2項 — the 所有者 is the one registered
as such on the 賦課期日. Co-owners of a 物件 form one 納税義務者, jointly liable (第10条の2第1項):
the 免税点 (第351条) is judged for them together, apart from what each holds alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from kyodo.units.zei_kotei.models import Shoyu, Shoyusha


@dataclass(frozen=True)
class Holder:
    atena_no: int
    share: Fraction


@dataclass(frozen=True)
class Ownership:
    bukken_id: int
    effective_from: dt.date
    holders: tuple[Holder, ...]  # the first is the 代表者

    @property
    def key(self) -> str:
        return owner_key(h.atena_no for h in self.holders)


def owner_key(atena_nos: Iterable[int]) -> str:
    """ ",1001,1002,": one 納税義務者 (an owner alone, or a group of co-owners)."""
    return "," + "".join(f"{n}," for n in sorted(set(atena_nos)))


def atena_nos_of(key: str) -> list[int]:
    return [int(n) for n in key.strip(",").split(",") if n]


def owners_on(day: dt.date, bukken_ids: Iterable[int]) -> dict[int, Ownership]:
    """The owners of each 物件 on ``day``; a 物件 with nothing recorded by then is left out."""
    ids = list(bukken_ids)
    chosen: dict[int, Shoyu] = {}
    rows = Shoyu.objects.filter(bukken_id__in=ids, effective_from__lte=day).order_by(
        "bukken_id", "effective_from", "id"
    )
    for row in rows.only("id", "bukken_id", "effective_from"):
        chosen[row.bukken_id] = row  # the last one wins
    holders: dict[int, list[Holder]] = {}
    owner_rows = Shoyusha.objects.filter(shoyu_id__in=[s.pk for s in chosen.values()]).order_by(
        "shoyu_id", "order"
    )
    for o in owner_rows:
        holders.setdefault(o.shoyu_id, []).append(
            Holder(o.atena_no, Fraction(o.share_numerator, o.share_denominator))
        )
    return {
        bukken_id: Ownership(bukken_id, row.effective_from, tuple(holders.get(row.pk, ())))
        for bukken_id, row in chosen.items()
    }
