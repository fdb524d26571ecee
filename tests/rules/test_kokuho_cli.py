"""``kyodo calc kokuho --json FILE`` as a user runs it: the installed console script, in a
subprocess, without Django."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.rules.kokuho_helpers import household, member

KYODO = Path(sys.executable).with_name("kyodo")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # Were `calc` to reach Django, this would make it fail: the command must not need it.
    env["DJANGO_SETTINGS_MODULE"] = "kyodo.no_such_settings"
    completed = subprocess.run(
        [str(KYODO), "calc", *args],
        capture_output=True,
        env=env,
        cwd=cwd,
        timeout=60,
        check=False,
    )
    return subprocess.CompletedProcess(
        completed.args,
        completed.returncode,
        completed.stdout.decode("utf-8"),
        completed.stderr.decode("utf-8"),
    )


def write(tmp_path: Path, data: Any, name: str = "household.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_success_prints_the_components_and_every_step(tmp_path: Path) -> None:
    """rules.md §2.5 V-NHI-1 (名取市, 令和8年度 without 子ども分): 194,100."""
    completed = run("kokuho", "--json", str(write(tmp_path, household(member(50, 1_202_000)))))
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    result = json.loads(completed.stdout)
    assert result["components"] == {
        "medical": 109_100,
        "support": 43_100,
        "care": 41_900,
        "child": 0,
    }
    assert result["reduction"] is None
    assert result["total"] == 194_100
    ids = {s["id"] for s in result["steps"]}
    assert {"hantei.shotoku", "keigen.wari", "care.shotokuwari", "care.gendo", "total"} <= ids
    assert "所得割額" in completed.stdout  # not \\u escapes


def test_a_reduction_is_printed_as_its_name(tmp_path: Path) -> None:
    completed = run("kokuho", "--json", str(write(tmp_path, household(member(45, 0)))))
    assert json.loads(completed.stdout)["reduction"] == "7割"


def test_bad_input_names_file_field_and_reason_and_prints_nothing(tmp_path: Path) -> None:
    data = household(member(45, 1_000_000), member(10, -1))
    data["rates"]["medical"]["cap"] = 700_000
    path = write(tmp_path, data, "bad.json")
    completed = run("kokuho", "--json", str(path), cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert lines[0] == "kyodo calc kokuho: 入力が不正です（2件）"
    assert lines[1].startswith(f"  {path}, field 'rates.medical.cap': 法定の課税限度額 670,000円")
    assert lines[2].startswith(f"  {path}, field 'household.members[1].income': ")
    assert "0以上の整数（円）" in lines[2]


def test_an_unknown_year_exits_2(tmp_path: Path) -> None:
    completed = run("kokuho", "--json", str(write(tmp_path, {**household(), "fiscal_year": 2099})))
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "field 'fiscal_year'" in completed.stderr
    assert "令和7年度（2025）、令和8年度（2026）" in completed.stderr
