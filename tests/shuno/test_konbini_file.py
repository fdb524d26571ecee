"""The payment-result file layout (docs/formats/konbini-result.md) and the free field: pure."""

from __future__ import annotations

import datetime as dt

import pytest

from kyodo.units.shuno import konbini_file
from kyodo.units.shuno.barcode import build, parse
from kyodo.units.shuno.errors import InvalidInput
from kyodo.units.shuno.freefield import TAX_CODES, NoticeRef, decode, encode
from kyodo.units.shuno.models import TaxKind

REF = NoticeRef(tenant_code="162116", tax_kind="kokuho", fiscal_year=2026, notice_no=123, kibetsu=2)
DATA = build(
    company_code="912345",
    free=encode(REF),
    reissue=0,
    due_date=dt.date(2026, 7, 31),
    stamp=0,
    amount=12_300,
)
CREATED = dt.date(2026, 8, 10)


def payment(**change: object) -> konbini_file.Payment:
    fields: dict[str, object] = {
        "receipt_no": "42",
        "paid_on": dt.date(2026, 7, 30),
        "data": DATA,
        "amount": 12_300,
        "paid_time": "0931",
        "store_code": "12345678",
    }
    return konbini_file.Payment(**{**fields, **change})  # type: ignore[arg-type]


def records(report: str = "sokuho", payments: list | None = None) -> list[str]:
    content = konbini_file.render(
        report=report,
        company_code="912345",
        created_on=CREATED,
        payments=payments if payments is not None else [payment()],
    )
    return content.decode("ascii").split("\r\n")[:-1]


def read(lines: list[str]) -> konbini_file.ResultFile:
    return konbini_file.read("\n".join(lines).encode("ascii"))


def problems(lines: list[str]) -> list[tuple[int | None, str, str]]:
    return [(p.line, p.field, p.reason) for p in read(lines).problems]


def put(record: str, column: int, text: str) -> str:
    return record[: column - 1] + text + record[column - 1 + len(text) :]


# --- free field ------------------------------------------------------------------------------


def test_the_free_field_round_trips() -> None:
    free = encode(REF)
    assert free == "162116022600000012302"
    assert decode(free) == REF
    assert decode(parse(DATA).free) == REF


def test_every_tax_kind_has_a_free_field_code() -> None:
    assert set(TAX_CODES) == set(TaxKind.values)
    assert len(set(TAX_CODES.values())) == len(TAX_CODES)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"notice_no": 1_000_000_000}, "notice_no"),
        ({"notice_no": 0}, "notice_no"),
        ({"kibetsu": 100}, "kibetsu"),
        ({"fiscal_year": 1999}, "fiscal_year"),
        ({"tax_kind": "shotokuzei"}, "tax_kind"),
        ({"tenant_code": "16211"}, "tenant_code"),
    ],
)
def test_encode_refuses_what_does_not_fit(change: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        encode(NoticeRef(**{**vars(REF), **change}))
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("free", "reason"),
    [
        ("162116992600000012302", "税目コード 99"),
        ("162116022600000000002", "通知書番号が 0"),
        ("162116022600000012300", "期別が 00"),
        ("16211602260000001230", "21桁"),
    ],
)
def test_decode_refuses_free_fields_that_are_not_kyodos(free: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        decode(free)


# --- reading ---------------------------------------------------------------------------------


def test_a_rendered_file_reads_back() -> None:
    result = read(records("kakuho", [payment(transfer_on=dt.date(2026, 8, 6))]))
    assert result.problems == []
    assert result.header == konbini_file.Header("kakuho", "912345", CREATED)
    [row] = result.rows
    assert (row.line, row.receipt_no, row.paid_on, row.paid_time, row.amount) == (
        2,
        "00000000000000000042",
        dt.date(2026, 7, 30),
        "0931",
        12_300,
    )
    assert (row.transfer_on, row.barcode_amount, row.data) == (dt.date(2026, 8, 6), 12_300, DATA)
    assert (row.company_code, row.free, row.barcode) == ("912345", encode(REF), parse(DATA))


def test_lf_line_ends_and_a_missing_last_newline_are_accepted() -> None:
    lines = records()
    assert konbini_file.read("\n".join(lines).encode("ascii")).problems == []
    assert konbini_file.read(("\r\n".join(lines) + "\r\n").encode("ascii")).problems == []


def test_header_problems() -> None:
    lines = records()
    lines[0] = put(lines[0], 2, "3")
    assert problems(lines) == [(1, "report", "1（速報）か 2（確報）です (got '3')")]
    lines = records()
    lines[0] = put(lines[0], 9, "20261301")
    assert problems(lines) == [(1, "created_on", "YYYYMMDD の存在する日付です (got 20261301)")]


def test_data_field_problems() -> None:
    cases = [
        (2, "X", "receipt_no"),
        (30, "2460", "paid_time"),
        (34, "A", "store_code"),
        (42, "92", "barcode"),  # AI 92
        (110, "0", "filler"),
    ]
    for column, text, field in cases:
        lines = records()
        lines[1] = put(lines[1], column, text)
        assert [(p[0], p[1]) for p in problems(lines)] == [(2, field)], field


def test_dates_must_be_in_order() -> None:
    later = read(records(payments=[payment(paid_on=dt.date(2026, 8, 11))]))
    assert [(p.field, p.reason) for p in later.problems] == [
        ("paid_on", "収納日 2026-08-11 がファイルの作成日 2026-08-10 より後です")
    ]
    early = read(records("kakuho", [payment(transfer_on=dt.date(2026, 7, 29))]))
    assert [p.field for p in early.problems] == ["transfer_on"]
    missing = read(records("kakuho", [payment()]))  # 確報 without 払込予定日
    assert [(p.field, p.columns) for p in missing.problems] == [("transfer_on", "92-99")]


def test_structure_problems() -> None:
    header, data, trailer, end = records()
    assert problems([data, header, trailer, end])[0][2] == "先頭のレコードはヘッダー（区分 1）です"
    assert (2, "record_type", "ヘッダー（区分 1）は先頭に1件だけです") in problems(
        [header, header, data, trailer, end]
    )
    assert (4, "record_type", "データ（区分 2）がトレーラー（区分 8）の後にあります") in problems(
        [header, data, trailer, data, end]
    )
    assert problems([header, data, end]) == [(3, "record_type", "トレーラー（区分 8）がありません")]
    assert problems([header, data, trailer]) == [
        (3, "record_type", "最後のレコードはエンド（区分 9）です")
    ]
    assert problems([header, data, trailer, end, end]) == [
        (5, "record_type", "エンド（区分 9）の後にレコードがあります")
    ]
    assert problems([header, data, trailer, put(end, 1, "7")]) == [
        (4, "record_type", "レコード区分は 1・2・8・9 のいずれかです (got '7')"),
        (4, "record_type", "最後のレコードはエンド（区分 9）です"),
    ]


def test_trailer_totals_must_add_up() -> None:
    header, data, trailer, end = records()
    assert problems([header, data, put(trailer, 9, "000000012301"), end]) == [
        (3, "total", "合計金額 12,301円 がデータの収納金額の合計 12,300円 と違います")
    ]


def test_an_empty_file() -> None:
    assert problems([]) == [(None, "file", "データがありません（空のファイル）")]
