"""Bad 国民健康保険税 input is refused with the JSON path of each field and the reason, all at
once; the issue's example input is accepted as it stands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kyodo.rules.inputs import InputError
from kyodo.rules.kokuho import calculate
from tests.rules.kokuho_helpers import ASAKA_CHILD, household, member


def problems(data: Any) -> dict[str, str]:
    with pytest.raises(InputError) as error:
        calculate(data)
    return {p.path: p.reason for p in error.value.problems}


def test_the_issue_example_is_accepted_as_it_stands() -> None:
    data = {
        "fiscal_year": 2026,
        "rates": {
            "medical": {
                "income_rate": 0.075,
                "per_capita": 27100,
                "per_household": 24100,
                "cap": 670000,
            }
        },
        "household": {
            "head_is_member": True,
            "members": [
                {
                    "age": 50,
                    "income": 1202000,
                    "salary_income": None,
                    "pension_income": None,
                    "preschool": False,
                }
            ],
        },
    }
    assert calculate(data)["components"]["medical"] == 109_100


def set_member(index: int, **fields: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["household"]["members"][index].update(fields)

    return change


def drop(*path: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


def set_rate(component: str, **fields: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["rates"][component].update(fields)

    return change


@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        (set_member(1, income=-1), "household.members[1].income", "0以上の整数（円）"),
        (set_member(1, income="1200000"), "household.members[1].income", "文字列"),
        (set_member(1, income=1.5), "household.members[1].income", "小数は不可"),
        (set_member(0, age=151), "household.members[0].age", "150以下"),
        (set_member(0, salary_income=True), "household.members[0].salary_income", "真偽値"),
        (set_member(1, preschool=True), "household.members[1].preschool", "4月1日に6歳未満"),
        (set_member(2, preschool=False), "household.members[2].preschool", "一致しません"),
        (set_member(0, sex="F"), "household.members[0].sex", "未知の項目です"),
        (drop("household", "members", 0, "income"), "household.members[0].income", "必須"),
        (drop("household", "members"), "household.members", "必須の項目がありません"),
        (drop("household", "head_is_member"), "household.head_is_member", "必須"),
        (set_rate("medical", income_rate=1), "rates.medical.income_rate", "0以上1未満"),
        (set_rate("medical", income_rate=7.5), "rates.medical.income_rate", "0.06"),
        (set_rate("medical", per_capita=-100), "rates.medical.per_capita", "0以上"),
        (set_rate("medical", cap=680_000), "rates.medical.cap", "法定の課税限度額 670,000円"),
        (set_rate("medical", adult_per_capita=100), "rates.medical.adult_per_capita", "未知"),
        (set_rate("care", asset_rate=0.2), "rates.care.asset_rate", "未知の項目です"),
        (drop("rates", "support", "per_capita"), "rates.support.per_capita", "必須"),
        (lambda d: d.update(rates={}), "rates", "1つ以上"),
        (lambda d: d["rates"].update(dental={}), "rates.dental", "未知の項目です"),
        (lambda d: d.update(fiscal_year=2099), "fiscal_year", "令和81年度（2099）"),
        (lambda d: d.update(fiscal_year="2026"), "fiscal_year", "文字列"),
        (
            lambda d: d.update(local_exemption={"per_capita_max_age": -1}),
            "local_exemption.per_capita_max_age",
            "0以上",
        ),
    ],
)
def test_each_problem_names_its_field(
    change: Callable[[dict[str, Any]], None], path: str, reason: str
) -> None:
    data = household(member(45, 1_000_000), member(10), member(3))
    change(data)
    found = problems(data)
    assert path in found, found
    assert reason in found[path]


def test_no_members_is_refused() -> None:
    data = household()
    data["household"]["members"] = []
    assert "被保険者が1人以上必要です" in problems(data)["household.members"]


def test_a_head_must_be_given_exactly_when_not_a_member() -> None:
    missing = household()
    missing["household"]["head_is_member"] = False
    assert "擬制世帯主" in problems(missing)["household.head"]
    both = household(head=member(50))
    both["household"]["head_is_member"] = True
    assert "指定しません" in problems(both)["household.head"]


def test_head_fields_are_checked_and_preschool_is_not_one_of_them() -> None:
    data = household(head={"age": 50, "income": -5, "preschool": False})
    found = problems(data)
    assert "0以上" in found["household.head.income"]
    assert "未知の項目です" in found["household.head.preschool"]


def test_former_members_are_checked() -> None:
    data = household(former_members=[{"age": 80}])
    assert "必須" in problems(data)["household.former_members[0].income"]


def test_the_child_component_does_not_exist_before_2026() -> None:
    """子ども・子育て支援納付金分 starts in 令和8年度 (rules.md §2.1): the 2025 file has no
    課税限度額 for it."""
    data = household(fiscal_year=2025)
    data["rates"]["child"] = dict(ASAKA_CHILD)
    reason = problems(data)["rates.child"]
    assert "令和7年度（2025）には子ども・子育て支援納付金分はありません" in reason


def test_every_problem_is_reported_at_once() -> None:
    data = household(member(45, -1), member(3, preschool=False))
    data["rates"]["medical"]["income_rate"] = 2
    data["fiscal_year"] = 2026
    assert set(problems(data)) == {
        "household.members[0].income",
        "household.members[1].preschool",
        "rates.medical.income_rate",
    }


@pytest.mark.parametrize("value", [None, 0])
def test_null_and_zero_incomes_are_the_same(value: Any) -> None:
    data = household(member(45, 0, salary_income=value, pension_income=value))
    assert calculate(data)["reduction"] == "7割"


def test_a_null_cap_is_the_statutory_one_and_a_null_byodowari_is_none() -> None:
    data = household(
        member(50, 20_000_000),
        rates={
            "medical": {
                "income_rate": 0.075,
                "per_capita": 27_100,
                "per_household": None,
                "cap": None,
            }
        },
    )
    result = calculate(data)
    assert result["components"]["medical"] == 670_000  # 令和8年度 医療分 (rules.md §2.2)
    assert result["breakdown"]["medical"]["byodowari"] == 0
