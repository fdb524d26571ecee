"""徴収 schedules: 普通徴収 installments, 給与特別徴収 monthly amounts, 年金特別徴収, 期限の特例."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyodo.rules.choshu import (
    futsu_installments,
    is_closed,
    kigen,
    kyuyo_tokucho_monthly,
    nenkin_tokucho,
    split,
)

STANDARD_NOKI = ["06-30", "08-31", "10-31", "01-31"]  # 地方税法 第320条 (rules.md §1.9)


def test_kigen_moves_past_weekends_holidays_and_the_new_year_closure() -> None:
    # 地方税法 第20条の5第2項, 施行令 第6条の18.
    assert kigen(dt.date(2026, 6, 30)) == dt.date(2026, 6, 30)  # a Tuesday
    assert kigen(dt.date(2026, 10, 31)) == dt.date(2026, 11, 2)  # Saturday → Monday
    assert kigen(dt.date(2027, 1, 31)) == dt.date(2027, 2, 1)  # Sunday → Monday
    assert kigen(dt.date(2026, 12, 29)) == dt.date(2027, 1, 4)  # 12/29–1/3, then Monday
    assert kigen(dt.date(2026, 11, 3)) == dt.date(2026, 11, 4)  # 文化の日 (a Tuesday)
    assert kigen(dt.date(2026, 5, 3)) == dt.date(2026, 5, 7)  # 憲法記念日 … 振替休日 5/6
    assert not is_closed(dt.date(2026, 12, 28)) and is_closed(dt.date(2027, 1, 3))


def test_standard_futsu_installments_for_fy2026() -> None:
    rows = futsu_installments(56_450, fiscal_year=2026, noki=STANDARD_NOKI)
    assert [r.due for r in rows] == [
        dt.date(2026, 6, 30),
        dt.date(2026, 8, 31),
        dt.date(2026, 11, 2),
        dt.date(2027, 2, 1),
    ]
    # The remainder goes into 第1期; the others are whole hundreds.
    assert [r.amount for r in rows] == [14_150, 14_100, 14_100, 14_100]
    assert futsu_installments(0, fiscal_year=2026, noki=STANDARD_NOKI) == []


def test_a_municipality_may_set_other_noki_and_units() -> None:
    rows = futsu_installments(
        5_000, fiscal_year=2026, noki=["06-30", "08-31", "10-31", "12-25"], unit=1000
    )
    assert [r.amount for r in rows] == [2_000, 1_000, 1_000, 1_000]
    assert rows[-1].due == dt.date(2026, 12, 25)
    with pytest.raises(ValueError, match="順"):
        futsu_installments(5_000, fiscal_year=2026, noki=["01-31", "06-30"])


def test_kyuyo_tokucho_is_june_to_may_with_the_remainder_in_june() -> None:
    # 地方税法 第321条の5 (rules.md §1.9).
    rows = kyuyo_tokucho_monthly(194_500, fiscal_year=2026)
    assert len(rows) == 12 and sum(r.amount for r in rows) == 194_500
    assert rows[0].amount == 16_300 and {r.amount for r in rows[1:]} == {16_200}
    assert rows[0].due == dt.date(2026, 7, 10)  # June's amount is paid by 10 July
    assert rows[-1].due == dt.date(2027, 6, 10)  # May's by 10 June
    # December's is due 10 January 2027, a Sunday before 成人の日 (11 January): the 12th.
    assert rows[6].due == dt.date(2027, 1, 12)


def test_nenkin_tokucho_first_year_and_after() -> None:
    first = nenkin_tokucho(30_000, fiscal_year=2026, previous_annual=None)
    assert [(r.kind, r.amount) for r in first] == [
        ("futsu", 7_500),
        ("futsu", 7_500),
        ("nenkin_hon", 5_000),
        ("nenkin_hon", 5_000),
        ("nenkin_hon", 5_000),
    ]
    later = nenkin_tokucho(33_000, fiscal_year=2027, previous_annual=30_000)
    assert [(r.kind, r.due.month, r.amount) for r in later] == [
        ("nenkin_kari", 4, 5_000),
        ("nenkin_kari", 6, 5_000),
        ("nenkin_kari", 8, 5_000),
        ("nenkin_hon", 10, 6_000),
        ("nenkin_hon", 12, 6_000),
        ("nenkin_hon", 2, 6_000),
    ]
    assert later[-1].due.year == 2028
    lower = nenkin_tokucho(20_000, fiscal_year=2027, previous_annual=60_000)
    assert sum(r.amount for r in lower if r.kind == "nenkin_hon") == 0


@given(st.integers(0, 10**8), st.integers(1, 12), st.sampled_from([100, 1000]))
def test_split_keeps_the_total_and_the_units(total: int, parts: int, unit: int) -> None:
    amounts = split(total, parts, unit)
    assert sum(amounts) == total and len(amounts) == parts
    assert all(a % unit == 0 for a in amounts[1:])
    assert amounts[0] >= max(amounts[1:], default=0)
