"""Another vendor's export (fixed-width Shift_JIS records with 和暦 dates and its own codes,
and a CSV of households) into the standard layouts through a declarative mapping, then
imported; source problems are reported by source file, line and item (issue 6)."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from kyodo.atena.models import Household, Person, SearchKey
from kyodo.atena.numbering import with_check_digit
from kyodo.atena.services import next_number
from kyodo.iko.load import import_tenant
from kyodo.iko.mapping import convert
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.platform.tenancy.services import tenant_create
from tests.conftest import new_tenant_code

MAPPING = {
    "files": [
        {
            "source": "SETAI.CSV", "format": "csv", "encoding": "cp932", "header": True,
            "target": "02_atena_setai.csv",
            "items": {
                "ID": {"generate": "row"},
                "世帯番号": {"from": "世帯CD"},
                "郵便番号": {"from": "郵便"},
                "町字": {"from": "住所1"},
                "番地": {"from": "住所2"},
            },
        },
        {
            "source": "JUMIN.DAT", "format": "fixed", "encoding": "cp932",
            "columns": {"ATENA": [0, 10], "SEI": [10, 20], "MEI": [20, 30], "SEIK": [30, 42],
                        "MEIK": [42, 54], "SEX": [54, 55], "BIRTH": [55, 65], "SETAI": [65, 75]},
            "target": "03_atena_kojin.csv",
            "items": {
                "ID": {"generate": "row"},
                "宛名番号": {"from": "ATENA", "strip": "0"},
                "世帯ID": {"lookup": {"file": "02_atena_setai.csv", "by": "世帯番号",
                                      "from": "SETAI"}, "strip": "0"},
                "区分": {"value": "jumin"},
                "氏": {"from": "SEI"}, "名": {"from": "MEI"},
                "氏（カナ）": {"from": "SEIK"}, "名（カナ）": {"from": "MEIK"},
                "性別": {"from": "SEX", "codes": {"M": "1", "F": "2"}},
                "生年月日": {"from": "BIRTH", "date": "wareki"},
            },
        },
    ]
}  # fmt: skip


def _field(text: str, width: int) -> bytes:
    data = text.encode("cp932")
    assert len(data) <= width
    return data + b" " * (width - len(data))


def _record(  # noqa: PLR0917  (one record's fields, in the record's order)
    atena: int, sei: str, mei: str, seik: str, meik: str, sex: str, birth: str, setai: int
) -> bytes:
    return (
        f"{atena:010d}".encode()
        + _field(sei, 10) + _field(mei, 10) + _field(seik, 12) + _field(meik, 12)
        + sex.encode() + _field(birth, 10) + f"{setai:010d}".encode() + b"\r\n"
    )  # fmt: skip


HOUSEHOLD = with_check_digit(501)
TARO, HANAKO, ICHIRO = (with_check_digit(n) for n in (1001, 1002, 1003))


def _vendor(folder: Path, *, spoil: bool = False) -> Path:
    folder.mkdir()
    (folder / "SETAI.CSV").write_bytes(
        f"世帯CD,郵便,住所1,住所2\r\n{HOUSEHOLD},939-0341,戸破,1885-2\r\n".encode("cp932")
    )
    records = [
        _record(TARO, "髙橋", "太郎", "タカハシ", "タロウ", "M", "S55.4.1", HOUSEHOLD),
        _record(HANAKO, "髙橋", "花子", "タカハシ", "ハナコ", "F", "H2.1.20", HOUSEHOLD),
        _record(ICHIRO, "髙橋", "一郎", "タカハシ", "イチロウ", "M", "R8.11.15", HOUSEHOLD),
    ]
    if spoil:
        records[1] = _record(HANAKO, "髙橋", "花子", "タカハシ", "ハナコ", "X", "R8.2.30", 999)
        records.append(b"0000012345\r\n")
    (folder / "JUMIN.DAT").write_bytes(b"".join(records))
    mapping = folder.parent / "mapping.json"
    mapping.write_text(json.dumps(MAPPING, ensure_ascii=False), encoding="utf-8")
    return mapping


def test_a_vendor_export_is_converted_and_imported(committed_db: None, tmp_path: Path) -> None:
    mapping = _vendor(tmp_path / "vendor")
    out = tmp_path / "standard"
    problems = convert(mapping, tmp_path / "vendor", out)
    assert problems.count == 0, problems.shown
    code = tenant_create(code=new_tenant_code(), name="後乗り町", population=3).code
    result = import_tenant(code, out)
    assert result.loaded, result.problems.shown
    with tenant_scope(code):
        people = {p.given_name: p for p in Person.objects.select_related("household")}
        assert people["太郎"].birth_date == dt.date(1980, 4, 1)  # 昭和55年
        assert people["花子"].birth_date == dt.date(1990, 1, 20) and people["花子"].sex == 2
        assert people["一郎"].birth_date == dt.date(2026, 11, 15)  # 令和8年
        assert people["太郎"].household.household_no == HOUSEHOLD
        assert Household.objects.get().town == "戸破"
        # The vendor had no search keys: they were built, so the counter finds the people.
        assert SearchKey.objects.filter(atena_no=TARO).exists()
        assert people["太郎"].search_kana and people["太郎"].search_address
        # Numbering continues after the imported numbers.
        assert next_number("person") == with_check_digit(1004)
        assert next_number("household") == with_check_digit(502)


def test_source_problems_name_the_source_file_line_and_item(
    committed_db: None, tmp_path: Path
) -> None:
    mapping = _vendor(tmp_path / "vendor", spoil=True)
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "iko", "convert", str(tmp_path / "vendor"), "--mapping", str(mapping),
            "--out", str(tmp_path / "standard"), stdout=io.StringIO(), stderr=err,
        )  # fmt: skip
    text = err.getvalue()
    assert "JUMIN.DAT, line 2, field '性別': コード変換表にない値です: 'X'" in text
    assert "JUMIN.DAT, line 2, field '生年月日': 日付が読めません: 'R8.2.30'" in text
    assert "JUMIN.DAT, line 2, field '世帯ID': 02_atena_setai.csv の 世帯番号 に '999'" in text
    assert "JUMIN.DAT, line 4, field '': レコード長が 10 バイトです" in text


def test_a_mapping_that_names_no_such_item_is_refused(tmp_path: Path) -> None:
    bad = {"files": [{"source": "A.CSV", "target": "03_atena_kojin.csv",
                      "items": {"苗字": {"from": "SEI"}}}]}  # fmt: skip
    mapping = tmp_path / "m.json"
    mapping.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(Exception, match=r"03_atena_kojin\.csv にこの項目はありません"):
        convert(mapping, tmp_path, tmp_path / "out")
