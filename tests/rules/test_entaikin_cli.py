"""``kyodo calc entaikin --json FILE`` as a user runs it, and bad input field by field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kyodo.rules.entaikin import calculate
from kyodo.rules.inputs import InputError
from tests.rules.test_calc_cli import run, write

ISSUE_EXAMPLE = {
    "tax": 56_400,
    "due_date": "2026-02-02",
    "payments": [{"date": "2026-05-29", "amount": 56_400}],
}


def test_success_prints_the_amount_segments_and_steps(tmp_path: Path) -> None:
    completed = run("entaikin", "--json", str(write(tmp_path, ISSUE_EXAMPLE)))
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    result = json.loads(completed.stdout)
    assert result["entaikin"] == 1_300
    assert [s["days"] for s in result["segments"]] == [28, 88]
    assert result["segments"][1]["rate"] == 0.091
    assert result["law"]["data"] == ["kyodo/rules/data/entaikin/2026.json"]
    assert "延滞金特例基準割合" in completed.stdout


def with_changes(**changes: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(ISSUE_EXAMPLE))
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    return data


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        (with_changes(due_date="2026/02/02"), "due_date", "YYYY-MM-DD の形"),
        (with_changes(due_date="2026-02-30"), "due_date", "存在しない日付です"),
        (with_changes(tax=-1), "tax", "0以上の整数（円）"),
        (with_changes(tax="56400"), "tax", "整数（円）で指定してください"),
        (with_changes(due_date=None), "due_date", "必須の項目がありません"),
        (
            with_changes(payments=[{"date": "2026-05-29", "amount": 0}]),
            "payments[0].amount",
            "1以上",
        ),
        (with_changes(payments=[{"date": "2026-05-29"}]), "payments[0].amount", "必須"),
        (with_changes(payments=[]), "as_of", "本税が完納されていないため必須です（未納 56,400円）"),
        (
            with_changes(as_of="2026-04-30"),
            "payments[0].date",
            "as_of（2026-04-30）より後の納付です",
        ),
        (with_changes(rate=0.091), "rate", "未知の項目です"),
        (
            with_changes(due_date="2019-02-01"),
            "due_date",
            "2019、2020年の延滞金の割合（法令データ）がありません",
        ),
    ],
)
def test_bad_input_names_file_field_and_reason(
    tmp_path: Path, data: Any, field: str, reason: str
) -> None:
    path = write(tmp_path, data, "claim.json")
    completed = run("entaikin", "--json", str(path))
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert lines[0] == "kyodo calc entaikin: 入力が不正です（1件）"
    assert lines[1].startswith(f"  {path}, field '{field}': "), lines[1]
    assert reason in lines[1]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InputError) as error:
        calculate({"tax": "x", "due_date": "tomorrow", "payments": [{"date": "x", "amount": -5}]})
    assert {p.path for p in error.value.problems} == {
        "tax",
        "due_date",
        "payments[0].date",
        "payments[0].amount",
    }
