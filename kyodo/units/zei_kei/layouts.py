"""The vehicle file layout Kyodo reads (docs/formats/kei-sharyo.md): 登録 (取得・名義変更) and
廃車 of 軽自動車等, as CSV with a header row of item names, one row per 異動.

Every problem is reported with file, line, item and reason (Japanese); the caller writes
nothing when there is any.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kyodo.rules.keiji import CLASSES
from kyodo.rules.wareki import parse_date
from kyodo.units.zei_kei.models import Idou

Parser = Callable[[str], Any]  # raises ValueError(reason in Japanese)
MAX_BYTES = 200 * 1024 * 1024


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


# --- item parsers ------------------------------------------------------------------------


def date(text: str) -> str:
    try:
        return parse_date(text).isoformat()
    except ValueError as exc:
        raise ValueError(f"日付が読めません（西暦 2026-01-15 または和暦 R8.1.15）: {exc}") from None


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


def atena_no(value: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise ValueError(f"宛名番号（数字）です: {value!r}")
    return int(value)


def choices(labels: dict[str, str], what: str) -> Parser:
    """A code, or its Japanese name, from ``labels`` (name → code)."""
    codes = set(labels.values())

    def parse(value: str) -> str:
        if value in labels:
            return labels[value]
        if value in codes:
            return value
        raise ValueError(f"{what}は {'・'.join(labels)} のいずれかです: {value!r}")

    return parse


IDOU = {"登録": Idou.TOROKU.value, "廃車": Idou.HAISHA.value}
KINDS = {
    "原付一種": "gentsuki_50",
    "原付二種乙": "gentsuki_90",
    "原付二種甲": "gentsuki_125",
    "ミニカー": "minicar",
    "軽二輪": "kei2_250",
    "二輪小型": "kogata2",
    "小型特殊農耕": "special_farm",
    "小型特殊その他": "special_other",
    "軽三輪": "kei3",
    "軽四輪乗用": "kei4_passenger",
    "軽四輪貨物": "kei4_cargo",
}
assert set(KINDS.values()) == set(CLASSES)
USES = {"自家用": "private", "営業用": "commercial"}
FUELS = {
    "ガソリン": "gasoline",
    "軽油": "diesel",
    "LPG": "lpg",
    "ハイブリッド": "hybrid",
    "電気": "electric",
    "燃料電池": "fuel_cell",
    "天然ガス": "natural_gas",
    "メタノール": "methanol",
    "混合メタノール": "mixed_methanol",
}
MONTH = re.compile(r"(\d{4})[-/.](\d{1,2})")


def month(value: str) -> str:
    """初度検査年月: ``YYYY-MM`` (or ``YYYY/MM``), or ``YYYY`` for old records with only a
    year; the calculator checks the rest."""
    match = MONTH.fullmatch(value)
    if match:
        if not 1 <= int(match[2]) <= 12:
            raise ValueError(f"月は1〜12です: {value!r}")
        return f"{match[1]}-{int(match[2]):02d}"
    if len(value) == 4 and value.isascii() and value.isdigit():
        return value
    try:
        day = parse_date(value)
    except ValueError:
        raise ValueError(f"初度検査年月は YYYY-MM（例: 2015-04）です: {value!r}") from None
    return f"{day.year}-{day.month:02d}"


SHARYO = (
    Column("標識番号", "hyoshiki_no", text(30)),
    Column("異動区分", "idou", choices(IDOU, "異動区分")),
    Column("異動日", "on", date),
    Column("車種", "kind", choices(KINDS, "車種"), required=False),
    Column("用途", "use", choices(USES, "用途"), required=False),
    Column("初度検査年月", "first_inspection", month, required=False),
    Column("燃料", "fuel", choices(FUELS, "燃料"), required=False),
    Column("燃費基準達成", "fuel_economy_2030_90", flag, required=False),
    Column("所有者", "atena_no", atena_no, required=False),
)


# --- reading -----------------------------------------------------------------------------


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
        header = [h.strip() for h in next(reader)]
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


def header_of(columns: tuple[Column, ...], key: str) -> str:
    return next(c.header for c in columns if c.key == key)
