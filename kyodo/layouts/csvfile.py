"""Reading CSV layouts, the same way for every unit: a header row of item names, columns
declared as ``Column(header, key, parser, required)``, and every problem reported with file,
line, item and reason (in Japanese) — the caller stores nothing when there is any.

A unit declares its layout (its columns and any parsers of its own) and calls :func:`read`;
issue 6's standard layouts are declarations of the same kind.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kyodo.rules.wareki import parse_date

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
