"""Reading a コンビニ収納 payment-result file (速報・確報): Kyodo's fixed-width layout.

Pure: no Django, no database. No official layout of these files is in our sources (each
収納代行業者 has its own), so Kyodo defines one; a collector's own layout is converted to it
before import. The full description, with an example, is docs/formats/konbini-result.md.

The file is ASCII text (digits, spaces), one record of exactly 120 characters per line, lines
ending in LF or CRLF. Columns are counted from 1.

Header (one, first)::

    1       1   レコード区分            "1"
    2       1   速報・確報区分          "1" = 速報, "2" = 確報
    3–8     6   請求書発行企業コード    the collector's company code (as in the barcode)
    9–16    8   作成日                  YYYYMMDD
    17–120  104 予備                    spaces

Data (one per payment)::

    1       1   レコード区分            "2"
    2–21    20  受付番号                the collector's number of this payment, unique per
                                        collector: the payment's idempotency key
    22–29   8   収納日                  YYYYMMDD, the day the store took the money (領収日)
    30–33   4   収納時刻                HHMM
    34–41   8   店舗コード              digits
    42–85   44  バーコードデータ        the 44 digits scanned (AI 91 … check digit)
    86–91   6   収納金額                yen, zero-padded, at least 1
    92–99   8   払込予定日              YYYYMMDD in a 確報; 00000000 in a 速報
    100–120 21  予備                    spaces

Trailer (one, after the data)::

    1       1   レコード区分            "8"
    2–8     7   データ件数              the number of data records
    9–20    12  合計金額                the sum of 収納金額
    21–120  100 予備                    spaces

End (one, last)::

    1       1   レコード区分            "9"
    2–120   119 予備                    spaces

:func:`read` checks the *form* of every record and returns every problem found (line, field,
columns, reason in Japanese); a file with any problem is refused as a whole by the importer.
Matching rows to 調定 (unknown notices, amount mismatches, duplicates) is the importer's job.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from .barcode import COMPANY_CODE_FIRST, NO_DUE_DATE, Barcode, modulus10_weight31, parse
from .errors import InvalidInput

__all__ = ["RECORD_LENGTH", "Header", "Payment", "Problem", "ResultFile", "Row", "read", "render"]

RECORD_LENGTH = 120
HEADER, DATA, TRAILER, END = "1", "2", "8", "9"
REPORT_KINDS = {"1": "sokuho", "2": "kakuho"}
NO_DATE = "00000000"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    start: int  # 1-based column
    length: int

    @property
    def columns(self) -> str:
        return f"{self.start}-{self.start + self.length - 1}"

    def cut(self, record: str) -> str:
        return record[self.start - 1 : self.start - 1 + self.length]


def _layout(*fields: tuple[str, str, int]) -> dict[str, Field]:
    result, start = {}, 1
    for name, label, length in fields:
        result[name] = Field(name, label, start, length)
        start += length
    assert start == RECORD_LENGTH + 1, (fields, start)
    return result


HEADER_FIELDS = _layout(
    ("record_type", "レコード区分", 1),
    ("report", "速報・確報区分", 1),
    ("company_code", "請求書発行企業コード", 6),
    ("created_on", "作成日", 8),
    ("filler", "予備", 104),
)
DATA_FIELDS = _layout(
    ("record_type", "レコード区分", 1),
    ("receipt_no", "受付番号", 20),
    ("paid_on", "収納日", 8),
    ("paid_time", "収納時刻", 4),
    ("store_code", "店舗コード", 8),
    ("barcode", "バーコードデータ", 44),
    ("amount", "収納金額", 6),
    ("transfer_on", "払込予定日", 8),
    ("filler", "予備", 21),
)
TRAILER_FIELDS = _layout(
    ("record_type", "レコード区分", 1),
    ("count", "データ件数", 7),
    ("total", "合計金額", 12),
    ("filler", "予備", 100),
)
END_FIELDS = _layout(("record_type", "レコード区分", 1), ("filler", "予備", 119))
RECORD_FIELD = Field("record", "レコード", 1, RECORD_LENGTH)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (line, field, columns) and why (Japanese)."""

    line: int | None
    field: str
    label: str
    columns: str
    reason: str


@dataclass(frozen=True)
class Header:
    report: str  # "sokuho" | "kakuho"
    company_code: str
    created_on: dt.date


@dataclass(slots=True)
class Row:
    """One well-formed data record (not frozen: a frozen dataclass is slow to build, and a
    file has 100,000 of these). The barcode's fields are read from ``data`` when asked."""

    line: int
    receipt_no: str
    paid_on: dt.date
    paid_time: str
    store_code: str
    data: str  # the 44 barcode digits, their check digit verified
    amount: int  # 収納金額
    transfer_on: dt.date | None

    @property
    def company_code(self) -> str:
        return self.data[2:8]

    @property
    def free(self) -> str:
        return self.data[8:29]

    @property
    def barcode_amount(self) -> int:
        return int(self.data[37:43])

    @property
    def barcode(self) -> Barcode:
        return parse(self.data)


@dataclass
class ResultFile:
    header: Header | None = None
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    data_records: int = 0  # data records seen, well-formed or not
    lines: int = 0


class _Bad(Exception):
    def __init__(self, spec: Field, reason: str) -> None:
        self.spec = spec
        self.reason = reason


def read(content: bytes) -> ResultFile:
    """Every record of ``content`` checked; the well-formed rows and every problem found."""
    result = ResultFile()
    lines = content.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()  # the newline after the last record
    result.lines = len(lines)
    if not lines:
        result.problems.append(
            Problem(None, "file", "ファイル", "", "データがありません（空のファイル）")
        )
        return result
    seen = _Seen()
    total = 0
    trailer: tuple[int, int, int] | None = None  # (line, count, total)
    for number, raw in enumerate(lines, start=1):
        record = _decode(raw, number, result)
        if record is None:
            continue
        kind = record[:1]
        _check_order(kind, seen, number, result)
        seen.add(kind)
        try:
            if kind == HEADER:
                result.header = result.header or _header(record)
            elif kind == DATA:
                result.data_records += 1
                row = _data(record, number, result.header)
                result.rows.append(row)
                total += row.amount
            elif kind == TRAILER:
                trailer = (number, *_trailer(record))
            elif kind == END:
                _filler(record, END_FIELDS["filler"])
        except _Bad as bad:
            result.problems.append(_problem(number, bad.spec, bad.reason))
    _check_ends(seen, len(lines), result)
    if trailer is not None:
        _check_totals(trailer, total, result)
    return result


# --- records --------------------------------------------------------------------------------


def _decode(raw: bytes, number: int, result: ResultFile) -> str | None:
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    try:
        record = raw.decode("ascii")
    except UnicodeDecodeError as exc:
        byte = raw[exc.start]
        result.problems.append(
            _problem(
                number,
                RECORD_FIELD,
                f"ASCII 以外のバイトがあります（{exc.start + 1}バイト目 0x{byte:02X}）。"
                "全角文字や Shift_JIS・UTF-8 の文字は使えません",
            )
        )
        return None
    if len(record) != RECORD_LENGTH:
        result.problems.append(
            _problem(
                number,
                RECORD_FIELD,
                f"レコード長は{RECORD_LENGTH}文字です (got {len(record)}文字)",
            )
        )
        return None
    if record[:1] not in (HEADER, DATA, TRAILER, END):
        result.problems.append(
            _problem(
                number,
                DATA_FIELDS["record_type"],
                f"レコード区分は 1・2・8・9 のいずれかです (got {record[:1]!r})",
            )
        )
        return None
    return record


def _header(record: str) -> Header:
    spec = HEADER_FIELDS
    report = REPORT_KINDS.get(spec["report"].cut(record))
    if report is None:
        raise _Bad(
            spec["report"], f"1（速報）か 2（確報）です (got {spec['report'].cut(record)!r})"
        )
    company = _digits(record, spec["company_code"])
    created = _date(record, spec["created_on"])
    _filler(record, spec["filler"])
    return Header(report=report, company_code=company, created_on=created)


# A well-formed data record, field by field; most records of a file are, and matching them
# whole is several times faster than checking each field. Any record that does not match
# (or fails a check below) goes through the field-by-field path, which names the problem.
_DATA_SHAPE = re.compile(r"2(\d{20})(\d{8})(\d{4})(\d{8})(91\d{42})(\d{6})(\d{8}) {21}")


@lru_cache(maxsize=4096)
def _day(text: str) -> dt.date | None:
    """YYYYMMDD as a date (None if there is no such day); a file has few distinct days."""
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _due_ok(text: str) -> bool:
    """The barcode's 支払期限日 (YYMMDD or 999999) is readable."""
    return text == NO_DUE_DATE or _day(f"20{text}") is not None


def _fast_data(record: str, number: int, header: Header | None) -> Row | None:
    """The row if every field is well formed, else None (the slow path says what is wrong)."""
    match = _DATA_SHAPE.fullmatch(record)
    if match is None or header is None:
        return None
    receipt_no, paid, time, store, data, amount_text, transfer = match.groups()
    paid_on = _day(paid)
    amount = int(amount_text)
    if (
        paid_on is None
        or paid_on > header.created_on
        or int(time[:2]) > 23
        or int(time[2:]) > 59
        or amount == 0
        or not _due_ok(data[30:36])
        or data[2] not in COMPANY_CODE_FIRST
        or data[36] not in "01"
        or modulus10_weight31(data[:43]) != int(data[43])
    ):
        return None
    if header.report == "sokuho":
        if transfer != NO_DATE:
            return None
        transfer_on = None
    else:
        transfer_on = _day(transfer)
        if transfer_on is None or transfer_on < paid_on:
            return None
    return Row(number, receipt_no, paid_on, time, store, data, amount, transfer_on)


def _data(record: str, number: int, header: Header | None) -> Row:
    fast = _fast_data(record, number, header)
    if fast is not None:
        return fast
    spec = DATA_FIELDS
    receipt_no = _digits(record, spec["receipt_no"])
    paid_on = _date(record, spec["paid_on"])
    paid_time = _digits(record, spec["paid_time"])
    if int(paid_time[:2]) > 23 or int(paid_time[2:]) > 59:
        raise _Bad(spec["paid_time"], f"HHMM の時刻です (got {paid_time})")
    store_code = _digits(record, spec["store_code"])
    data = spec["barcode"].cut(record)
    try:
        parse(data)
    except InvalidInput as exc:
        raise _Bad(spec["barcode"], exc.reason) from None
    amount = int(_digits(record, spec["amount"]))
    if amount == 0:
        raise _Bad(spec["amount"], "収納金額が 0 円です")
    transfer_on = _transfer_on(record, paid_on, header)
    _filler(record, spec["filler"])
    if header is not None and paid_on > header.created_on:
        raise _Bad(
            spec["paid_on"], f"収納日 {paid_on} がファイルの作成日 {header.created_on} より後です"
        )
    return Row(
        line=number,
        receipt_no=receipt_no,
        paid_on=paid_on,
        paid_time=paid_time,
        store_code=store_code,
        data=data,
        amount=amount,
        transfer_on=transfer_on,
    )


def _transfer_on(record: str, paid_on: dt.date, header: Header | None) -> dt.date | None:
    spec = DATA_FIELDS["transfer_on"]
    text = spec.cut(record)
    if header is None:
        return None  # the header's problem is reported; its kind is unknown
    if header.report == "sokuho":
        if text != NO_DATE:
            raise _Bad(spec, f"速報では {NO_DATE} です (got {text!r})")
        return None
    transfer_on = _date(record, spec)
    if transfer_on < paid_on:
        raise _Bad(spec, f"払込予定日 {transfer_on} が収納日 {paid_on} より前です")
    return transfer_on


def _trailer(record: str) -> tuple[int, int]:
    count = int(_digits(record, TRAILER_FIELDS["count"]))
    total = int(_digits(record, TRAILER_FIELDS["total"]))
    _filler(record, TRAILER_FIELDS["filler"])
    return count, total


# --- structure ------------------------------------------------------------------------------


@dataclass
class _Seen:
    """The record types read so far (a set, not a list: the file may hold 100,000 rows)."""

    kinds: set[str] = field(default_factory=set)
    last: str = ""

    def add(self, kind: str) -> None:
        self.kinds.add(kind)
        self.last = kind


def _check_order(kind: str, seen: _Seen, number: int, result: ResultFile) -> None:
    spec = DATA_FIELDS["record_type"]
    closed = TRAILER in seen.kinds or END in seen.kinds
    if not seen.kinds and kind != HEADER:
        result.problems.append(_problem(number, spec, "先頭のレコードはヘッダー（区分 1）です"))
    elif seen.kinds and kind == HEADER:
        result.problems.append(_problem(number, spec, "ヘッダー（区分 1）は先頭に1件だけです"))
    elif kind == DATA and closed:
        result.problems.append(
            _problem(number, spec, "データ（区分 2）がトレーラー（区分 8）の後にあります")
        )
    elif kind == TRAILER and closed:
        result.problems.append(_problem(number, spec, "トレーラー（区分 8）は1件だけです"))
    elif seen.last == END:
        result.problems.append(_problem(number, spec, "エンド（区分 9）の後にレコードがあります"))


def _check_ends(seen: _Seen, last_line: int, result: ResultFile) -> None:
    spec = DATA_FIELDS["record_type"]
    if seen.kinds and TRAILER not in seen.kinds:
        result.problems.append(_problem(last_line, spec, "トレーラー（区分 8）がありません"))
    if seen.kinds and seen.last != END:
        result.problems.append(_problem(last_line, spec, "最後のレコードはエンド（区分 9）です"))


def _check_totals(trailer: tuple[int, int, int], total: int, result: ResultFile) -> None:
    number, count, declared = trailer
    if count != result.data_records:
        result.problems.append(
            _problem(
                number,
                TRAILER_FIELDS["count"],
                f"データ件数 {count} 件が実際のデータレコード {result.data_records} 件と違います",
            )
        )
    # Only comparable when every data record's amount could be read.
    if len(result.rows) == result.data_records and declared != total:
        result.problems.append(
            _problem(
                number,
                TRAILER_FIELDS["total"],
                f"合計金額 {declared:,}円 がデータの収納金額の合計 {total:,}円 と違います",
            )
        )


# --- fields ---------------------------------------------------------------------------------


def _problem(line: int | None, spec: Field, reason: str) -> Problem:
    return Problem(line, spec.name, spec.label, spec.columns, reason)


def _digits(record: str, spec: Field) -> str:
    text = spec.cut(record)
    if not text.isdigit():  # the record is ASCII already, so these are 0–9 only
        raise _Bad(spec, f"{spec.length}桁の半角数字です (got {text!r})")
    return text


def _date(record: str, spec: Field) -> dt.date:
    text = _digits(record, spec)
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise _Bad(spec, f"YYYYMMDD の存在する日付です (got {text})") from None


def _filler(record: str, spec: Field) -> None:
    if spec.cut(record).strip(" "):
        raise _Bad(spec, "予備欄は空白です（レイアウトのずれの可能性があります）")


# --- writing (for collectors' converters, the tests and the benchmark) -----------------------


@dataclass(frozen=True)
class Payment:
    """One payment to write as a data record."""

    receipt_no: str
    paid_on: dt.date
    data: str  # the 44 barcode digits
    amount: int
    paid_time: str = "1200"
    store_code: str = "00000001"
    transfer_on: dt.date | None = None


def render(
    *, report: str, company_code: str, created_on: dt.date, payments: list[Payment]
) -> bytes:
    """The file for these payments in Kyodo's layout (CRLF line ends, as collectors send)."""
    kind = {v: k for k, v in REPORT_KINDS.items()}[report]
    lines = [f"{HEADER}{kind}{company_code}{created_on:%Y%m%d}".ljust(RECORD_LENGTH)]
    for p in payments:
        transfer = f"{p.transfer_on:%Y%m%d}" if p.transfer_on else NO_DATE
        lines.append(
            f"{DATA}{p.receipt_no.rjust(20, '0')}{p.paid_on:%Y%m%d}{p.paid_time}{p.store_code}"
            f"{p.data}{p.amount:06d}{transfer}".ljust(RECORD_LENGTH)
        )
    total = sum(p.amount for p in payments)
    lines.append(f"{TRAILER}{len(payments):07d}{total:012d}".ljust(RECORD_LENGTH))
    lines.append(END.ljust(RECORD_LENGTH))
    return ("\r\n".join(lines) + "\r\n").encode("ascii")
