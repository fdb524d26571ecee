"""和暦 conversion and date parsing.

Sources for the era boundaries:
- 元号法 (昭和54年法律第43号): 元号は政令で定め、皇位の継承があった場合に限り改める.
- 大正: 改元の詔書 of 明治45年7月30日 (即日, 1912-07-30).
- 昭和: 改元の詔書 of 大正15年12月25日 (即日, 1926-12-25).
- 平成: 元号を改める政令 (昭和64年政令第1号), 公布 1989-01-07, 施行 翌日 1989-01-08.
- 令和: 元号を改める政令 (平成31年政令第143号), 公布 2019-04-01, 施行 2019-05-01.
- 太陽暦: 改暦ノ布告 (明治5年太政官布告第337号), 明治5年12月3日 → 明治6年1月1日 (1873-01-01).
- 住民記録システム標準仕様書 v1.0 §1.1.8 accepts 明治45年7月30日 and 大正15年12月25日
  (https://github.com/AkihiraYOSHIMOTO/jyuki-stnd/blob/master/doc/j80.txt); §1.1.9 requires
  和暦 display; §2.1.3 requires search by 西暦 or 和暦 (standards.md §1.13).
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyodo.rules.wareki import ERAS, SOLAR_CALENDAR_START, era_of, parse_date, to_wareki

D = datetime.date


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-26",
        "2026/11/26",
        "2026.11.26",
        "20261126",
        "2026年11月26日",
        "令和8年11月26日",
        "R8.11.26",
        "R08.11.26",
        "r8/11/26",
        "R8-11-26",
        "R081126",
        "令8.11.26",
        "２０２６－１１－２６",
        "令和８年１１月２６日",
        "Ｒ８．１１．２６",
        " 令和 8年 11月 26日 ",
        "令和\u30008年11月26日",
    ],
)
def test_parse_accepted_forms(text: str) -> None:
    assert parse_date(text) == D(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和元年5月1日", D(2019, 5, 1)),
        ("令和1年5月1日", D(2019, 5, 1)),
        ("R1.5.1", D(2019, 5, 1)),
        ("R元.5.1", D(2019, 5, 1)),
        ("S55.4.1", D(1980, 4, 1)),
        ("H1.1.8", D(1989, 1, 8)),
        ("昭和64年1月7日", D(1989, 1, 7)),
        ("T15.12.24", D(1926, 12, 24)),
        ("M6.1.1", D(1873, 1, 1)),
        ("平成12年2月29日", D(2000, 2, 29)),
    ],
)
def test_parse_examples(text: str, expected: datetime.date) -> None:
    assert parse_date(text) == expected


# Each era boundary: the last day of an era, the first day of the next, and the day after the
# end (or before the start) that does not exist.
BOUNDARIES = [
    # (西暦, long form written by to_wareki, short form)
    (D(1912, 7, 29), "明治45年7月29日", "M45.7.29"),
    (D(1912, 7, 30), "大正元年7月30日", "T1.7.30"),
    (D(1926, 12, 24), "大正15年12月24日", "T15.12.24"),
    (D(1926, 12, 25), "昭和元年12月25日", "S1.12.25"),
    (D(1989, 1, 7), "昭和64年1月7日", "S64.1.7"),
    (D(1989, 1, 8), "平成元年1月8日", "H1.1.8"),
    (D(2019, 4, 30), "平成31年4月30日", "H31.4.30"),
    (D(2019, 5, 1), "令和元年5月1日", "R1.5.1"),
    (D(1873, 1, 1), "明治6年1月1日", "M6.1.1"),
]


@pytest.mark.parametrize(("date", "long", "short"), BOUNDARIES)
def test_era_boundaries(date: datetime.date, long: str, short: str) -> None:
    assert to_wareki(date) == long
    assert to_wareki(date, style="short") == short
    assert parse_date(long) == date
    assert parse_date(short) == date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # 標準仕様書 §1.1.8: the 改元 day may also be written in the old era.
        ("明治45年7月30日", D(1912, 7, 30)),
        ("大正15年12月25日", D(1926, 12, 25)),
    ],
)
def test_the_day_of_an_imperial_rescript_kaigen_belongs_to_both_eras(
    text: str, expected: datetime.date
) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("平成31年5月1日", "令和元年5月1日"),  # 平成 ended on 4月30日
        ("昭和64年1月8日", "平成元年1月8日"),
        ("明治45年7月31日", "大正元年7月30日"),
        ("大正15年12月26日", "昭和元年12月25日"),
        ("令和元年4月30日", "令和は令和元年5月1日"),
        ("平成元年1月7日", "平成は平成元年1月8日"),
        ("大正元年7月29日", "大正は大正元年7月30日"),
        ("昭和元年12月24日", "昭和は昭和元年12月25日"),
        ("H31.5.1", "令和"),
        ("S64.1.8", "平成"),
    ],
)
def test_dates_outside_their_era_are_rejected(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match="存在しません") as error:
        parse_date(text)
    assert reason in str(error.value)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("令和8年2月29日", "存在しない日付"),  # 2026 is not a leap year
        ("2026-02-30", "存在しない日付"),
        ("R8.13.1", "存在しない日付"),
        ("R8.0.1", "存在しない日付"),
        ("令和0年1月1日", "元年"),
        ("明治5年12月2日", "太陰太陽暦"),
        ("明治元年10月23日", "太陰太陽暦"),
        ("", "解釈できません"),
        ("令和", "解釈できません"),
        ("2026-11/26", "解釈できません"),
        ("X8.11.26", "解釈できません"),
        ("令和8年11月26", "解釈できません"),
        ("2026-11-26T00:00", "解釈できません"),
        ("慶応4年1月1日", "解釈できません"),
    ],
)
def test_malformed_or_impossible_text_is_rejected(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


def test_to_wareki_rejects_dates_before_the_solar_calendar() -> None:
    with pytest.raises(ValueError, match="太陽暦"):
        to_wareki(D(1872, 12, 31))


def test_to_wareki_examples() -> None:
    assert to_wareki(D(2026, 11, 26)) == "令和8年11月26日"
    assert to_wareki(D(2026, 11, 26), style="short") == "R8.11.26"
    assert to_wareki(datetime.datetime(2026, 11, 26, 23, 59)) == "令和8年11月26日"  # noqa: DTZ001
    with pytest.raises(ValueError, match="style"):
        to_wareki(D(2026, 11, 26), style="medium")


def test_era_table() -> None:
    assert [era.name for era in ERAS] == ["明治", "大正", "昭和", "平成", "令和"]
    assert [era.letter for era in ERAS] == ["M", "T", "S", "H", "R"]
    assert [era.code for era in ERAS] == [1, 2, 3, 4, 5]
    for earlier, later in itertools.pairwise(ERAS):
        assert earlier.last is not None
        # Each era ends the day before the next starts, or on that day (大正, 昭和 即日改元).
        assert later.start - earlier.last in (datetime.timedelta(0), datetime.timedelta(1))
    assert ERAS[-1].last is None
    assert era_of(D(2100, 12, 31)).name == "令和"


@given(st.dates(min_value=SOLAR_CALENDAR_START, max_value=D(2100, 12, 31)))
def test_round_trip(date: datetime.date) -> None:
    assert parse_date(to_wareki(date)) == date
    assert parse_date(to_wareki(date, style="short")) == date
    assert parse_date(date.isoformat()) == date
