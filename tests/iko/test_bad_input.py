"""Bad layout files (issue 6): truncated files, wrong encodings, extra and missing columns,
duplicate keys, broken references, oversized fields, impossible values — each gets a report
naming file, line and item, and the municipality stays exactly as it was (empty)."""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from kyodo.iko.export import export_tenant
from kyodo.iko.load import import_tenant
from kyodo.iko.registry import registry
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.platform.tenancy.services import tenant_create
from tests.conftest import new_tenant_code
from tests.iko.builders import build

KOJIN = "03_atena_kojin.csv"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, django_db_blocker: object) -> Path:
    """One exported municipality, shared by the tests (each works on a copy)."""
    folder = tmp_path_factory.mktemp("iko") / "good"
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        code = tenant_create(code=new_tenant_code(), name="試験市", population=100).code
        build(code)
        export_tenant(code, folder)
    return folder


def _copy(exported: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "copy"
    shutil.copytree(exported, folder)
    return folder


def _rows_of(code: str) -> int:
    with tenant_scope(code):
        return sum(layout.model.objects.count() for layout in registry().layouts)


def _edit(folder: Path, file: str, change: Callable[[list[str]], list[str]]) -> None:
    path = folder / file
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(change(lines)), encoding="utf-8")


def _import(folder: Path) -> tuple[str, list[tuple[str, int, str, str]]]:
    code = tenant_create(code=new_tenant_code(), name="移行先", population=100).code
    result = import_tenant(code, folder)
    assert not result.loaded
    assert _rows_of(code) == 0, "a failed import must leave nothing behind"
    return code, [(p.file, p.line, p.field, p.reason) for p in result.problems.shown]


def _cells(line: str) -> list[str]:
    return line.split(",")


def test_good_files_dry_run_load_nothing(committed_db: None, exported: Path) -> None:
    code = tenant_create(code=new_tenant_code(), name="移行先", population=100).code
    result = import_tenant(code, exported, dry_run=True)
    assert result.problems.count == 0 and not result.loaded
    assert _rows_of(code) == 0


def test_a_truncated_file(committed_db: None, exported: Path, tmp_path: Path) -> None:
    folder = _copy(exported, tmp_path)
    path = folder / KOJIN
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    _code, problems = _import(folder)
    files = {(f, reason[:6]) for f, _l, _i, reason in problems}
    assert (KOJIN, "SHA-25") in files
    assert any(f == KOJIN and "行数が" in r for f, _l, _i, r in problems)


def test_a_wrong_encoding(committed_db: None, exported: Path, tmp_path: Path) -> None:
    folder = _copy(exported, tmp_path)
    path = folder / "02_atena_setai.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp932"))
    _code, problems = _import(folder)
    [(file, line, _item, reason)] = [p for p in problems if "文字コード" in p[3]]
    assert file == "02_atena_setai.csv" and line == 1 and "utf-8" in reason  # the header


def test_extra_and_missing_columns(committed_db: None, exported: Path, tmp_path: Path) -> None:
    folder = _copy(exported, tmp_path)
    _edit(folder, KOJIN, lambda ls: [ls[0].replace(",氏,", ",苗字,"), *ls[1:]])
    _code, problems = _import(folder)
    assert (KOJIN, 1, "氏", "項目がありません（見出し行）") in problems
    assert (KOJIN, 1, "苗字", "このレイアウトにない項目です（見出し行）") in problems


def test_a_row_with_too_many_items(committed_db: None, exported: Path, tmp_path: Path) -> None:
    folder = _copy(exported, tmp_path)
    _edit(folder, KOJIN, lambda ls: [ls[0], ls[1] + ",余分", *ls[2:]])
    _code, problems = _import(folder)
    assert any(p[:3] == (KOJIN, 2, "") and "項目の数" in p[3] for p in problems)


def test_duplicate_keys(committed_db: None, exported: Path, tmp_path: Path) -> None:
    folder = _copy(exported, tmp_path)
    _edit(folder, KOJIN, lambda ls: [*ls[:2], ls[1], *ls[2:]])  # the first person twice
    _code, problems = _import(folder)
    assert any(p[:3] == (KOJIN, 3, "ID") and "重複" in p[3] for p in problems)


def test_a_broken_reference(committed_db: None, exported: Path, tmp_path: Path) -> None:
    folder = _copy(exported, tmp_path)

    def orphan(lines: list[str]) -> list[str]:
        header = _cells(lines[0])
        row = _cells(lines[1])
        row[header.index("世帯ID")] = "999999999999"
        return [lines[0], ",".join(row), *lines[2:]]

    _edit(folder, KOJIN, orphan)
    _code, problems = _import(folder)
    assert (
        KOJIN,
        2,
        "世帯ID",
        "02_atena_setai.csv に ID 999999999999 の行がありません",
    ) in problems


def test_impossible_values(committed_db: None, exported: Path, tmp_path: Path) -> None:
    folder = _copy(exported, tmp_path)

    def spoil(lines: list[str]) -> list[str]:
        header = _cells(lines[0])
        row = _cells(lines[1])
        row[header.index("生年月日")] = "2026-02-30"
        row[header.index("性別")] = "9"
        number = row[header.index("個人番号")]
        row[header.index("個人番号")] = number[:11] + str((int(number[11]) + 1) % 10)
        return [lines[0], ",".join(row), *lines[2:]]

    _edit(folder, KOJIN, spoil)
    _code, problems = _import(folder)
    found = {(p[1], p[2]): p[3] for p in problems if p[0] == KOJIN}
    assert found[2, "生年月日"] == "ありえない日付です: 2026-02-30"
    assert found[2, "性別"].startswith("コード表にない値です: '9'")
    assert "検査用数字" in found[2, "個人番号"]


def test_an_oversized_field(committed_db: None, exported: Path, tmp_path: Path) -> None:
    folder = _copy(exported, tmp_path)
    _edit(
        folder,
        KOJIN,
        lambda ls: [ls[0], ls[1].replace(",", ',"' + "あ" * 1_100_000 + '",', 1), *ls[2:]],
    )
    _code, problems = _import(folder)
    assert any(p[0] == KOJIN and "CSV として読めません" in p[3] for p in problems)


def test_the_cli_reports_in_japanese_and_as_json_lines(
    committed_db: None, exported: Path, tmp_path: Path
) -> None:
    folder = _copy(exported, tmp_path)
    _edit(folder, KOJIN, lambda ls: [*ls[:2], ls[1], *ls[2:]])
    code = tenant_create(code=new_tenant_code(), name="移行先", population=100).code
    err, report = io.StringIO(), tmp_path / "report.jsonl"
    with pytest.raises(SystemExit) as caught:
        call_command(
            "import", str(folder), "--tenant", code, "--report", str(report),
            stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    assert caught.value.code == 1
    assert f"{KOJIN}, line 3, field 'ID': ID" in err.getvalue()
    assert "何も取り込んでいません" in err.getvalue()
    lines = [json.loads(x) for x in report.read_text(encoding="utf-8").splitlines()]
    assert {"file": KOJIN, "line": 3, "field": "ID"}.items() <= lines[-1].items() or any(
        x["file"] == KOJIN and x["line"] == 3 for x in lines
    )
    assert _rows_of(code) == 0


def test_only_an_empty_municipality_is_imported_into(committed_db: None, exported: Path) -> None:
    code = tenant_create(code=new_tenant_code(), name="移行先", population=100).code
    assert import_tenant(code, exported).loaded
    with pytest.raises(Exception, match="既にデータがあります"):
        import_tenant(code, exported)


@settings(
    max_examples=15,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_random_damage_is_reported_and_changes_nothing(
    committed_db: None, exported: Path, tmp_path: Path, data: st.DataObject
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path)) / "copy"
    shutil.copytree(exported, folder)
    file = data.draw(st.sampled_from(sorted(p.name for p in exported.glob("*.csv"))))
    path = folder / file
    raw = bytearray(path.read_bytes())
    how = data.draw(st.sampled_from(["truncate", "flip", "insert", "delete"]))
    at = data.draw(st.integers(0, max(len(raw) - 1, 0)))
    if how == "truncate":
        raw = raw[:at]
    elif how == "flip" and raw:
        raw[at] ^= data.draw(st.integers(1, 255))
    elif how == "insert":
        raw[at:at] = data.draw(st.binary(min_size=1, max_size=8))
    elif raw:
        del raw[at]
    if bytes(raw) == path.read_bytes():
        return
    path.write_bytes(bytes(raw))
    code = tenant_create(code=new_tenant_code(), name="移行先", population=100).code
    result = import_tenant(code, folder)
    assert result.problems.count > 0 and not result.loaded
    assert all(p.file for p in result.problems.shown)
    assert _rows_of(code) == 0
