"""``kyodo calc kotei --json FILE`` as a user runs it, and bad input field by field."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from kyodo.rules.inputs import InputError
from kyodo.rules.kotei import calculate
from tests.rules.test_calc_cli import run, write

ISSUE_EXAMPLE: dict[str, Any] = {
    "fiscal_year": 2026,
    "rate": 0.014,
    "city_planning_rate": None,
    "land": [
        {
            "area": 200,
            "valuation": 17_000_000,
            "use": "small_residential",
            "dwelling_units": 1,
            "prev_tax_base": 2_500_000,
        }
    ],
    "houses": [
        {
            "valuation": 15_000_000,
            "floor_area": 120,
            "built_year": 2025,
            "fire_resistant": False,
            "stories": 2,
        }
    ],
}


def test_success_prints_bases_taxes_and_steps(tmp_path: Path) -> None:
    completed = run("kotei", "--json", str(write(tmp_path, ISSUE_EXAMPLE)))
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    result = json.loads(completed.stdout)
    # 本則 17,000,000 / 6 = 2,833,333; 負担水準 0.88 < 1: 2,500,000 + 141,666 = 2,641,666.
    assert result["land"][0]["tax_base"] == 2_641_666
    assert result["houses"][0] == {
        "tax_base": 15_000_000,
        "reduction": 105_000,
        "reduction_years": 3,
    }
    # (2,641,666 + 15,000,000 → 17,641,000) × 1.4% = 246,974 − 105,000 = 141,974 → 141,900.
    assert result["tax"] == 141_900
    assert result["city_planning_tax"] == 0
    assert "負担水準" in completed.stdout


def changed(path: str, value: Any) -> dict[str, Any]:
    """The issue example with the field at ``path`` (dotted, list items as numbers) set to
    ``value``, or removed when ``value`` is ``...``."""
    data = copy.deepcopy(ISSUE_EXAMPLE)
    *parents, last = path.split(".")
    target: Any = data
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is ...:
        del target[last]
    else:
        target[last] = value
    return data


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        (changed("rate", "1.4%"), "rate", "率を数値で指定してください"),
        (changed("rate", 1.4), "rate", "0以上1未満"),
        (changed("city_planning_rate", 0.005), "city_planning_rate", "制限税率"),
        (changed("city_planning_rate", ...), "city_planning_rate", "必須の項目がありません"),
        (changed("land.0.use", "forest"), "land[0].use", '"small_residential"'),
        (changed("land.0.area", 0), "land[0].area", "0より大きい面積"),
        (changed("land.0.dwelling_units", ...), "land[0].dwelling_units", "必須です"),
        (changed("land.0.prev_tax_base", ...), "land[0].prev_tax_base", "必須の項目がありません"),
        (changed("land.0.valuation", -1), "land[0].valuation", "0以上の整数（円）"),
        (
            changed("land.0.prev_city_planning_tax_base", 5_000_000),
            "land[0].prev_city_planning_tax_base",
            "city_planning_rate が null",
        ),
        (changed("houses.0.built_year", 2026), "houses[0].built_year", "賦課期日"),
        (changed("houses.0.fire_resistant", "no"), "houses[0].fire_resistant", "true か false"),
        (changed("houses.0.stories", 0), "houses[0].stories", "1以上の階数"),
        (
            changed("houses.0.residential_floor_area", 130),
            "houses[0].residential_floor_area",
            "床面積 floor_area（120㎡）を超えています",
        ),
        (changed("houses.0.age", 1), "houses[0].age", "未知の項目です"),
        (changed("fiscal_year", 2030), "fiscal_year", "令和12年度（2030）の固定資産税"),
    ],
)
def test_bad_input_names_file_field_and_reason(
    tmp_path: Path, data: Any, field: str, reason: str
) -> None:
    path = write(tmp_path, data, "assets.json")
    completed = run("kotei", "--json", str(path))
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert lines[0] == "kyodo calc kotei: 入力が不正です（1件）", completed.stderr
    assert lines[1].startswith(f"  {path}, field '{field}': "), lines[1]
    assert reason in lines[1]


def test_every_problem_is_reported_at_once() -> None:
    data = changed("rate", -1)
    data["land"][0]["use"] = "forest"
    data["houses"][0]["floor_area"] = "big"
    with pytest.raises(InputError) as error:
        calculate(data)
    assert {p.path for p in error.value.problems} == {
        "rate",
        "land[0].use",
        "houses[0].floor_area",
    }


def test_land_and_houses_may_be_left_out() -> None:
    result = calculate({"fiscal_year": 2026, "rate": 0.014, "city_planning_rate": None})
    assert (result["tax"], result["land"], result["houses"]) == (0, [], [])
