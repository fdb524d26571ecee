"""固定資産税・都市計画税 rules at their boundaries: 200 ㎡ per dwelling, the 負担調整 bands,
120 ㎡ and the periods of the 新築 reduction, 免税点, rounding, and the law data itself.

Sources: rules.md §3; 負担調整 大和市
https://www.city.yamato.lg.jp/gyosei/soshik/49/koteishisanzei/tothi/6793.html ; 新築住宅 鈴鹿市
https://www.city.suzuka.lg.jp/life/benri/5314.html ; 免税点 地方税法 第351条 and 名古屋市
https://faq.city.nagoya.jp/faq/detail.aspx?id=1847 .
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from kyodo.rules import lawdata
from kyodo.rules.inputs import InputError
from kyodo.rules.kotei import REQUIRED_FIGURES, TOPIC, calculate
from tests.rules.test_kotei_examples import assets, step


def parcel(use: str, valuation: int, prev: int, area: float = 150, **fields: Any) -> dict[str, Any]:
    item = {"area": area, "valuation": valuation, "use": use, "prev_tax_base": prev}
    if use == "small_residential":
        item["dwelling_units"] = 1
    return {**item, **fields}


def house(built_year: int = 2025, **fields: Any) -> dict[str, Any]:
    item = {
        "valuation": 12_000_000,
        "floor_area": 100,
        "built_year": built_year,
        "fire_resistant": False,
        "stories": 2,
    }
    return {**item, **fields}


def land_result(item: dict[str, Any], **options: Any) -> dict[str, Any]:
    return calculate(assets(land=[item], **options))["land"][0]


@pytest.mark.parametrize("year", lawdata.available_years(TOPIC))
def test_each_year_has_exactly_the_figures_the_calculator_reads(year: int) -> None:
    law = lawdata.load(TOPIC, year)
    law.require(REQUIRED_FIGURES)
    assert set(law.figures) == set(REQUIRED_FIGURES), "unused figures are dead data"


# --- 住宅用地特例 -----------------------------------------------------------------------------


def test_up_to_200_square_metres_per_dwelling_is_small_scale() -> None:
    value = 12_000_000
    at = land_result(parcel("small_residential", value, 10**9, area=200))
    assert at["honsoku_tax_base"] == 2_000_000  # 200 ㎡: all 1/6
    over = land_result(parcel("small_residential", value, 10**9, area=201))
    # 200/201 at 1/6 and 1/201 at 1/3 of the 評価額.
    assert over["honsoku_tax_base"] == int(
        Fraction(value) * Fraction(200, 201) / 6 + Fraction(value) * Fraction(1, 201) / 3
    )
    two = land_result(parcel("small_residential", value, 10**9, area=400, dwelling_units=2))
    assert two["honsoku_tax_base"] == 2_000_000  # 200 ㎡ × 2戸: all 1/6
    decimal_area = land_result(parcel("small_residential", value, 10**9, area=200.01))
    assert decimal_area["honsoku_tax_base"] > 2_000_000


def test_general_residential_and_city_planning_rates() -> None:
    """固定資産税 1/6 and 1/3, 都市計画税 1/3 and 2/3 (地方税法 第349条の3の2, 第702条の3)."""
    options = {"city_planning_rate": 0.003}
    small = land_result(parcel("small_residential", 6_000_000, 10**9, area=100), **options)
    assert (small["tax_base"], small["city_planning_tax_base"]) == (1_000_000, 2_000_000)
    general = land_result(parcel("general_residential", 6_000_000, 10**9), **options)
    assert (general["tax_base"], general["city_planning_tax_base"]) == (2_000_000, 4_000_000)
    shop = land_result(parcel("non_residential", 6_000_000, 10**9), **options)
    assert (shop["tax_base"], shop["city_planning_tax_base"]) == (4_200_000, 4_200_000)


# --- 負担調整 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prev", "tax_base", "rule"),
    [
        (1_000_000, 1_000_000, "honsoku"),  # 負担水準 1.0: the 本則
        (1_200_000, 1_000_000, "honsoku"),  # above: down to the 本則
        (900_000, 950_000, "futan_chosei"),  # 0.9: + 本則 × 5%
        (960_000, 1_000_000, "honsoku"),  # + 5% would pass the 本則
        (100_000, 200_000, "floor"),  # 0.1 + 5% = 0.15 < 20%
        (150_000, 200_000, "futan_chosei"),  # exactly 20%
    ],
)
def test_residential_burden_adjustment(prev: int, tax_base: int, rule: str) -> None:
    result = land_result(parcel("small_residential", 6_000_000, prev, area=100))
    assert result["honsoku_tax_base"] == 1_000_000
    assert (result["tax_base"], result["rule"]) == (tax_base, rule)


@pytest.mark.parametrize(
    ("prev", "tax_base", "rule"),
    [
        (8_000_000, 7_000_000, "upper"),  # 0.8 > 0.7: 評価額 × 70%
        (7_000_001, 7_000_000, "upper"),  # just above 0.7
        (7_000_000, 7_000_000, "sueoki"),  # exactly 0.7: 据置
        (6_500_000, 6_500_000, "sueoki"),
        (6_000_000, 6_000_000, "sueoki"),  # exactly 0.6: 据置
        (5_999_999, 6_000_000, "cap"),  # + 5% = 0.65 > 60%: 60%
        (5_000_000, 5_500_000, "futan_chosei"),  # 0.5 + 5%
        (1_000_000, 2_000_000, "floor"),  # 0.1 + 5% < 20%
    ],
)
def test_commercial_burden_adjustment(prev: int, tax_base: int, rule: str) -> None:
    result = land_result(parcel("non_residential", 10_000_000, prev))
    assert (result["tax_base"], result["rule"]) == (tax_base, rule)


@pytest.mark.parametrize(
    ("prev", "tax_base"),
    [
        (1_000_000, 1_000_000),  # 1.0: the 評価額
        (950_000, 973_750),  # 0.95 × 1.025
        (900_000, 922_500),  # 0.9 × 1.025 (0.9 is in the 0.9 band)
        (899_999, 944_998),  # just under 0.9 × 1.05
        (800_000, 840_000),  # 0.8 × 1.05
        (799_999, 859_998),  # × 1.075
        (700_000, 752_500),  # 0.7 × 1.075
        (699_999, 769_998),  # × 1.1
        (990_000, 1_000_000),  # 0.99 × 1.025 = 1,014,750: capped at the 評価額
    ],
)
def test_farmland_burden_adjustment_bands(prev: int, tax_base: int) -> None:
    """一般農地: 0.9以上1.0未満 1.025, 0.8以上0.9未満 1.05, 0.7以上0.8未満 1.075, 0.7未満 1.1
    (大和市)."""
    assert land_result(parcel("farmland", 1_000_000, prev))["tax_base"] == tax_base


def test_city_planning_base_uses_its_own_previous_base_or_the_same_burden_level() -> None:
    item = parcel("small_residential", 6_000_000, 900_000, area=100)
    derived = calculate(assets(land=[item], city_planning_rate=0.003))
    # Same 負担水準 0.9: 1,800,000 + 2,000,000 × 5% = 1,900,000.
    assert derived["land"][0]["city_planning_tax_base"] == 1_900_000
    assert derived["assumptions"] and "land[0]" in derived["assumptions"][0]
    given = calculate(
        assets(land=[{**item, "prev_city_planning_tax_base": 1_500_000}], city_planning_rate=0.003)
    )
    assert given["land"][0]["city_planning_tax_base"] == 1_600_000
    assert given["assumptions"] == []


# --- 新築住宅の減額 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("floor_area", "reduction"),
    [
        (100, 84_000),  # 12,000,000 × 1.4% × 1/2
        (120, 84_000),
        (121, 83_305),  # × 120/121: 83,305.78 → 83,305
        (49.99, 0),  # under 50 ㎡
        (50, 84_000),
        (280, 36_000),  # × 120/280
        (280.01, 0),  # over 280 ㎡
    ],
)
def test_new_house_reduction_by_floor_area(floor_area: float, reduction: int) -> None:
    result = calculate(assets(houses=[house(floor_area=floor_area)]))
    assert result["houses"][0]["reduction"] == reduction


def test_rented_dwellings_may_be_from_40_square_metres() -> None:
    assert calculate(assets(houses=[house(floor_area=40)]))["houses"][0]["reduction"] == 0
    rented = calculate(assets(houses=[house(floor_area=40, rental=True)]))
    assert rented["houses"][0]["reduction"] == 84_000


def test_mixed_use_needs_half_for_living_and_reduces_only_the_living_part() -> None:
    half = calculate(assets(houses=[house(floor_area=200, residential_floor_area=100)]))
    # 12,000,000 × 1.4% × 100/200 × 1/2
    assert half["houses"][0]["reduction"] == 42_000
    less = calculate(assets(houses=[house(floor_area=200, residential_floor_area=99.99)]))
    assert less["houses"][0]["reduction"] == 0


@pytest.mark.parametrize(
    ("built_year", "fire_resistant", "stories", "years"),
    [
        (2025, False, 2, 3),
        (2023, False, 2, 3),  # 3rd fiscal year: still reduced
        (2022, False, 2, None),  # 4th: over
        (2021, True, 3, 5),  # 耐火 3階建: 5th fiscal year
        (2020, True, 3, None),  # 6th: over
        (2022, True, 2, None),  # 耐火 but 2 storeys: 3 years only
        (2022, False, 3, None),  # 3 storeys but not 耐火
    ],
)
def test_new_house_reduction_period(
    built_year: int, fire_resistant: bool, stories: int, years: int | None
) -> None:
    item = house(built_year=built_year, fire_resistant=fire_resistant, stories=stories)
    result = calculate(assets(houses=[item]))["houses"][0]
    assert result["reduction_years"] == years
    assert (result["reduction"] > 0) == (years is not None)


def test_city_planning_tax_is_not_reduced() -> None:
    result = calculate(assets(houses=[house()], city_planning_rate=0.003))
    assert result["city_planning_tax"] == 36_000  # 12,000,000 × 0.3%
    assert result["tax"] == 168_000 - 84_000


# --- 免税点 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("valuation", "tax"),
    [(299_999, 0), (300_000, 4_200), (300_001, 4_200)],
)
def test_land_exemption_threshold(valuation: int, tax: int) -> None:
    """一般農地 with last year's base above the 評価額: the base is the 評価額."""
    result = calculate(assets(land=[parcel("farmland", valuation, valuation)]))
    assert result["exempt"]["land"] is (tax == 0)
    assert result["tax"] == tax


@pytest.mark.parametrize(
    ("valuation", "tax"),
    [(199_999, 0), (200_000, 2_800), (200_001, 2_800)],
)
def test_house_exemption_threshold(valuation: int, tax: int) -> None:
    result = calculate(assets(houses=[house(built_year=2000, valuation=valuation)]))
    assert result["exempt"]["houses"] is (tax == 0)
    assert result["tax"] == tax


def test_the_threshold_applies_to_the_sum_of_each_kind_separately() -> None:
    """税研 (地方税法 第351条): two parcels of 20万 and 15万 are taxed together; one parcel of 20万
    and one house of 15万 are both under their thresholds."""
    two_parcels = [parcel("farmland", 200_000, 200_000), parcel("farmland", 150_000, 150_000)]
    assert calculate(assets(land=two_parcels))["tax"] == 4_900  # 350,000 × 1.4%
    mixed = calculate(
        assets(
            land=[parcel("farmland", 200_000, 200_000)],
            houses=[house(built_year=2000, valuation=150_000)],
        )
    )
    assert mixed["exempt"] == {"land": True, "houses": True}
    assert mixed["tax"] == 0


def test_exempt_land_pays_no_city_planning_tax_either() -> None:
    """名古屋市: 固定資産税について免税点未満の場合は、都市計画税も課税されません."""
    result = calculate(
        assets(land=[parcel("farmland", 299_999, 299_999)], city_planning_rate=0.003)
    )
    assert (result["tax"], result["city_planning_tax"]) == (0, 0)


# --- rounding ---------------------------------------------------------------------------------


def test_the_base_is_truncated_to_1000_and_the_tax_to_100() -> None:
    """地方税法 第20条の4の2; 横浜市: 土地・家屋の課税標準額を合算し1,000円未満切捨て."""
    result = calculate(
        assets(
            rate=0.0145,
            land=[parcel("non_residential", 1_234_567, 10**9)],  # 70%: 864,196.9 → 864,196
            houses=[house(built_year=2000, valuation=765_432)],
        )
    )
    assert result["tax_base"] == {"land": 864_196, "houses": 765_432, "total": 1_629_000}
    assert step(result, "sanshutsu_zeigaku") == 23_620  # 1,629,000 × 1.45% = 23,620.5
    assert result["tax"] == 23_600


# --- input ------------------------------------------------------------------------------------


def test_city_planning_rate_above_the_limit_is_refused() -> None:
    """地方税法 第702条の4: 制限税率 0.3%."""
    assert calculate(assets(city_planning_rate=0.003))["city_planning_tax"] == 0
    with pytest.raises(InputError) as error:
        calculate(assets(city_planning_rate=0.0031))
    assert [p.path for p in error.value.problems] == ["city_planning_rate"]
