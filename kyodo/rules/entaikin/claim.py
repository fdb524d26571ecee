"""The input of a 延滞金 calculation, checked: one tax amount of one 期別, its 納期限 and payments.

Input (JSON)::

    {"tax": 56400, "due_date": "2026-02-02",
     "payments": [{"date": "2026-05-29", "amount": 56400}],
     "as_of": "2026-06-30"}

* ``tax``: the 本税 of one 期別 (one installment of one tax), in yen. 延滞金 is computed per
  期別, so several installments are several calculations.
* ``due_date``: the 納期限 as it stands (already moved to the next business day where
  地方税法 第20条の5第2項 moves it; the calculator does not know the holidays).
* ``payments`` (optional, default none): payments of the 本税, in any order. A payment is applied
  to the 本税 first, so it lowers the base from the day after its date (国税通則法 第62条 states
  the same rule for national taxes). Money beyond the 本税 is not 本税 and is ignored here.
* ``as_of`` (optional): the day up to which to compute while the tax is not fully paid, as if it
  were paid that day. Required when the payments do not cover the tax.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kyodo.rules.inputs import Checker, join

__all__ = ["Claim", "Payment", "parse", "parse_date"]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Payment:
    path: str  # e.g. "payments[0]", for messages and the trail
    date: datetime.date
    amount: int


@dataclass(frozen=True)
class Claim:
    tax: int
    due_date: datetime.date
    payments: tuple[Payment, ...]  # sorted by date, then by input order
    as_of: datetime.date | None

    @property
    def paid(self) -> int:
        return sum(p.amount for p in self.payments)


def parse_date(check: Checker, value: object, path: str) -> datetime.date | None:
    """A calendar date written ``YYYY-MM-DD``."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        check.fail(path, f"日付は YYYY-MM-DD の形の文字列で指定してください（値: {value!r}）")
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        check.fail(path, f"存在しない日付です（{value}）")
        return None


def _payment(check: Checker, raw: object, path: str) -> Payment | None:
    p: Mapping[str, Any] = check.obj(raw, path, required=("date", "amount"))
    date = parse_date(check, p["date"], join(path, "date")) if "date" in p else None
    amount = 0
    if "amount" in p:
        amount = check.integer(
            p["amount"], join(path, "amount"), minimum=1, maximum=10**12, what="整数（円）"
        )
    if date is None or amount == 0:
        return None
    return Payment(path, date, amount)


def parse(data: object, *, check: Checker | None = None) -> Claim:
    """Check the whole input; raises :class:`~kyodo.rules.inputs.InputError` listing every
    problem."""
    check = check or Checker()
    root: Mapping[str, Any] = check.obj(
        data, "", required=("tax", "due_date"), optional=("payments", "as_of")
    )
    tax = check.yen(root["tax"], "tax") if "tax" in root else 0
    due = parse_date(check, root["due_date"], "due_date") if "due_date" in root else None
    as_of = None
    if root.get("as_of") is not None:
        as_of = parse_date(check, root["as_of"], "as_of")
    as_of_refused = root.get("as_of") is not None and as_of is None  # already reported
    raw_payments = root.get("payments")
    found = [
        _payment(check, item, join("payments", i))
        for i, item in enumerate(
            [] if raw_payments is None else check.array(raw_payments, "payments")
        )
    ]
    payments = tuple(sorted((p for p in found if p is not None), key=lambda p: p.date))
    if as_of is not None:
        for payment in payments:
            if payment.date > as_of:
                check.fail(
                    join(payment.path, "date"),
                    f"as_of（{as_of}）より後の納付です（計算の終わりの日より後の納付は指定できません）",
                )
    paid = sum(p.amount for p in payments)
    # A refused payment has no amount to count: "as_of is required" would be a false alarm.
    payments_refused = any(p is None for p in found)
    if due is not None and paid < tax and as_of is None and not (as_of_refused or payments_refused):
        check.fail(
            "as_of",
            f"本税が完納されていないため必須です（未納 {tax - paid:,}円）: "
            "どの日まで計算するかを YYYY-MM-DD で指定してください",
        )
    check.raise_if_any()
    assert due is not None  # reported above when missing
    return Claim(tax, due, payments, as_of)
