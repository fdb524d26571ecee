"""Properties of every 固定資産税・都市計画税 result: every amount obeys its truncation, the
新築 reduction never exceeds half the house's tax, and a higher valuation never lowers the tax."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kyodo.rules.kotei import calculate

USES = ["small_residential", "general_residential", "non_residential", "farmland"]
money = st.integers(min_value=0, max_value=300_000_000)
areas = st.decimals(min_value="0.01", max_value="5000", places=2)


@st.composite
def parcels(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "area": float(draw(areas)),
        "valuation": draw(money),
        "use": draw(st.sampled_from(USES)),
        "dwelling_units": draw(st.integers(1, 30)),
        "prev_tax_base": draw(money),
    }


@st.composite
def houses(draw: st.DrawFn, fiscal_year: int) -> dict[str, Any]:
    floor_area = draw(areas)
    return {
        "valuation": draw(money),
        "floor_area": float(floor_area),
        "residential_floor_area": float(draw(areas.filter(lambda a: a <= floor_area))),
        "built_year": draw(st.integers(1950, fiscal_year - 1)),
        "fire_resistant": draw(st.booleans()),
        "stories": draw(st.integers(1, 40)),
        "rental": draw(st.booleans()),
    }


@st.composite
def owners(draw: st.DrawFn) -> dict[str, Any]:
    fiscal_year = draw(st.sampled_from([2025, 2026]))
    return {
        "fiscal_year": fiscal_year,
        "rate": float(draw(st.decimals("0.014", "0.021", places=4))),
        "city_planning_rate": draw(st.none() | st.sampled_from([0.001, 0.002, 0.0025, 0.003])),
        "land": draw(st.lists(parcels(), max_size=4)),
        "houses": draw(st.lists(houses(fiscal_year), max_size=3)),
    }


@settings(max_examples=300, deadline=None)
@given(owners())
def test_every_amount_obeys_its_truncation(data: dict[str, Any]) -> None:
    result = calculate(data)
    assert result["tax_base"]["total"] % 1_000 == 0
    assert result["tax"] % 100 == 0
    assert result["city_planning_tax"] % 100 == 0
    assert result["tax"] >= 0
    if result["city_planning_tax_base"] is not None:
        assert result["city_planning_tax_base"]["total"] % 1_000 == 0
    for land, item in zip(result["land"], data["land"], strict=True):
        # 負担調整 never goes above the 本則 (nor 70% of the 評価額 for 商業地等).
        assert 0 <= land["tax_base"] <= land["honsoku_tax_base"] <= item["valuation"]
    assert result["total"] == result["tax"] + result["city_planning_tax"]


@settings(max_examples=300, deadline=None)
@given(owners())
def test_the_new_house_reduction_is_at_most_half_of_each_house_tax(data: dict[str, Any]) -> None:
    result = calculate(data)
    rate = data["rate"]
    for house in result["houses"]:
        assert 0 <= house["reduction"] <= house["tax_base"] * rate / 2 + 1e-6
        if house["reduction_years"] is None:
            assert house["reduction"] == 0
    assert result["reduction"] == sum(h["reduction"] for h in result["houses"])


@settings(max_examples=300, deadline=None)
@given(owners(), st.integers(0, 3), money)
def test_a_higher_valuation_never_lowers_the_tax(
    data: dict[str, Any], index: int, more: int
) -> None:
    if not data["land"]:
        return
    index %= len(data["land"])
    before = calculate(data)
    data["land"][index]["valuation"] += more
    after = calculate(data)
    assert after["tax"] >= before["tax"]
    assert after["city_planning_tax"] >= before["city_planning_tax"]
