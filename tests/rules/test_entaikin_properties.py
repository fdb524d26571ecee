"""Properties of every 延滞金: each amount obeys its truncation, paying earlier (in full or in
part) never increases it, and more tax never means less."""

from __future__ import annotations

import datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kyodo.rules.entaikin import calculate

START = datetime.date(2021, 1, 1)
LAST = datetime.date(2026, 12, 31)  # the calendar years with law data

dates = st.dates(min_value=START, max_value=LAST)
taxes = st.integers(min_value=1, max_value=5_000_000)


def paid_once(tax: int, due: datetime.date, paid: datetime.date) -> dict[str, Any]:
    return {
        "tax": tax,
        "due_date": due.isoformat(),
        "payments": [{"date": paid.isoformat(), "amount": tax}],
    }


@st.composite
def claims(draw: st.DrawFn) -> dict[str, Any]:
    due = draw(st.dates(min_value=START, max_value=LAST - datetime.timedelta(days=1)))
    tax = draw(taxes)
    days = st.dates(min_value=due - datetime.timedelta(days=30), max_value=LAST)
    partial = draw(st.lists(st.tuples(days, st.integers(1, max(1, tax))), max_size=4))
    as_of = draw(st.dates(min_value=max(d for d, _ in partial) if partial else due, max_value=LAST))
    return {
        "tax": tax,
        "due_date": due.isoformat(),
        "payments": [{"date": d.isoformat(), "amount": a} for d, a in partial],
        "as_of": as_of.isoformat(),
    }


@settings(max_examples=300, deadline=None)
@given(claims())
def test_every_amount_obeys_its_truncation(data: dict[str, Any]) -> None:
    """地方税法 第20条の4の2: base in whole 1,000 yen and none under 2,000; the 延滞金 in whole
    100 yen and none under 1,000."""
    result = calculate(data)
    for span in result["segments"]:
        assert span["base"] % 1_000 == 0
        assert span["base"] == 0 or span["base"] >= 2_000
        assert span["base"] <= span["unpaid"]
        assert span["days"] >= 1
    assert result["entaikin"] % 100 == 0
    assert result["entaikin"] == 0 or result["entaikin"] >= 1_000
    assert result["days"] == sum(s["days"] for s in result["segments"])
    # The spans cover the days from the day after the 納期限 to the end, without gaps.
    for before, after in zip(result["segments"], result["segments"][1:], strict=False):
        gap = datetime.date.fromisoformat(after["from"]) - datetime.date.fromisoformat(before["to"])
        assert gap == datetime.timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(taxes, dates, dates, dates)
def test_paying_earlier_never_increases_the_entaikin(
    tax: int, due: datetime.date, one: datetime.date, other: datetime.date
) -> None:
    earlier, later = sorted((one, other))
    assert (
        calculate(paid_once(tax, due, earlier))["entaikin"]
        <= calculate(paid_once(tax, due, later))["entaikin"]
    )


@settings(max_examples=200, deadline=None)
@given(taxes, dates, dates, dates, st.integers(1, 5_000_000))
def test_a_partial_payment_never_increases_the_entaikin(
    tax: int, due: datetime.date, one: datetime.date, other: datetime.date, part: int
) -> None:
    partial_on, paid_on = sorted((one, other))
    part = min(part, tax) or 1
    whole = paid_once(tax, due, paid_on)
    split = {
        **whole,
        "payments": [
            {"date": partial_on.isoformat(), "amount": part},
            {"date": paid_on.isoformat(), "amount": max(1, tax - part)},
        ],
    }
    assert calculate(split)["entaikin"] <= calculate(whole)["entaikin"]


@settings(max_examples=200, deadline=None)
@given(taxes, taxes, dates, dates)
def test_more_tax_never_means_less_entaikin(
    one: int, other: int, due: datetime.date, paid: datetime.date
) -> None:
    low, high = sorted((one, other))
    assert (
        calculate(paid_once(low, due, paid))["entaikin"]
        <= calculate(paid_once(high, due, paid))["entaikin"]
    )
