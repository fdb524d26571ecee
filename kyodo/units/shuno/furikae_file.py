"""Reading a 口座振替 result file (振替結果): Kyodo's fixed-width layout, modelled on 全銀協.

Pure: no Django, no database. The layout is the one Kyodo reads; it follows the structure of
the common 全銀協 口座振替 result format (header / data / trailer / end, 120-byte records, a
振替結果コード per data record) but its exact positions are not confirmed against the 全銀協
specification, and it differs on purpose where noted (an 8-digit 引落日; ASCII only, so names
are not checked). A bank's own file is converted to it before import. The full description,
with an example, is docs/formats/kouza-furikae.md.

Header (1)::

    1      1   データ区分        "1"
    2–3    2   種別コード        "91" (口座振替)
    4      1   コード区分        "0"
    5–14   10  委託者コード      digits
    15–54  40  委託者名          any ASCII (not checked)
    55–62  8   引落日            YYYYMMDD (全銀協: MMDD)
    63–66  4   取引銀行番号      digits
    67–69  3   取引支店番号      digits
    70–120 51  ダミー            spaces

Data (one per installment requested)::

    1      1   データ区分        "2"
    2–5    4   引落銀行番号      digits
    6–8    3   引落支店番号      digits
    9      1   預金種目          1 普通, 2 当座, 9 その他
    10–16  7   口座番号          digits
    17–46  30  預金者名          any ASCII (not checked)
    47–56  10  引落金額          yen, at least 1
    57     1   新規コード        0, 1 or 2
    58–77  20  顧客番号          "00000" + 税目コード(2) + 年度(2) + 通知書番号(9) + 期別(2):
                                 the 自由使用欄 of a コンビニ slip without its 団体コード
    78     1   振替結果コード    0 振替済, 1 資金不足, 2 取引なし, 3 預金者の都合,
                                 4 依頼書なし, 8 委託者の都合, 9 その他
    79–120 42  ダミー            spaces

Trailer (1)::

    1      1   データ区分        "8"
    2–7    6   合計件数
    8–19   12  合計金額
    20–25  6   振替済件数
    26–37  12  振替済金額
    38–43  6   振替不能件数
    44–55  12  振替不能金額
    56–120 65  ダミー            spaces

End (1): "9" and 119 spaces.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .freefield import TAX_CODES
from .konbini_file import Field, Problem

__all__ = ["RECORD_LENGTH", "RESULT_CODES", "Header", "ResultFile", "Row", "read", "render"]

RECORD_LENGTH = 120
HEADER, DATA, TRAILER, END = "1", "2", "8", "9"
FURIKAE_ZUMI = "0"
RESULT_CODES = {
    "0": "振替済",
    "1": "資金不足",
    "2": "取引なし",
    "3": "預金者の都合による振替停止",
    "4": "預金口座振替依頼書なし",
    "8": "委託者の都合による振替停止",
    "9": "その他",
}
CUSTOMER_PAD = "00000"
_KINDS = {code: kind for kind, code in TAX_CODES.items()}


def _layout(*fields: tuple[str, str, int]) -> dict[str, Field]:
    result, start = {}, 1
    for name, label, length in fields:
        result[name] = Field(name, label, start, length)
        start += length
    assert start == RECORD_LENGTH + 1, (fields, start)
    return result


HEADER_FIELDS = _layout(
    ("record_type", "データ区分", 1),
    ("kind_code", "種別コード", 2),
    ("code_kind", "コード区分", 1),
    ("itakusha_code", "委託者コード", 10),
    ("itakusha_name", "委託者名", 40),
    ("transfer_on", "引落日", 8),
    ("bank", "取引銀行番号", 4),
    ("branch", "取引支店番号", 3),
    ("filler", "ダミー", 51),
)
DATA_FIELDS = _layout(
    ("record_type", "データ区分", 1),
    ("bank", "引落銀行番号", 4),
    ("branch", "引落支店番号", 3),
    ("account_type", "預金種目", 1),
    ("account_no", "口座番号", 7),
    ("holder", "預金者名", 30),
    ("amount", "引落金額", 10),
    ("new_code", "新規コード", 1),
    ("customer_no", "顧客番号", 20),
    ("result_code", "振替結果コード", 1),
    ("filler", "ダミー", 42),
)
TRAILER_FIELDS = _layout(
    ("record_type", "データ区分", 1),
    ("count", "合計件数", 6),
    ("total", "合計金額", 12),
    ("done_count", "振替済件数", 6),
    ("done_total", "振替済金額", 12),
    ("failed_count", "振替不能件数", 6),
    ("failed_total", "振替不能金額", 12),
    ("filler", "ダミー", 65),
)
END_FIELDS = _layout(("record_type", "データ区分", 1), ("filler", "ダミー", 119))
RECORD_FIELD = Field("record", "レコード", 1, RECORD_LENGTH)


@dataclass(frozen=True)
class Header:
    itakusha_code: str
    transfer_on: dt.date


@dataclass(frozen=True)
class Row:
    line: int
    amount: int
    customer_no: str
    notice: tuple[str, int, int, int] | None  # 税目, 年度, 通知書番号, 期別 (None: not Kyodo's)
    result_code: str

    @property
    def transferred(self) -> bool:
        return self.result_code == FURIKAE_ZUMI


@dataclass
class ResultFile:
    header: Header | None = None
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    data_records: int = 0


class _Bad(Exception):
    def __init__(self, spec: Field, reason: str) -> None:
        self.spec = spec
        self.reason = reason


def notice_of(customer_no: str) -> tuple[str, int, int, int] | None:
    """The installment a 顧客番号 names, or None if it is not in Kyodo's form."""
    if not customer_no.startswith(CUSTOMER_PAD) or not customer_no.isdigit():
        return None
    body = customer_no[len(CUSTOMER_PAD) :]
    kind = _KINDS.get(body[:2])
    notice_no, kibetsu = int(body[4:13]), int(body[13:15])
    if kind is None or notice_no == 0 or kibetsu == 0:
        return None
    return (kind, 2000 + int(body[2:4]), notice_no, kibetsu)


def customer_no(tax_kind: str, fiscal_year: int, notice_no: int, kibetsu: int) -> str:
    return f"{CUSTOMER_PAD}{TAX_CODES[tax_kind]}{fiscal_year % 100:02d}{notice_no:09d}{kibetsu:02d}"


def read(content: bytes) -> ResultFile:
    """Every record checked; the well-formed rows and every problem (line, field, reason)."""
    result = ResultFile()
    lines = content.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    if not lines:
        result.problems.append(Problem(None, "file", "ファイル", "", "データがありません"))
        return result
    kinds = _Seen()
    sums = [0, 0, 0, 0, 0, 0]  # count, total, done count, done total, failed count, total
    trailer: tuple[int, list[int]] | None = None
    for number, raw in enumerate(lines, start=1):
        record = _decode(raw, number, result)
        if record is None:
            continue
        kind = record[:1]
        _check_order(kind, kinds, number, result)
        kinds.add(kind)
        try:
            if kind == HEADER:
                result.header = result.header or _header(record)
            elif kind == DATA:
                result.data_records += 1
                row = _data(record, number)
                result.rows.append(row)
                _add(sums, row)
            elif kind == TRAILER:
                trailer = (number, _trailer(record))
            elif kind == END:
                _filler(record, END_FIELDS["filler"])
        except _Bad as bad:
            result.problems.append(_problem(number, bad.spec, bad.reason))
    _check_ends(kinds, len(lines), result)
    if trailer is not None and len(result.rows) == result.data_records:
        _check_totals(trailer, sums, result)
    return result


@dataclass
class _Seen:
    """The record types read so far (a set: a file may hold 100,000 rows) and the last one."""

    kinds: set[str] = field(default_factory=set)
    last: str = ""

    def add(self, kind: str) -> None:
        self.kinds.add(kind)
        self.last = kind

    def __contains__(self, kind: str) -> bool:
        return kind in self.kinds

    def __bool__(self) -> bool:
        return bool(self.kinds)


def _add(sums: list[int], row: Row) -> None:
    """Count ``row`` into [件数, 金額, 振替済件数, 振替済金額, 振替不能件数, 振替不能金額]."""
    sums[0] += 1
    sums[1] += row.amount
    at = 2 if row.transferred else 4
    sums[at] += 1
    sums[at + 1] += row.amount


def _check_ends(kinds: _Seen, last_line: int, result: ResultFile) -> None:
    if kinds and TRAILER not in kinds:
        result.problems.append(
            _problem(last_line, RECORD_FIELD, "トレーラー（区分 8）がありません")
        )
    if kinds and kinds.last != END:
        result.problems.append(
            _problem(last_line, RECORD_FIELD, "最後のレコードはエンド（区分 9）です")
        )


def _check_totals(trailer: tuple[int, list[int]], sums: list[int], result: ResultFile) -> None:
    number, declared = trailer
    names = ("count", "total", "done_count", "done_total", "failed_count", "failed_total")
    for name, said, found in zip(names, declared, sums, strict=True):
        if said != found:
            spec = TRAILER_FIELDS[name]
            result.problems.append(
                _problem(number, spec, f"{spec.label} {said:,} がデータの集計 {found:,} と違います")
            )


def _decode(raw: bytes, number: int, result: ResultFile) -> str | None:
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    try:
        record = raw.decode("ascii")
    except UnicodeDecodeError as exc:
        result.problems.append(
            _problem(
                number,
                RECORD_FIELD,
                f"ASCII 以外のバイトがあります（{exc.start + 1}バイト目 0x{raw[exc.start]:02X}）",
            )
        )
        return None
    if len(record) != RECORD_LENGTH:
        result.problems.append(
            _problem(
                number, RECORD_FIELD, f"レコード長は{RECORD_LENGTH}文字です (got {len(record)}文字)"
            )
        )
        return None
    if record[:1] not in (HEADER, DATA, TRAILER, END):
        result.problems.append(
            _problem(
                number,
                DATA_FIELDS["record_type"],
                f"データ区分は 1・2・8・9 のいずれかです (got {record[:1]!r})",
            )
        )
        return None
    return record


def _check_order(kind: str, kinds: _Seen, number: int, result: ResultFile) -> None:
    spec = DATA_FIELDS["record_type"]
    closed = TRAILER in kinds or END in kinds
    if not kinds and kind != HEADER:
        result.problems.append(_problem(number, spec, "先頭のレコードはヘッダー（区分 1）です"))
    elif kinds and kind == HEADER:
        result.problems.append(_problem(number, spec, "ヘッダー（区分 1）は先頭に1件だけです"))
    elif kind in (DATA, TRAILER) and closed:
        result.problems.append(
            _problem(number, spec, "データ・トレーラーはトレーラー・エンドの前にあります")
        )
    elif kinds.last == END:
        result.problems.append(_problem(number, spec, "エンド（区分 9）の後にレコードがあります"))


def _header(record: str) -> Header:
    spec = HEADER_FIELDS
    if spec["kind_code"].cut(record) != "91":
        raise _Bad(
            spec["kind_code"],
            f"種別コードは 91（口座振替）です (got {spec['kind_code'].cut(record)!r})",
        )
    if spec["code_kind"].cut(record) != "0":
        raise _Bad(spec["code_kind"], "コード区分は 0 です")
    code = _digits(record, spec["itakusha_code"])
    transfer_on = _date(record, spec["transfer_on"])
    _digits(record, spec["bank"])
    _digits(record, spec["branch"])
    _filler(record, spec["filler"])
    return Header(itakusha_code=code, transfer_on=transfer_on)


def _data(record: str, number: int) -> Row:
    spec = DATA_FIELDS
    _digits(record, spec["bank"])
    _digits(record, spec["branch"])
    if spec["account_type"].cut(record) not in ("1", "2", "9"):
        raise _Bad(spec["account_type"], "預金種目は 1（普通）・2（当座）・9（その他）です")
    _digits(record, spec["account_no"])
    amount = int(_digits(record, spec["amount"]))
    if amount == 0:
        raise _Bad(spec["amount"], "引落金額が 0 円です")
    if spec["new_code"].cut(record) not in ("0", "1", "2"):
        raise _Bad(spec["new_code"], "新規コードは 0・1・2 のいずれかです")
    customer = _digits(record, spec["customer_no"])
    code = spec["result_code"].cut(record)
    if code not in RESULT_CODES:
        raise _Bad(
            spec["result_code"],
            f"振替結果コードは {'・'.join(RESULT_CODES)} のいずれかです (got {code!r})",
        )
    _filler(record, spec["filler"])
    return Row(number, amount, customer, notice_of(customer), code)


def _trailer(record: str) -> list[int]:
    names = ("count", "total", "done_count", "done_total", "failed_count", "failed_total")
    values = [int(_digits(record, TRAILER_FIELDS[n])) for n in names]
    _filler(record, TRAILER_FIELDS["filler"])
    return values


def _problem(line: int | None, spec: Field, reason: str) -> Problem:
    return Problem(line, spec.name, spec.label, spec.columns, reason)


def _digits(record: str, spec: Field) -> str:
    text = spec.cut(record)
    if not text.isdigit():
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
        raise _Bad(spec, "ダミー欄は空白です（レイアウトのずれの可能性があります）")


# --- writing (for converters and the tests) ------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One data record to write."""

    customer_no: str
    amount: int
    result_code: str = FURIKAE_ZUMI
    account_no: str = "1234567"


def render(*, itakusha_code: str, transfer_on: dt.date, rows: list[Request]) -> bytes:
    lines = [
        f"{HEADER}910{itakusha_code}{'KYODO':<40}{transfer_on:%Y%m%d}0001001".ljust(RECORD_LENGTH)
    ]
    for r in rows:
        lines.append(
            f"{DATA}0001001{1}{r.account_no}{'':<30}{r.amount:010d}0{r.customer_no}"
            f"{r.result_code}".ljust(RECORD_LENGTH)
        )
    done = [r for r in rows if r.result_code == FURIKAE_ZUMI]
    failed = [r for r in rows if r.result_code != FURIKAE_ZUMI]
    lines.append(
        f"{TRAILER}{len(rows):06d}{sum(r.amount for r in rows):012d}"
        f"{len(done):06d}{sum(r.amount for r in done):012d}"
        f"{len(failed):06d}{sum(r.amount for r in failed):012d}".ljust(RECORD_LENGTH)
    )
    lines.append(END.ljust(RECORD_LENGTH))
    return ("\r\n".join(lines) + "\r\n").encode("ascii")
