"""延滞金 rules: the rates by calendar year, the one-month boundary, spans across 1 January,
partial payments, the base and result truncations, and the law data itself."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from kyodo.rules import lawdata
from kyodo.rules.entaikin import REQUIRED_FIGURES, TOPIC, calculate
from kyodo.rules.entaikin.kikan import first_period_end
from kyodo.rules.entaikin.wariai import wariai
from kyodo.rules.inputs import InputError


def claim(
    tax: int, due: str, *payments: tuple[str, int], as_of: str | None = None
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "tax": tax,
        "due_date": due,
        "payments": [{"date": d, "amount": a} for d, a in payments],
    }
    if as_of:
        data["as_of"] = as_of
    return data


# --- the law data ------------------------------------------------------------------------------


@pytest.mark.parametrize("year", lawdata.available_years(TOPIC))
def test_each_year_has_exactly_the_figures_the_calculator_reads(year: int) -> None:
    law = lawdata.load(TOPIC, year)
    assert law.kind == "calendar_year"
    law.require(REQUIRED_FIGURES)
    assert set(law.figures) == set(REQUIRED_FIGURES), "unused figures are dead data"


@pytest.mark.parametrize(
    ("year", "kijun", "first", "later"),
    [
        # rules.md §10.2 (米沢市 http://www.city.yonezawa.yamagata.jp/soshiki/1/1004/2/10389.html)
        (2022, "0.014", "0.024", "0.087"),
        (2023, "0.014", "0.024", "0.087"),
        (2024, "0.014", "0.024", "0.087"),
        (2025, "0.014", "0.024", "0.087"),
        (2026, "0.018", "0.028", "0.091"),
        # 本庄市 https://www.city.honjo.lg.jp/soshiki/soumu/syuunou/tantoujouhou/entaikin.html
        (2021, "0.015", "0.025", "0.088"),
    ],
)
def test_rates_by_calendar_year_match_rules_md(
    year: int, kijun: str, first: str, later: str
) -> None:
    rates = wariai(lawdata.Reader(lawdata.load(TOPIC, year)), year)
    assert (str(rates.kijun), str(rates.first), str(rates.later)) == (kijun, first, later)


def test_an_unknown_calendar_year_is_refused_naming_the_field() -> None:
    with pytest.raises(InputError) as error:
        calculate(claim(10_000, "2020-05-31", ("2021-01-31", 10_000)))
    (problem,) = error.value.problems
    assert problem.path == "due_date"
    assert "2020年の延滞金の割合（法令データ）がありません" in problem.reason
    assert "2021、2022" in problem.reason
    with pytest.raises(InputError) as error:
        calculate(claim(10_000, "2026-05-31", ("2027-01-31", 10_000)))
    assert error.value.problems[0].path == "payments[0].date"


# --- the one-month boundary (民法 第143条) --------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "end"),
    [
        ("2026-02-02", "2026-03-02"),  # the day before the corresponding day
        ("2021-05-31", "2021-06-30"),  # start 6月1日: to the end of June (豊橋市)
        ("2024-01-31", "2024-02-29"),  # start 2月1日 of a leap year (富里市)
        ("2026-01-30", "2026-02-28"),  # start 1月31日: February has no 31st
        ("2028-01-28", "2028-02-28"),  # start 1月29日: 2月29日 exists, so the 28th
        ("2026-12-31", "2027-01-31"),  # across the year
    ],
)
def test_first_period_end(due: str, end: str) -> None:
    """民法 第143条 via 地方税法 第20条の5; https://d3vj4k4n1zwj.cloudfront.net/qa/q2614627.html"""
    assert first_period_end(datetime.date.fromisoformat(due), 1) == datetime.date.fromisoformat(end)


def test_the_last_day_of_the_first_month_takes_the_lower_rate_and_the_next_the_higher() -> None:
    on_boundary = calculate(claim(100_000, "2026-02-02", ("2026-03-02", 100_000)))
    assert [(s["rate"], s["days"]) for s in on_boundary["segments"]] == [(0.028, 28)]
    day_after = calculate(claim(100_000, "2026-02-02", ("2026-03-03", 100_000)))
    assert [(s["rate"], s["days"]) for s in day_after["segments"]] == [(0.028, 28), (0.091, 1)]


def test_paid_on_the_due_date_owes_nothing() -> None:
    result = calculate(claim(100_000, "2026-02-02", ("2026-02-02", 100_000)))
    assert result["entaikin"] == 0
    assert result["segments"] == []


def test_a_span_crossing_1_january_splits_where_the_rate_changes() -> None:
    """2025: 8.7%, 2026: 9.1% (rules.md §10.2)."""
    result = calculate(claim(1_000_000, "2025-10-31", ("2026-01-10", 1_000_000)))
    assert [(s["from"], s["to"], s["days"], s["rate"]) for s in result["segments"]] == [
        ("2025-11-01", "2025-11-30", 30, 0.024),
        ("2025-12-01", "2025-12-31", 31, 0.087),
        ("2026-01-01", "2026-01-10", 10, 0.091),
    ]
    # 1,972.60 + 7,389.04 + 2,493.15 → 1,972 + 7,389 + 2,493 = 11,854 → 11,800.
    assert [s["amount"] for s in result["segments"]] == [1_972, 7_389, 2_493]
    assert result["entaikin"] == 11_800


def test_the_first_month_itself_can_cross_1_january() -> None:
    """納期限 12月25日: 12月26日〜1月25日 at the lower rate, of 2025 and then of 2026."""
    result = calculate(claim(1_000_000, "2025-12-25", ("2026-01-25", 1_000_000)))
    assert [(s["days"], s["rate"], s["years"]) for s in result["segments"]] == [
        (6, 0.024, [2025]),
        (25, 0.028, [2026]),
    ]


def test_equal_rates_in_consecutive_years_make_one_span() -> None:
    result = calculate(claim(50_000, "2023-05-31", ("2024-06-30", 50_000)))
    later = result["segments"][1]
    assert (later["from"], later["to"], later["years"]) == (
        "2023-07-01",
        "2024-06-30",
        [2023, 2024],
    )
    assert later["days"] == 366  # 2024-02-29 counts as a day, the year still has 365


# --- partial payments and the base ---------------------------------------------------------------


def test_a_partial_payment_lowers_the_base_from_the_next_day() -> None:
    result = calculate(claim(56_400, "2026-02-02", ("2026-02-20", 30_000), ("2026-05-29", 26_400)))
    assert [
        (s["from"], s["to"], s["unpaid"], s["base"], s["rate"]) for s in result["segments"]
    ] == [
        ("2026-02-03", "2026-02-20", 56_400, 56_000, 0.028),
        ("2026-02-21", "2026-03-02", 26_400, 26_000, 0.028),
        ("2026-03-03", "2026-05-29", 26_400, 26_000, 0.091),
    ]


def test_a_remainder_under_2000_yen_accrues_nothing() -> None:
    result = calculate(claim(51_999, "2026-02-02", ("2026-02-10", 50_000), ("2026-12-31", 1_999)))
    assert [s["base"] for s in result["segments"]] == [51_000, 0, 0]
    assert all(s["amount"] == 0 for s in result["segments"][1:])


@pytest.mark.parametrize(("tax", "base"), [(1_999, 0), (2_000, 2_000), (2_999, 2_000)])
def test_the_base_is_truncated_to_1000_yen_and_nothing_under_2000(tax: int, base: int) -> None:
    result = calculate(claim(tax, "2025-01-31", ("2026-01-31", tax)))
    assert {s["base"] for s in result["segments"]} == {base}


def test_under_1000_yen_is_waived_and_the_rest_truncated_to_100() -> None:
    # 100,000 × 2.8% × 28 / 365 = 214.79 + 100,000 × 9.1% × 31 / 365 = 772.87 → 986: waived.
    small = calculate(claim(100_000, "2026-02-02", ("2026-04-02", 100_000)))
    steps = {s["id"]: s["value"] for s in small["steps"]}
    assert steps["entaikin.before_rounding"] == 214 + 772
    assert small["entaikin"] == 0
    # One more day at 9.1% (24.93): 1,011 → 1,000.
    enough = calculate(claim(100_000, "2026-02-02", ("2026-04-03", 100_000)))
    assert {s["id"]: s["value"] for s in enough["steps"]}["entaikin.rounded"] == 1_000
    assert enough["entaikin"] == 1_000


def test_unpaid_tax_is_computed_to_as_of() -> None:
    result = calculate(claim(56_400, "2026-02-02", ("2026-03-31", 10_000), as_of="2026-05-29"))
    assert result["end_date"] == "2026-05-29"
    assert result["unpaid"] == 46_400
    assert result["segments"][-1]["base"] == 46_000


def test_payments_beyond_the_tax_are_not_a_base_and_are_shown() -> None:
    result = calculate(claim(56_400, "2026-02-02", ("2026-05-29", 60_000)))
    assert result["entaikin"] == 1_300
    assert {s["id"]: s["value"] for s in result["steps"]}["excess_payment"] == 3_600


def test_payments_in_any_order() -> None:
    ordered = calculate(claim(56_400, "2026-02-02", ("2026-02-20", 30_000), ("2026-05-29", 26_400)))
    shuffled = calculate(
        claim(56_400, "2026-02-02", ("2026-05-29", 26_400), ("2026-02-20", 30_000))
    )
    assert shuffled["segments"] == ordered["segments"]
