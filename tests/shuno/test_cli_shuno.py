"""``kyodo shuno barcode --json FILE [--out SLIP.pdf] [--limit YEN]`` (issue 5, item 5).

Most cases run the command in this process (``call_command``); the last runs the real
console script for its exit status and stderr. The command reads no database. Bad input must
name the file, the field and the reason, and leave no PDF (nor a temporary file) behind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyodo.units.shuno.barcode import build, parse
from tests.pdf import pdftotext, squash
from tests.shuno.scan import rasterise, raw_digits

KYODO = Path(sys.executable).with_name("kyodo")

REQUEST: dict[str, Any] = {
    "company_code": "912345",
    "free": "202600001234",
    "reissue": 0,
    "due_date": "2026-12-25",
    "stamp": 0,
    "amount": 12300,
}
EL = {
    "shuno_kikan_no": "01234",
    "nofu_no": "1234567890123456",
    "kakunin_no": "654321",
    "nofu_kubun": "101",
}


def request_file(tmp_path: Path, body: Any, name: str = "request.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return str(path)


def run(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("shuno", "barcode", *args, stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def expected_data(**change: Any) -> str:
    import datetime as dt

    fields = {**REQUEST, **change}
    due = fields["due_date"]
    fields["due_date"] = dt.date.fromisoformat(due) if due else None
    return build(**fields)


def test_prints_the_data(tmp_path: Path) -> None:
    result = run("--json", request_file(tmp_path, REQUEST))
    assert result == {"data": expected_data()}
    assert parse(result["data"]).amount == 12300
    assert sorted(p.name for p in tmp_path.iterdir()) == ["request.json"]  # nothing written


def test_null_due_date(tmp_path: Path) -> None:
    result = run("--json", request_file(tmp_path, {**REQUEST, "due_date": None}))
    assert result["data"][30:36] == "999999"


def test_out_writes_the_slip(tmp_path: Path) -> None:
    out = tmp_path / "slip.pdf"
    body = {**REQUEST, "el": EL, "el_qr": "TEST-PAYLOAD:42"}
    result = run("--json", request_file(tmp_path, body), "--out", str(out))
    data = result["data"]
    flat = squash(pdftotext(out.read_bytes(), tmp_path))
    assert "12,300円" in flat and "令和8年12月25日" in flat and "納付番号1234567890123456" in flat
    assert sorted(raw_digits(rasterise(out))) == sorted([data, "TEST-PAYLOAD:42"])
    # Only the request, the slip and the test's own read-backs: no temporary file left.
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]


def test_out_replaces_an_existing_file_whole(tmp_path: Path) -> None:
    out = tmp_path / "slip.pdf"
    out.write_bytes(b"old")
    run("--json", request_file(tmp_path, REQUEST), "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF-")


def test_limit_option(tmp_path: Path) -> None:
    path = request_file(tmp_path, {**REQUEST, "amount": 450_000})
    with pytest.raises(CommandError) as info:
        run("--json", path)
    assert str(info.value) == (
        f"{path}, field 'amount': 支払金額 450,000円 は収納限度額 300,000円 を超えるため、"
        "コンビニ収納のバーコードは作れません"
    )
    assert parse(run("--json", path, "--limit", "500000")["data"]).amount == 450_000


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({**REQUEST, "amount": 300_001}, "field 'amount': 支払金額 300,001円 は収納限度額"),
        ({**REQUEST, "amount": -5}, "field 'amount': 支払金額は 0円以上"),
        ({**REQUEST, "amount": "12300"}, "field 'amount': 整数"),
        ({**REQUEST, "company_code": 912345}, "field 'company_code': 数字の文字列"),
        ({**REQUEST, "company_code": "312345"}, "field 'company_code': 請求書発行企業コードは"),
        ({**REQUEST, "free": "1" * 22}, "field 'free': 21桁まで"),
        ({**REQUEST, "free": ""}, "field 'free': 空です"),
        ({**REQUEST, "reissue": 10}, "field 'reissue': 再発行区分は 0〜9"),
        ({**REQUEST, "due_date": "2026/12/25"}, "field 'due_date': YYYY-MM-DD"),
        ({**REQUEST, "due_date": "2026-02-30"}, "field 'due_date': 存在しない日付"),
        ({**REQUEST, "due_date": "2100-01-01"}, "field 'due_date': 支払期限日は 2000〜2099"),
        ({**REQUEST, "stamp": 1}, "field 'stamp': 公金の納付書では印紙フラグは 0"),
        ({**REQUEST, "ammount": 1}, "field 'ammount': 未知の項目"),
        ({k: v for k, v in REQUEST.items() if k != "due_date"}, "field 'due_date': 必須の項目"),
        ([REQUEST], "field '$': JSON オブジェクト"),
        ({**REQUEST, "el": {**EL, "kakunin_no": "1"}}, "field 'el.kakunin_no': 6桁です"),
        ({**REQUEST, "el": {**EL, "extra": "1"}}, "field 'el.extra': 未知の項目"),
        ({**REQUEST, "el": "0123412345678901234560"}, "field 'el': eL番号は JSON オブジェクト"),
        ({**REQUEST, "el_qr": "X"}, "field 'el_qr': eL-QR を印刷するときは eL番号"),
    ],
)
def test_bad_input_names_file_field_and_reason_and_writes_nothing(
    tmp_path: Path, body: Any, expected: str
) -> None:
    path = request_file(tmp_path, body)
    out = tmp_path / "slip.pdf"
    with pytest.raises(CommandError) as info:
        run("--json", path, "--out", str(out))
    assert str(info.value).startswith(f"{path}, {expected}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["request.json"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--limit", "30万"], "--limit: 円の金額（半角数字）です"),
        (["--limit", "1000000"], "--limit: 収納限度額は 0〜999,999円です"),
        (
            ["--out", "no-such-folder/slip.pdf"],
            "--out: 出力先のフォルダ no-such-folder がありません",
        ),
        (["--out", "."], "--out: フォルダではなくファイル名"),
    ],
)
def test_bad_options(tmp_path: Path, args: list[str], expected: str) -> None:
    path = request_file(tmp_path, REQUEST)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        with pytest.raises(CommandError) as info:
            run("--json", path, *args)
    finally:
        os.chdir(cwd)
    assert str(info.value).startswith(expected)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["request.json"]


def test_unreadable_files(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.json")
    with pytest.raises(CommandError, match=f"^{missing}: ファイルがありません$"):
        run("--json", missing)
    broken = tmp_path / "broken.json"
    broken.write_text('{"amount":\n', encoding="utf-8")
    with pytest.raises(CommandError, match=f"^{broken}, line 2: JSON として読めません"):
        run("--json", str(broken))
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'{"free": "\xe9"}')
    with pytest.raises(CommandError, match="UTF-8"):
        run("--json", str(latin))


def test_failed_rename_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up at the last step: the slip is not there and neither is its temp file."""

    def full(self: Path, target: Path) -> Path:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", full)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(CommandError, match=r"^--out: 書き込めません: No space left on device$"):
        run("--json", request_file(tmp_path, REQUEST), "--out", str(folder / "slip.pdf"))
    assert list(folder.iterdir()) == []


def test_unwritable_folder_leaves_nothing(tmp_path: Path) -> None:
    """A folder without write permission: the temporary file cannot even be created."""
    if os.geteuid() == 0:
        pytest.skip("root writes into read-only folders")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(CommandError, match=r"^--out: 書き込めません"):
            run("--json", request_file(tmp_path, REQUEST), "--out", str(folder / "slip.pdf"))
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_the_console_script(tmp_path: Path) -> None:
    def kyodo(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(KYODO), "shuno", "barcode", *args],
            capture_output=True,
            text=True,
            env=dict(os.environ),
            stdin=subprocess.DEVNULL,
            timeout=120,
            check=False,
        )

    bad = request_file(tmp_path, {**REQUEST, "amount": 300_001}, name="bad.json")
    out = tmp_path / "slip.pdf"
    result = kyodo("--json", bad, "--out", str(out))
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.startswith(f"CommandError: {bad}, field 'amount': 支払金額 300,001円")
    assert not out.exists()

    good = request_file(tmp_path, REQUEST)
    result = kyodo("--json", good, "--out", str(out))
    assert (result.returncode, result.stderr) == (0, "")
    assert json.loads(result.stdout) == {"data": expected_data()}
    assert out.read_bytes().startswith(b"%PDF-")
