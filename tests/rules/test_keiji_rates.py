"""軽自動車税 種別割 for 令和8年度: every rate table of rules.md §4 with its source, the 13-year
重課 boundary month, the 旧税率 boundary, the 重課 exemptions and the グリーン化特例."""

from __future__ import annotations

from typing import Any

import pytest

from kyodo.rules import lawdata
from kyodo.rules.keiji import CLASSES, REQUIRED_FIGURES, TOPIC, calculate


def vehicle(kind: str, **fields: Any) -> dict[str, Any]:
    return {"fiscal_year": 2026, "class": kind, **fields}


def car(
    first: str,
    fuel: str = "gasoline",
    kind: str = "kei4_passenger",
    use: str = "private",
    **fields: Any,
) -> dict[str, Any]:
    return vehicle(kind, use=use, first_inspection=first, fuel=fuel, **fields)


@pytest.mark.parametrize("year", lawdata.available_years(TOPIC))
def test_each_year_has_exactly_the_figures_the_calculator_reads(year: int) -> None:
    law = lawdata.load(TOPIC, year)
    law.require(REQUIRED_FIGURES)
    assert set(law.figures) == set(REQUIRED_FIGURES), "unused figures are dead data"
    # Every fuel the 重課 table knows is known to the グリーン化 table, and the reverse.
    assert set(law.figure("jukazei.exempt_fuels").value) == set(law.figure("green.ev_fuels").value)


@pytest.mark.parametrize(
    ("kind", "amount"),
    [
        ("gentsuki_50", 2_000),
        ("gentsuki_90", 2_000),
        ("gentsuki_125", 2_400),
        ("minicar", 3_700),
        ("kei2_250", 3_600),
        ("kogata2", 6_000),
        ("special_farm", 2_400),
        ("special_other", 5_900),
    ],
)
def test_motorcycles_mopeds_and_small_special_vehicles(kind: str, amount: int) -> None:
    """rules.md §4 [src]: 門真市 https://www.city.kadoma.osaka.jp/kurashi/zeikin/3/4646.html ;
    大津市 https://www.city.otsu.lg.jp/kurashi/zei/keiji/31632.html ; 伊豆の国市
    https://www.city.izunokuni.shizuoka.jp/kazei_shimin/kurashi/zeikin/keijidousha/zeiritu.html"""
    result = calculate(vehicle(kind))
    assert (result["tax"], result["rate_kind"]) == (amount, "new")
    # Their rate does not depend on age: an old first inspection changes nothing.
    assert calculate(vehicle(kind, first_inspection="1990-01", fuel="gasoline"))["tax"] == amount
    assert result["unconfirmed"] == []


# rules.md §4 [src] (三輪・四輪): the standard rates from the pages above; the old and 重課 rates
# from https://expydoc.com/doc/9799508/ .
THREE_AND_FOUR = [
    # kind, use, new, old, heavy
    ("kei3", "private", 3_900, 3_100, 4_600),
    ("kei4_passenger", "private", 10_800, 7_200, 12_900),
    ("kei4_passenger", "commercial", 6_900, 5_500, 8_200),
    ("kei4_cargo", "private", 5_000, 4_000, 6_000),
    ("kei4_cargo", "commercial", 3_800, 3_000, 4_500),
]


@pytest.mark.parametrize(("kind", "use", "new", "old", "heavy"), THREE_AND_FOUR)
def test_three_and_four_wheelers_by_first_inspection(
    kind: str, use: str, new: int, old: int, heavy: int
) -> None:
    """Matsudo (rules.md §4, https://www.city.matsudo.chiba.jp/kurashi/zeikin_top/keiji/jukazeiritsu.html):
    first inspected 2012-04〜2013-03 → 重課 from 令和8年度, 2013-04〜2014-03 from 令和9年度.
    新税率 from a first inspection in April 2015."""
    cases = [
        ("2012-04", heavy, "heavy"),
        ("2013-03", heavy, "heavy"),  # the last month of 重課 in 令和8年度
        ("2013-04", old, "old"),  # the first month without it
        ("2015-03", old, "old"),  # the last month of the 旧税率
        ("2015-04", new, "new"),  # the first month of the 新税率
        ("2024-12", new, "new"),
        ("2026-04", new, "new"),  # first inspected in April 2026: owned on 4月1日
    ]
    for first, amount, rate_kind in cases:
        result = calculate(car(first, kind=kind, use=use))
        assert (result["tax"], result["rate_kind"]) == (amount, rate_kind), first


def test_the_2026_bulletin_statement_of_the_heavy_boundary() -> None:
    """ "令和8年度は、初度検査年月が平成24年度以前のものが重課税の対象" (平成24年度 = 2012-04〜
    2013-03): https://mykoho.jp/article/212113/10286327/10358407"""
    assert calculate(car("2011-04"))["rate_kind"] == "heavy"  # 令和7年度 already
    assert calculate(car("2013-03"))["rate_kind"] == "heavy"
    assert calculate(car("2013-04"))["rate_kind"] == "old"


@pytest.mark.parametrize(
    ("fuel", "rate_kind"),
    [
        ("gasoline", "heavy"),
        ("diesel", "heavy"),
        ("lpg", "heavy"),
        ("electric", "old"),
        ("fuel_cell", "old"),
        ("natural_gas", "old"),
        ("methanol", "old"),
        ("mixed_methanol", "old"),
        ("hybrid", "old"),
    ],
)
def test_the_fuels_exempt_from_heavy_pay_the_old_rate(fuel: str, rate_kind: str) -> None:
    """rules.md §4 ("EVs, natural-gas vehicles and similar are excluded from 重課"); the list:
    https://mykoho.jp/article/212113/10286327/10358407 . Exempt from 重課, a vehicle first
    inspected before April 2015 keeps the 旧税率."""
    result = calculate(car("2010-06", fuel=fuel))
    assert result["rate_kind"] == rate_kind
    assert result["tax"] == {"heavy": 12_900, "old": 7_200}[rate_kind]


def test_a_record_with_only_a_year_is_read_as_december() -> None:
    """rules.md §4: before 2003-10-14 some records show only a year; treat the month as
    December."""
    result = calculate(car("2001", kind="kei4_cargo", use="commercial"))
    assert (result["tax"], result["rate_kind"]) == (4_500, "heavy")
    assert "2001-12（年のみの記録のため12月とみなす）" in result["steps"][0]["basis"]


# --- グリーン化特例 (unconfirmed: rules.md §4 [UNCERTAIN]) --------------------------------------

TARA = "https://www.town.tara.lg.jp/kurashi/_1020/_3678/_7240.html"


@pytest.mark.parametrize(
    ("kind", "use", "amount"),
    [
        ("kei3", "private", 1_000),
        ("kei4_passenger", "private", 2_700),
        ("kei4_passenger", "commercial", 1_800),
        ("kei4_cargo", "private", 1_300),
        ("kei4_cargo", "commercial", 1_000),
    ],
)
def test_green_75_for_electric_vehicles_first_inspected_in_fiscal_2025(
    kind: str, use: str, amount: int
) -> None:
    """令和8年度分: 電気・天然ガス軽自動車 first inspected 2025-04〜2026-03, 概ね75%軽減.
    佐伯市 https://www.city.saiki.oita.jp/kiji0033532/index.html ; amounts: 多良木町 (TARA)."""
    for first in ("2025-04", "2026-03"):
        result = calculate(car(first, fuel="electric", kind=kind, use=use))
        assert result["tax"] == amount
        assert result["green"]["kind"] == "ev"
        assert result["rate_kind"] == "new"
        assert set(result["unconfirmed"]) == {"green.period", "green.ev_fuels", "green.ev"}


def test_green_50_for_commercial_passenger_cars_meeting_the_fuel_standard() -> None:
    """営業用 四輪乗用 ガソリン車・ハイブリッド車, 令和2年度燃費基準達成かつ令和12年度燃費基準90%
    達成: 6,900 → 3,500 (多良木町, TARA; 佐伯市)."""
    result = calculate(
        car("2025-09", kind="kei4_passenger", use="commercial", fuel_economy_2030_90=True)
    )
    assert (result["tax"], result["green"]["kind"]) == (3_500, "fuel_economy")
    assert set(result["unconfirmed"]) == {"green.period", "green.fuel_economy"}
    # A private car gets no such tier; nor does one that does not meet the standard.
    private = calculate(car("2025-09", fuel_economy_2030_90=True))
    assert (private["tax"], private["green"]) == (10_800, None)
    plain = calculate(car("2025-09", kind="kei4_passenger", use="commercial"))
    assert (plain["tax"], plain["green"]) == (6_900, None)


@pytest.mark.parametrize("first", ["2025-03", "2026-04"])
def test_green_outside_its_period_is_the_standard_rate(first: str) -> None:
    result = calculate(car(first, fuel="electric"))
    assert (result["tax"], result["green"], result["unconfirmed"]) == (10_800, None, [])


def test_a_gasoline_car_in_the_period_does_not_depend_on_the_unconfirmed_figures() -> None:
    result = calculate(car("2025-06"))
    assert (result["tax"], result["unconfirmed"]) == (10_800, [])


def test_the_classes_are_the_issues() -> None:
    assert set(CLASSES) == {
        "gentsuki_50",
        "gentsuki_90",
        "gentsuki_125",
        "minicar",
        "kei2_250",
        "kogata2",
        "special_farm",
        "special_other",
        "kei3",
        "kei4_passenger",
        "kei4_cargo",
    }
