"""Properties every household must satisfy: more income never means less tax; a member with
income never lowers any 平等割 nor the total; every component is a multiple of 100 within its
cap; the reductions only ever lower the 均等割 and 平等割.

"A member added never reduces the 平等割" does not hold for a member *without* income: the
法定軽減 limits grow with each member, so the household may move into a reduction
(test_kokuho_rules.test_adding_a_member_without_income_can_bring_a_reduction). It holds for a
member whose judged income covers what they add to the limits: the largest per-member amount
(57万) plus the 10万 of one more 給与所得者等.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kyodo.rules.kokuho import calculate
from tests.rules.kokuho_helpers import ASAKA_CHILD, NATORI

COMPONENTS = ("medical", "support", "care", "child")
money = st.integers(min_value=0, max_value=8_000_000)
small = st.integers(min_value=0, max_value=2_000_000)
maybe = st.one_of(st.none(), small)


def people(draw: st.DrawFn, *, max_size: int) -> list[dict[str, Any]]:
    return draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "age": st.integers(0, 90),
                    "income": money,
                    "salary_income": maybe,
                    "pension_income": maybe,
                }
            ),
            min_size=1,
            max_size=max_size,
        )
    )


@st.composite
def households(draw: st.DrawFn) -> dict[str, Any]:
    year = draw(st.sampled_from([2025, 2026]))
    rates = copy.deepcopy(NATORI[year])
    if year == 2026 and draw(st.booleans()):
        rates["child"] = dict(ASAKA_CHILD)
    for c in list(rates):
        if draw(st.integers(0, 5)) == 0:
            del rates[c]  # a component left out
    if not rates:
        rates["medical"] = dict(NATORI[year]["medical"])
    if draw(st.booleans()):
        for figures in rates.values():
            figures["per_household"] = 0  # 2方式
    members = people(draw, max_size=5)
    data: dict[str, Any] = {
        "fiscal_year": year,
        "rates": rates,
        "household": {"head_is_member": True, "members": members},
    }
    if draw(st.booleans()):
        head = people(draw, max_size=1)[0]
        head["former_member"] = draw(st.booleans())
        data["household"].update(head_is_member=False, head=head)
    if draw(st.booleans()):
        data["household"]["former_members"] = people(draw, max_size=2)
    if draw(st.integers(0, 3)) == 0:
        data["local_exemption"] = {"per_capita_max_age": draw(st.integers(0, 20))}
    return data


def everyone(data: dict[str, Any]) -> list[dict[str, Any]]:
    h = data["household"]
    return [*h["members"], *([h["head"]] if "head" in h else []), *h.get("former_members", [])]


@settings(max_examples=200, deadline=None)
@given(households(), st.data(), st.integers(1, 3_000_000))
def test_more_income_never_means_less_tax(
    data: dict[str, Any], pick: st.DataObject, more: int
) -> None:
    before = calculate(data)
    richer = copy.deepcopy(data)
    person = pick.draw(st.sampled_from(everyone(richer)))
    person["income"] += more
    after = calculate(richer)
    assert after["total"] >= before["total"]
    for c in COMPONENTS:
        assert after["components"][c] >= before["components"][c]


@settings(max_examples=200, deadline=None)
@given(
    households(),
    st.integers(0, 90),
    st.integers(670_000, 8_000_000),
    maybe,
)
def test_a_member_with_income_never_lowers_a_byodowari_or_the_total(
    data: dict[str, Any], age: int, income: int, salary: int | None
) -> None:
    before = calculate(data)
    more = copy.deepcopy(data)
    more["household"]["members"].append({"age": age, "income": income, "salary_income": salary})
    after = calculate(more)
    assert after["total"] >= before["total"]
    for c in COMPONENTS:
        assert after["breakdown"][c]["byodowari"] >= before["breakdown"][c]["byodowari"]
        assert after["components"][c] >= before["components"][c]


@settings(max_examples=200, deadline=None)
@given(households())
def test_every_component_is_a_multiple_of_100_within_its_cap(data: dict[str, Any]) -> None:
    result = calculate(data)
    assert result["total"] == sum(result["components"].values())
    for c in COMPONENTS:
        amount, detail = result["components"][c], result["breakdown"][c]
        assert amount % 100 == 0
        assert amount >= 0
        if detail["levied"]:
            assert amount <= detail["cap"]
            assert amount <= detail["before_cap"]
            assert detail["before_cap"] - amount < 100 or detail["capped"]
        else:
            assert amount == 0
    for s in result["steps"]:
        assert type(s["value"]) is int and s["value"] >= 0, s


@settings(max_examples=200, deadline=None)
@given(households())
def test_a_reduction_only_ever_lowers_kintouwari_and_byodowari(data: dict[str, Any]) -> None:
    result = calculate(data)
    steps = {s["id"]: s["value"] for s in result["steps"]}
    for c in COMPONENTS:
        if not result["breakdown"][c]["levied"]:
            continue
        full = steps[f"{c}.kintouwari"] + steps.get(f"{c}.kintouwari_18", 0)
        assert 0 <= steps[f"{c}.kintouwari.gengaku_go"] <= full
        assert result["breakdown"][c]["byodowari"] <= steps[f"{c}.byodowari"]
        if result["reduction"] is None:
            assert result["breakdown"][c]["byodowari"] == steps[f"{c}.byodowari"]


@settings(max_examples=100, deadline=None)
@given(households())
def test_the_tier_never_improves_with_more_income(data: dict[str, Any]) -> None:
    order = {"7割": 0, "5割": 1, "2割": 2, None: 3}
    before = calculate(data)
    richer = copy.deepcopy(data)
    richer["household"]["members"][0]["income"] += 100_000
    assert order[calculate(richer)["reduction"]] >= order[before["reduction"]]
