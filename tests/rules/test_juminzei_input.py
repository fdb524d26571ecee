"""Bad 個人住民税 input is refused with the JSON path of each field and the reason, all at once."""

from __future__ import annotations

from typing import Any

import pytest

from kyodo.rules.inputs import InputError
from kyodo.rules.juminzei import calculate
from tests.rules.juminzei_helpers import household


def problems(data: Any) -> dict[str, str]:
    with pytest.raises(InputError) as error:
        calculate(data)
    return {p.path: p.reason for p in error.value.problems}


def test_the_issue_example_is_accepted_as_it_stands() -> None:
    data = household(salary_income=5_000_000, social_insurance=500_000)
    data["spouse"] = {"age": 40, "income": 0}
    data["dependents"] = [{"age": 17, "income": 0}]
    assert calculate(data)["total"] > 0


def test_optional_fields_may_be_left_out() -> None:
    data = {
        "fiscal_year": 2026,
        "municipality": household()["municipality"],
        "taxpayer": {
            "age": 45,
            "salary_income": 5_000_000,
            "pension_income": 0,
            "other_income": 0,
            "social_insurance": 500_000,
        },
    }
    full = household(salary_income=5_000_000, social_insurance=500_000)
    assert calculate(data)["total"] == calculate(full)["total"]


@pytest.mark.parametrize(
    ("change", "path", "reason"),
    [
        (
            lambda d: d["taxpayer"].update(salary_income=-1),
            "taxpayer.salary_income",
            "0以上の整数（円）",
        ),
        (
            lambda d: d["taxpayer"].update(salary_income="5000000"),
            "taxpayer.salary_income",
            "文字列",
        ),
        (lambda d: d["taxpayer"].update(salary_income=1.5), "taxpayer.salary_income", "小数は不可"),
        (lambda d: d["taxpayer"].update(salary_income=True), "taxpayer.salary_income", "真偽値"),
        (
            lambda d: d["taxpayer"].pop("pension_income"),
            "taxpayer.pension_income",
            "必須の項目がありません",
        ),
        (lambda d: d["taxpayer"].update(age=151), "taxpayer.age", "150以下"),
        (lambda d: d["taxpayer"].update(widow="yes"), "taxpayer.widow", "true か false"),
        (
            lambda d: d["taxpayer"].update(disability="special_cohabiting"),
            "taxpayer.disability",
            '"special"',
        ),
        (lambda d: d["taxpayer"].update(salary_incme=1), "taxpayer.salary_incme", "未知の項目"),
        (
            lambda d: d["taxpayer"]["life_insurance"].update(old_general=-5),
            "taxpayer.life_insurance.old_general",
            "0以上",
        ),
        (lambda d: d["municipality"].update(kyuchi=4), "municipality.kyuchi", "1 / 2 / 3"),
        (lambda d: d["municipality"].update(kyuchi=True), "municipality.kyuchi", "1 / 2 / 3"),
        (lambda d: d["municipality"].update(city_rate=6), "municipality.city_rate", "0.06"),
        (
            lambda d: d["municipality"].update(city_rate="0.06"),
            "municipality.city_rate",
            "率を数値で",
        ),
        (
            lambda d: d.update(fiscal_year=2099),
            "fiscal_year",
            "令和81年度（2099）の法令データがありません",
        ),
        (lambda d: d.update(fiscal_year="2026"), "fiscal_year", "文字列"),
        (lambda d: d.update(spouse={"age": 40}), "spouse.income", "必須の項目がありません"),
        (
            lambda d: d.update(spouse={"age": 40, "income": 0, "cohabiting_parent": True}),
            "spouse.cohabiting_parent",
            "未知の項目",
        ),
        (
            lambda d: d.update(dependents=[{"age": 5, "income": 0}, {"age": -1, "income": 0}]),
            "dependents[1].age",
            "0以上",
        ),
        (
            lambda d: d.update(dependents=[{"age": 5, "income": 0, "disability": "heavy"}]),
            "dependents[0].disability",
            "special_cohabiting",
        ),
        (lambda d: d.update(dependents={"age": 5}), "dependents", "配列が必要です"),
        (lambda d: d.pop("municipality"), "municipality", "必須の項目がありません"),
        (
            lambda d: d["taxpayer"].update(widow=True, single_parent=True),
            "taxpayer.widow",
            "同時に指定できません",
        ),
        (lambda d: d["taxpayer"].update(widow=True, sex="M"), "taxpayer.widow", "女性"),
    ],
)
def test_each_problem_names_the_field_and_the_reason(change: Any, path: str, reason: str) -> None:
    data = household(salary_income=5_000_000)
    change(data)
    found = problems(data)
    assert path in found, found
    assert reason in found[path]


def test_every_problem_is_reported_in_one_go() -> None:
    data = household(salary_income=-1, age="x")
    data["municipality"]["kyuchi"] = 9
    data["fiscal_year"] = 2030
    assert set(problems(data)) == {
        "taxpayer.salary_income",
        "taxpayer.age",
        "municipality.kyuchi",
        "fiscal_year",
    }


def test_a_missing_object_is_reported_once() -> None:
    found = problems({"fiscal_year": 2026, "municipality": {}, "taxpayer": None})
    assert found["taxpayer"].startswith("オブジェクトが必要です")
    assert found["municipality.kyuchi"] == "必須の項目がありません"
    assert not any(path.startswith("taxpayer.") for path in found)


def test_the_whole_input_must_be_an_object() -> None:
    assert problems([1, 2]) == {"": "オブジェクトが必要です（配列 が指定されています）"}


def test_comment_keys_are_allowed() -> None:
    data = household(salary_income=5_000_000)
    data["_comment"] = "見附市の例を少し変えたもの"
    data["taxpayer"]["_note"] = "x"
    assert calculate(data)["total"] > 0
