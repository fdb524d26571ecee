"""``kyodo calc juminzei --json FILE`` as a user runs it: the installed console script, in a
subprocess, without Django."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.rules.juminzei_helpers import household

KYODO = Path(sys.executable).with_name("kyodo")


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # Were `calc` to reach Django, this would make it fail: the command must not need it.
    env["DJANGO_SETTINGS_MODULE"] = "kyodo.no_such_settings"
    completed = subprocess.run(
        [str(KYODO), "calc", *args],
        input=stdin,
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


def write(tmp_path: Path, data: Any, name: str = "input.json") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def mitsuke() -> dict[str, Any]:
    """rules.md V-JU-1, https://www.city.mitsuke.niigata.jp/soshiki/5/2908.html"""
    data = household(
        salary_income=4_370_000,
        social_insurance=420_000,
        life_insurance={"old_general": 100_000},
        spouse={"age": 40, "income": 0},
        dependents=[{"age": 19, "income": 0}, {"age": 16, "income": 0}],
    )
    return data


def test_success_prints_pretty_json(tmp_path: Path) -> None:
    completed = run("juminzei", "--json", str(write(tmp_path, mitsuke())))
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    result = json.loads(completed.stdout)
    assert result["city"] == {"shotokuwari": 53_600, "kintouwari": 3_000}
    assert result["pref"] == {"shotokuwari": 35_700, "kintouwari": 1_000}
    assert result["forest_env_tax"] == 1_000
    assert result["total"] == 94_300
    assert "\n  " in completed.stdout  # indented
    assert "給与所得" in completed.stdout  # not \\u escapes


def test_stdin(tmp_path: Path) -> None:
    completed = run("juminzei", "--json", "-", stdin=json.dumps(mitsuke()).encode())
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["total"] == 94_300


def test_rates_are_read_exactly(tmp_path: Path) -> None:
    """0.02025 must not become 0.020249999…: 804,000 × 2.025% = 16,281 exactly."""
    data = household(other_income=1_234_567)
    data["municipality"]["pref_rate"] = 0.02025
    completed = run("juminzei", "--json", str(write(tmp_path, data)))
    steps = {s["id"]: s["value"] for s in json.loads(completed.stdout)["steps"]}
    assert steps["pref.sanshutsu_shotokuwari"] == 16_281


def bad(tmp_path: Path, data: Any, name: str = "input.json") -> subprocess.CompletedProcess[str]:
    completed = run("juminzei", "--json", str(write(tmp_path, data, name)), cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stdout == ""
    return completed


def with_taxpayer(**changes: Any) -> dict[str, Any]:
    data = mitsuke()
    for key, value in changes.items():
        if value is None:
            data["taxpayer"].pop(key)
        else:
            data["taxpayer"][key] = value
    return data


@pytest.mark.parametrize(
    ("data", "field", "reason"),
    [
        (
            with_taxpayer(salary_income="4370000"),
            "taxpayer.salary_income",
            "整数（円）で指定してください",
        ),
        (
            with_taxpayer(social_insurance=None),
            "taxpayer.social_insurance",
            "必須の項目がありません",
        ),
        (with_taxpayer(salary_income=-4_370_000), "taxpayer.salary_income", "0以上の整数（円）"),
        (
            {**mitsuke(), "fiscal_year": 2099},
            "fiscal_year",
            "令和81年度（2099）の法令データがありません",
        ),
    ],
)
def test_bad_input_names_file_field_and_reason(
    tmp_path: Path, data: Any, field: str, reason: str
) -> None:
    completed = bad(tmp_path, data, "household.json")
    lines = completed.stderr.splitlines()
    assert lines[0] == "kyodo calc juminzei: 入力が不正です（1件）"
    assert lines[1].startswith(f"  {tmp_path / 'household.json'}, field '{field}': ")
    assert reason in lines[1]


def test_unparsable_json_names_the_file_and_the_place(tmp_path: Path) -> None:
    completed = bad(tmp_path, '{"fiscal_year": 2026,\n  "taxpayer": }', "broken.json")
    assert (
        f"{tmp_path / 'broken.json'}, line 2, column 15: JSONとして読めません" in completed.stderr
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            '{"fiscal_year": 2026, "fiscal_year": 2025}',
            "項目 'fiscal_year' が同じオブジェクトに2回あります",
        ),
        ('{"fiscal_year": NaN}', "NaN は数値として使えません"),
        ("", "空です"),
    ],
)
def test_json_that_would_be_read_silently_wrong_is_refused(
    tmp_path: Path, text: str, reason: str
) -> None:
    completed = bad(tmp_path, text)
    assert reason in completed.stderr
    assert str(tmp_path / "input.json") in completed.stderr


def test_not_utf8_and_missing_file(tmp_path: Path) -> None:
    sjis = tmp_path / "sjis.json"
    sjis.write_bytes('{"備考": "見附"}'.encode("shift_jis"))
    completed = run("juminzei", "--json", str(sjis))
    assert completed.returncode == 2
    assert "UTF-8 のテキストではありません" in completed.stderr
    missing = run("juminzei", "--json", str(tmp_path / "nothing.json"))
    assert missing.returncode == 2
    assert f"{tmp_path / 'nothing.json'}: ファイルがありません" in missing.stderr
    assert missing.stdout == ""


def test_several_problems_are_listed_one_per_line(tmp_path: Path) -> None:
    data = with_taxpayer(salary_income=-1, age=None)
    data["municipality"]["kyuchi"] = 5
    completed = bad(tmp_path, data)
    assert "入力が不正です（3件）" in completed.stderr
    assert len(completed.stderr.strip().splitlines()) == 4


def test_usage_errors_exit_2() -> None:
    assert run().returncode == 2
    assert run("juminzei").returncode == 2  # --json is required
    assert run("nosuch", "--json", "-").returncode == 2


def test_the_calc_cli_does_not_import_django() -> None:
    code = (
        "import sys, io\n"
        "from kyodo.rules import cli\n"
        "out = io.StringIO()\n"
        "stdin = io.BytesIO(sys.argv[1].encode())\n"
        "rc = cli.main(['juminzei', '--json', '-'], stdin=stdin, stdout=out)\n"
        "assert rc == 0, rc\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')]\n"
        "print('ok')\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code, json.dumps(mitsuke())],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.stdout.strip() == "ok", completed.stderr
