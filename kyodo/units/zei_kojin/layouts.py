"""The 課税資料 file layouts Kyodo reads: 給与支払報告書 (個人別明細書) and 公的年金等支払報告書
as CSV, one row per person and payer, with a header row of the item names.

The items and their order follow the paper forms' 個人別明細書 (所得税法 第226条 / 地方税法
第317条の6); eLTAX delivers the same items. The exact column layout is documented in
docs/formats/kazei-shiryo.md. Every problem is reported with file, line, item and reason, and
the caller writes nothing when there is any.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kyodo.rules.wareki import parse_date

Parser = Callable[[str], Any]  # raises ValueError(reason in Japanese)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    field: str
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "field": self.field, "reason": self.reason}

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}, field '{self.field}': {self.reason}"


@dataclass(frozen=True)
class Column:
    header: str  # the item name in the header row
    key: str
    parse: Parser
    required: bool = True


def yen(text: str) -> int:
    cleaned = text.replace(",", "")
    if not cleaned.isascii() or not cleaned.isdigit():
        raise ValueError(f"金額は0以上の整数（円）です: {text!r}")
    value = int(cleaned)
    if value > 10_000_000_000:
        raise ValueError(f"金額が大きすぎます: {value:,}")
    return value


def date(text: str) -> str:
    try:
        return parse_date(text).isoformat()
    except ValueError as exc:
        raise ValueError(f"日付が読めません（西暦 2026-01-15 または和暦 R8.1.15）: {exc}") from None


def digits(length_min: int, length_max: int) -> Parser:
    def parse(text: str) -> str:
        if not text.isascii() or not text.isdigit() or not length_min <= len(text) <= length_max:
            span = f"{length_min}" if length_min == length_max else f"{length_min}〜{length_max}"
            raise ValueError(f"半角数字{span}桁です")
        return text

    return parse


def text(limit: int) -> Parser:
    def parse(value: str) -> str:
        if len(value) > limit:
            raise ValueError(f"{limit}文字以内です（{len(value)}文字）")
        return value

    return parse


def flag(value: str) -> bool:
    if value in ("", "0"):
        return False
    if value == "1":
        return True
    raise ValueError(f"0 か 1 です: {value!r}")


def disability(value: str) -> str | None:
    kinds = {"": None, "0": None, "1": "general", "2": "special"}
    if value not in kinds:
        raise ValueError(f"障害者区分は 0（なし）・1（障害者）・2（特別障害者）です: {value!r}")
    return kinds[value]


def dependents(value: str) -> list[dict[str, Any]]:
    """扶養親族: ``生年月日:合計所得`` joined by ``;`` (e.g. ``2010-05-05:0;1950-03-03:0``),
    optionally ``:同居`` for a 同居老親等."""
    out = []
    for n, part in enumerate(p for p in value.split(";") if p.strip()):
        pieces = part.strip().split(":")
        if len(pieces) not in (2, 3) or (len(pieces) == 3 and pieces[2] != "同居"):
            raise ValueError(f"{n + 1}人目: 生年月日:所得[:同居] の形で書いてください: {part!r}")
        out.append(
            {
                "birth_date": date(pieces[0]),
                "income": yen(pieces[1]),
                "cohabiting": len(pieces) == 3,
            }
        )
    return out


KYUYO = (
    Column("提出義務者番号", "payer_no", digits(1, 20)),
    Column("提出義務者名称", "payer_name", text(100)),
    Column("個人番号", "my_number", digits(12, 12), required=False),
    Column("氏名", "name", text(60)),
    Column("生年月日", "birth_date", date),
    Column("支払金額", "salary_income", yen),
    Column("社会保険料等の金額", "social_insurance", yen),
    Column("新生命保険料", "new_general", yen, required=False),
    Column("旧生命保険料", "old_general", yen, required=False),
    Column("介護医療保険料", "care_medical", yen, required=False),
    Column("新個人年金保険料", "new_pension", yen, required=False),
    Column("旧個人年金保険料", "old_pension", yen, required=False),
    Column("控除対象配偶者の生年月日", "spouse_birth_date", date, required=False),
    Column("配偶者の合計所得", "spouse_income", yen, required=False),
    Column("扶養親族", "dependents", dependents, required=False),
    Column("障害者区分", "disability", disability, required=False),
    Column("寡婦", "widow", flag, required=False),
    Column("ひとり親", "single_parent", flag, required=False),
    Column("勤労学生", "working_student", flag, required=False),
    Column("普通徴収切替理由", "futsu_reason", text(10), required=False),
)

NENKIN = (
    Column("年金保険者番号", "payer_no", digits(1, 20)),
    Column("年金保険者名称", "payer_name", text(100)),
    Column("個人番号", "my_number", digits(12, 12), required=False),
    Column("氏名", "name", text(60)),
    Column("生年月日", "birth_date", date),
    Column("支払金額", "pension_income", yen),
    Column("社会保険料の金額", "social_insurance", yen, required=False),
)

LAYOUTS = {"kyuyo": KYUYO, "nenkin": NENKIN}
MAX_BYTES = 200 * 1024 * 1024


def _decode(path: Path, encoding: str) -> tuple[str | None, Problem | None]:
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, Problem(name, 0, "", f"ファイルを読めません: {exc.strerror}")
    if len(raw) > MAX_BYTES:
        return None, Problem(name, 0, "", f"ファイルが大きすぎます（上限 {MAX_BYTES:,} バイト）")
    try:
        return raw.decode("utf-8-sig" if encoding == "utf-8" else encoding), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        reason = f"文字コード {encoding} として読めません（{exc.start}バイト目）"
        return None, Problem(name, line, "", reason)


def _header_problems(name: str, header: list[str], columns: tuple[Column, ...]) -> list[Problem]:
    known = {c.header for c in columns}
    problems = [Problem(name, 1, h, "この様式にない項目です") for h in header if h not in known]
    problems += [
        Problem(name, 1, c.header, "必須の項目がありません")
        for c in columns
        if c.required and c.header not in header
    ]
    problems += [
        Problem(name, 1, h, "項目が重複しています")
        for h in sorted({h for h in header if header.count(h) > 1})
    ]
    return problems


def _parse_row(
    name: str, line: int, header: list[str], record: list[str], known: dict[str, Column]
) -> tuple[dict[str, Any], list[Problem]]:
    values: dict[str, Any] = {}
    problems = []
    for head, raw in zip(header, record, strict=True):
        column, cell = known[head], raw.strip()
        if not cell:
            if column.required:
                problems.append(Problem(name, line, head, "必須項目です"))
            continue
        try:
            values[column.key] = column.parse(cell)
        except ValueError as exc:
            problems.append(Problem(name, line, head, str(exc)))
    return values, problems


def read(
    path: Path, columns: tuple[Column, ...], *, encoding: str
) -> tuple[list[tuple[int, dict[str, Any]]], list[Problem]]:
    """Every row parsed, and every problem found (file, line, item, reason)."""
    name = str(path)
    content, problem = _decode(path, encoding)
    if content is None:
        return [], [problem] if problem else []
    reader = csv.reader(io.StringIO(content, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], [Problem(name, 1, "", "空のファイルです")]
    except csv.Error as exc:
        return [], [Problem(name, 1, "", f"CSV として読めません: {exc}")]
    problems = _header_problems(name, header, columns)
    if problems:
        return [], problems
    known = {c.header: c for c in columns}
    rows: list[tuple[int, dict[str, Any]]] = []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                reason = f"項目数が {len(record)} です（見出しは {len(header)}）"
                problems.append(Problem(name, line, "", reason))
                continue
            values, found = _parse_row(name, line, header, record, known)
            problems += found
            rows.append((line, values))
    except csv.Error as exc:
        problems.append(Problem(name, reader.line_num, "", f"CSV として読めません: {exc}"))
    if not rows and not problems:
        problems.append(Problem(name, 2, "", "データ行がありません"))
    return rows, problems


def birth(values: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(values["birth_date"])
