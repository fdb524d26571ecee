"""徴収 (collection) schedules of 個人住民税: 普通徴収 installments, 給与特別徴収 monthly amounts,
年金特別徴収 (仮徴収・本徴収), and 納期限 moved past holidays. Pure.

Law (rules.md §0 and §1.9):

* 普通徴収 (地方税法 第320条): 納期 in June, August, October and January unless the 条例 says
  otherwise (a tenant parameter). The remainder of dividing the annual amount goes into the
  **first** installment (地方税法 第20条の4の2第6項 [memory]); per-period amounts are whole
  multiples of ``unit`` (1,000 or 100 yen by 条例 practice [memory]).
* 給与特別徴収 (第321条の5): 12 monthly amounts June → May; each is annual / 12 truncated to
  100 yen, the remainder added to June [memory].
* 年金特別徴収 (第321条の7の2 ff.): April, June, August (仮徴収: each 1/3 of half the previous
  year's annual amount) and October, December, February (本徴収: (this year's − 仮徴収) / 3).
  The first year: half by 普通徴収 in June and August, half by 本徴収. Remainders go into the
  first installment of each group [memory].
* 期限の特例 (第20条の5第2項, 施行令 第6条の18): a 納期限 on a Saturday, Sunday, national
  holiday or 12/29–1/3 moves to the next day that is none of them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import holidays

__all__ = [
    "Installment",
    "futsu_installments",
    "is_closed",
    "kigen",
    "kyuyo_tokucho_monthly",
    "nenkin_tokucho",
    "split",
]

TOKUCHO_MONTHS = (6, 7, 8, 9, 10, 11, 12, 1, 2, 3, 4, 5)  # June → May
KARI_MONTHS = (4, 6, 8)  # 仮徴収
HON_MONTHS = (10, 12, 2)  # 本徴収
FIRST_YEAR_FUTSU_DUES = ((6, 30), (8, 31))  # 普通徴収 in the first year of 年金特徴


@dataclass(frozen=True, slots=True)
class Installment:
    """One 期: its number (1-based), the payment's due date or month, and the amount."""

    number: int
    due: dt.date
    amount: int
    kind: str = "futsu"  # futsu | kyuyo_tokucho | nenkin_kari | nenkin_hon

    def as_json(self) -> dict[str, object]:
        return {
            "number": self.number,
            "due": _iso(self.due),
            "amount": self.amount,
            "kind": self.kind,
        }


@cache
def _iso(day: dt.date) -> str:
    # A batch writes millions of installments over a handful of distinct 期限.
    return day.isoformat()


@cache
def _national_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Japan(years=year)


def is_closed(day: dt.date) -> bool:
    """A day on which a 期限 cannot fall (第20条の5第2項, 施行令 第6条の18)."""
    if day.weekday() >= 5 or day in _national_holidays(day.year):
        return True
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


@cache
def kigen(nominal: dt.date) -> dt.date:
    """The 期限: ``nominal``, or the next day on which offices are open."""
    day = nominal
    while is_closed(day):
        day += dt.timedelta(days=1)
    return day


def _month_year(fiscal_year: int, month: int) -> int:
    """Months April–December fall in the fiscal year's own calendar year, January–March in
    the next one."""
    return fiscal_year if month >= 4 else fiscal_year + 1


def split(total: int, parts: int, unit: int) -> list[int]:
    """``total`` into ``parts`` amounts, each but the first a multiple of ``unit``; the first
    takes the remainder (第1期に端数)."""
    if parts < 1 or unit < 1:
        raise ValueError("parts and unit must be positive")
    if total < 0:
        raise ValueError("total must not be negative")
    each = (total // parts) // unit * unit
    return [total - each * (parts - 1)] + [each] * (parts - 1)


def futsu_installments(
    annual: int, *, fiscal_year: int, noki: Sequence[str], unit: int = 100
) -> list[Installment]:
    """普通徴収: ``annual`` over the 条例's 納期 (``"MM-DD"``, in order through the fiscal year)."""
    if annual == 0:
        return []
    dues = []
    for text in noki:
        month, day = (int(part) for part in text.split("-"))
        dues.append(kigen(dt.date(_month_year(fiscal_year, month), month, day)))
    if dues != sorted(dues):
        raise ValueError(f"納期が年度の中で順になっていません: {list(noki)}")
    amounts = split(annual, len(dues), unit)
    return [
        Installment(number=i, due=due, amount=amount)
        for i, (due, amount) in enumerate(zip(dues, amounts, strict=True), start=1)
    ]


@lru_cache(maxsize=1 << 16)
def kyuyo_tokucho_monthly(annual: int, *, fiscal_year: int) -> tuple[Installment, ...]:
    """給与特別徴収: June → May; ``due`` is the employer's payment deadline, the 10th of the
    following month (第321条の5第1項), moved past closed days. Cached (the installments are
    immutable): a 当初課税 of a million taxpayers meets the same annual amounts again and
    again."""
    amounts = split(annual, 12, 100)
    return tuple(
        Installment(number, due, amount, "kyuyo_tokucho")
        for number, (due, amount) in enumerate(
            zip(_kyuyo_tokucho_dues(fiscal_year), amounts, strict=True), start=1
        )
    )


@cache
def _kyuyo_tokucho_dues(fiscal_year: int) -> tuple[dt.date, ...]:
    dues = []
    for month in TOKUCHO_MONTHS:
        year = fiscal_year if month >= 6 else fiscal_year + 1  # June of the year → May after
        dues.append(kigen(dt.date(year + (month == 12), month % 12 + 1, 10)))
    return tuple(dues)


@lru_cache(maxsize=1 << 16)
def nenkin_tokucho(
    annual: int, *, fiscal_year: int, previous_annual: int | None
) -> tuple[Installment, ...]:
    """年金特別徴収 of the tax on pension income. ``previous_annual`` is last year's 年金特徴
    amount (None in the first year: half by 普通徴収 in June and August, half by 本徴収).
    ``due`` is the first day of the month the pension is paid (the 15th in practice).
    Cached like :func:`kyuyo_tokucho_monthly`: amounts are multiples of 100 and recur."""
    out: list[Installment] = []
    if previous_annual is None:
        futsu_half = annual - annual // 2
        for (month, day), amount in zip(
            FIRST_YEAR_FUTSU_DUES, split(futsu_half, 2, 100), strict=True
        ):
            due = kigen(dt.date(fiscal_year, month, day))
            out.append(Installment(len(out) + 1, due, amount, "futsu"))
        rest = annual - futsu_half
    else:
        kari_total = previous_annual // 2
        for month, amount in zip(KARI_MONTHS, split(kari_total, 3, 100), strict=True):
            due = dt.date(fiscal_year, month, 15)
            out.append(Installment(len(out) + 1, due, amount, "nenkin_kari"))
        # A 仮徴収 above this year's tax leaves nothing for 本徴収; the excess is refunded by
        # the collection unit (過誤納), not netted here.
        rest = max(annual - kari_total, 0)
    for month, amount in zip(HON_MONTHS, split(rest, 3, 100), strict=True):
        year = _month_year(fiscal_year, month)
        out.append(Installment(len(out) + 1, dt.date(year, month, 15), amount, "nenkin_hon"))
    return tuple(out)
