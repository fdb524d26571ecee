"""``kyodo calc keiji --json FILE`` as a user runs it, and bad input field by field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kyodo.rules.inputs import InputError
from kyodo.rules.keiji import calculate
from tests.rules.test_calc_cli import run, write

ISSUE_EXAMPLE = {
    "fiscal_year": 2026,
    "class": "kei4_passenger",
    "use": "private",
    "first_inspection": "2012-10",
    "fuel": "gasoline",
}


def test_success_prints_the_tax_rate_kind_and_steps(tmp_path: Path) -> None:
    completed = run("keiji", "--json", str(write(tmp_path, ISSUE_EXAMPLE)))
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    result = json.loads(completed.stdout)
    # 2012-10 is in 平成24年度: 重課 from 令和8年度 (rules.md §4, Matsudo).
    assert (result["tax"], result["rate_kind"]) == (12_900, "heavy")
    assert result["unconfirmed"] == []
    assert "重課税率" in completed.stdout


def with_changes(**changes: Any) -> dict[str, Any]:
    data = dict(ISSUE_EXAMPLE)
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        (with_changes(**{"class": "kei5"}), "class", '"gentsuki_50" / "gentsuki_90"'),
        (with_changes(use=None), "use", "四輪の軽自動車では必須です"),
        (with_changes(use="rental"), "use", '"private" / "commercial"'),
        (with_changes(first_inspection="2012/10"), "first_inspection", "YYYY-MM の形"),
        (with_changes(first_inspection="2012-13"), "first_inspection", "YYYY-MM の形"),
        (with_changes(first_inspection=None), "first_inspection", "三輪以上の軽自動車では必須です"),
        (with_changes(first_inspection="2010"), "first_inspection", "2003年以前の記録に限ります"),
        (
            with_changes(first_inspection="2026-05"),
            "first_inspection",
            "賦課期日（2026年4月1日）より後の初度検査です",
        ),
        (with_changes(fuel="steam"), "fuel", '"gasoline" / "diesel"'),
        (with_changes(fiscal_year=2099), "fiscal_year", "令和81年度（2099）の軽自動車税"),
        (with_changes(colour="red"), "colour", "未知の項目です"),
    ],
)
def test_bad_input_names_file_field_and_reason(
    tmp_path: Path, data: Any, field: str, reason: str
) -> None:
    path = write(tmp_path, data, "vehicle.json")
    completed = run("keiji", "--json", str(path))
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert lines[0] == "kyodo calc keiji: 入力が不正です（1件）", completed.stderr
    assert lines[1].startswith(f"  {path}, field '{field}': "), lines[1]
    assert reason in lines[1]


def test_fuel_and_use_are_not_needed_where_they_change_nothing() -> None:
    assert calculate({"fiscal_year": 2026, "class": "gentsuki_125"})["tax"] == 2_400
    three = {"fiscal_year": 2026, "class": "kei3", "first_inspection": "2019-07"}
    assert calculate(three)["tax"] == 3_900
    new_car = {"fiscal_year": 2026, "class": "kei4_cargo", "use": "private"}
    assert calculate({**new_car, "first_inspection": "2020-01"})["tax"] == 5_000


def test_without_a_fuel_a_vehicle_is_taken_as_gasoline_where_it_matters() -> None:
    """Like 住民税's ひとり親 without a sex: the common case, and the result says so."""
    heavy = calculate(with_changes(fuel=None))
    assert (heavy["tax"], heavy["rate_kind"]) == (12_900, "heavy")
    assert heavy["assumptions"] == [
        "fuel の指定がないためガソリン車として計算した"
        "（初度検査から13年を経過しており、燃料で重課の有無が決まる）"
    ]
    green = calculate(with_changes(first_inspection="2025-10", fuel=None))
    assert (green["tax"], green["green"]) == (10_800, None)
    assert "グリーン化特例の対象期間" in green["assumptions"][0]
    moot = calculate(with_changes(first_inspection="2020-10", fuel=None))
    assert (moot["tax"], moot["assumptions"]) == (10_800, [])
    assert calculate(ISSUE_EXAMPLE)["assumptions"] == []


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InputError) as error:
        calculate({"fiscal_year": 2026, "class": "kei4_cargo", "first_inspection": "x", "fuel": 1})
    assert {p.path for p in error.value.problems} == {"use", "first_inspection", "fuel"}
