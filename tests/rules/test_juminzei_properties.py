"""Properties every household must satisfy (issue 5, "Done when"): more income never means less
tax; a deduction never raises tax; every amount obeys its truncation rule."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kyodo.rules.juminzei import calculate
from tests.rules.juminzei_helpers import DESIGNATED_CITY, ORDINARY_CITY, household, step

money = st.integers(min_value=0, max_value=30_000_000)
small_money = st.integers(min_value=0, max_value=2_000_000)
premium = st.integers(min_value=0, max_value=150_000)
disability = st.sampled_from([None, "general", "special", "special_cohabiting"])


@st.composite
def households(draw: st.DrawFn) -> dict[str, Any]:
    municipality = dict(draw(st.sampled_from([ORDINARY_CITY, DESIGNATED_CITY])))
    municipality["kyuchi"] = draw(st.sampled_from([1, 2, 3]))
    status = draw(st.sampled_from(["none", "widow", "single_parent"]))
    spouse = draw(
        st.none()
        | st.fixed_dictionaries(
            {"age": st.integers(20, 95), "income": small_money, "disability": disability}
        )
    )
    dependents = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "age": st.integers(0, 99),
                    "income": small_money,
                    "disability": disability,
                    "cohabiting_parent": st.booleans(),
                }
            ),
            max_size=4,
        )
    )
    return household(
        fiscal_year=draw(st.sampled_from([2025, 2026])),
        municipality=municipality,
        age=draw(st.integers(15, 95)),
        salary_income=draw(money),
        pension_income=draw(st.integers(0, 6_000_000)),
        other_income=draw(st.integers(0, 5_000_000)),
        social_insurance=draw(st.integers(0, 1_500_000)),
        life_insurance={
            "old_general": draw(premium),
            "old_pension": draw(premium),
            "new_general": draw(premium),
            "new_pension": draw(premium),
            "care_medical": draw(premium),
        },
        widow=status == "widow",
        single_parent=status == "single_parent",
        sex=draw(st.sampled_from([None, "F"]))
        if status == "widow"
        else draw(st.sampled_from([None, "F", "M"])),
        disability=draw(st.sampled_from([None, "general", "special"])),
        working_student=draw(st.booleans()),
        spouse=spouse,
        dependents=dependents,
    )


def total(data: dict[str, Any]) -> int:
    return int(calculate(data)["total"])


@settings(max_examples=150, deadline=None)
@given(
    households(),
    st.sampled_from(["salary_income", "pension_income", "other_income"]),
    st.integers(1, 3_000_000),
)
def test_more_income_never_means_less_tax(data: dict[str, Any], field: str, more: int) -> None:
    richer = {**data, "taxpayer": {**data["taxpayer"], field: data["taxpayer"][field] + more}}
    assert total(richer) >= total(data)


@settings(max_examples=150, deadline=None)
@given(
    households(),
    st.sampled_from(
        [
            "social_insurance",
            "old_general",
            "old_pension",
            "new_general",
            "new_pension",
            "care_medical",
        ]
    ),
    st.integers(1, 500_000),
)
def test_a_larger_deduction_never_raises_tax(data: dict[str, Any], field: str, more: int) -> None:
    taxpayer = dict(data["taxpayer"])
    if field == "social_insurance":
        taxpayer[field] += more
    else:
        taxpayer["life_insurance"] = {**taxpayer["life_insurance"]}
        taxpayer["life_insurance"][field] += more
    assert total({**data, "taxpayer": taxpayer}) <= total(data)


@settings(max_examples=150, deadline=None)
@given(households(), st.integers(0, 99), st.integers(0, 2_000_000))
def test_another_relative_never_raises_tax(data: dict[str, Any], age: int, income: int) -> None:
    more = {**data, "dependents": [*data["dependents"], {"age": age, "income": income}]}
    assert total(more) <= total(data)


@settings(max_examples=150, deadline=None)
@given(households())
def test_every_amount_obeys_its_truncation(data: dict[str, Any]) -> None:
    result = calculate(data)
    for side in ("city", "pref"):
        assert result[side]["shotokuwari"] % 100 == 0
        assert result[side]["shotokuwari"] >= 0
    if any(s["id"] == "kazei_shotoku" for s in result["steps"]):
        assert step(result, "kazei_shotoku") % 1000 == 0
    assert result["forest_env_tax"] in (0, 1000)
    assert (result["forest_env_tax"] == 0) == result["hikazei"]["kintouwari"]
    assert result["total"] == (
        sum(result["city"].values()) + sum(result["pref"].values()) + result["forest_env_tax"]
    )
    for s in result["steps"]:
        assert type(s["value"]) is int and s["value"] >= 0, s
