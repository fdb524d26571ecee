"""延滞金 of the ledger's installments: the pure calculator (kyodo.rules.entaikin) on each
installment's figures.

For one installment (期別) as of a date ``on``, the calculator gets:

- ``tax``: the 調定額 as of ``on`` (the first amount plus the 更正 effective by then): 延滞金 runs
  on the 本税 (地方税法 第20条の4の2 and each tax's article, e.g. 第326条 for 個人住民税);
- ``due_date``: the installment's 納期限;
- ``payments``: its 消込 dated on or before ``on`` (収納 and 充当, each on its 効力日). A
  negative 消込 (減額更正 taking back money paid beyond the new 調定額) is left out: that money
  was paid, and the calculator already ignores payments beyond the 本税;
- ``as_of``: ``on`` — the day up to which the 延滞金 of what is still unpaid is counted.

Only installments whose 納期限 has passed by ``on`` are computed (before it no day of delay
exists); one paid in full by its 納期限 comes out as 0. A calculation the law data cannot
cover (a calendar year without rates) gives ``None`` with the calculator's reason — never a
guessed figure.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from kyodo.rules.entaikin import calculate
from kyodo.rules.inputs import InputError
from kyodo.units.shuno.models import Keshikomi


def payments_of(chotei_ids: Iterable[int], *, on: dt.date) -> dict[int, list[tuple[dt.date, int]]]:
    """Each installment's positive 消込 by date (summed per day), up to ``on``."""
    out: dict[int, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    rows = Keshikomi.objects.filter(
        chotei_id__in=list(chotei_ids), applied_on__lte=on, amount__gt=0
    ).values_list("chotei_id", "applied_on", "amount")
    for chotei_id, applied_on, amount in rows:
        out[chotei_id][applied_on] += amount
    return {k: sorted(v.items()) for k, v in out.items()}


def claim(
    *, tax: int, due_date: dt.date, payments: list[tuple[dt.date, int]], on: dt.date
) -> dict[str, Any]:
    """The calculator's input for one installment (its JSON form, as ``kyodo calc entaikin``)."""
    return {
        "tax": tax,
        "due_date": due_date.isoformat(),
        "payments": [{"date": d.isoformat(), "amount": a} for d, a in payments],
        "as_of": on.isoformat(),
    }


def compute(
    *, tax: int, due_date: dt.date, payments: list[tuple[dt.date, int]], on: dt.date
) -> dict[str, Any] | None:
    """The calculator's result for one installment, ``{"error": …}`` when it refuses, or
    ``None`` when there is nothing to compute (not yet past the 納期限, or no 本税)."""
    if due_date >= on or tax <= 0:
        return None
    try:
        return calculate(claim(tax=tax, due_date=due_date, payments=payments, on=on))
    except InputError as exc:
        return {"error": "; ".join(str(p) for p in exc.problems)}
