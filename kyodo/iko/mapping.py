"""Bringing data from another vendor: a declarative mapping turns a foreign export (CSV or
fixed-width, any of the supported encodings) into the standard layouts, which ``kyodo import``
then checks and loads like any export.

The mapping is a JSON file::

    {"files": [
      {"source": "SETAI.CSV", "format": "csv", "encoding": "cp932", "header": true,
       "target": "02_atena_setai.csv",
       "items": {"ID": {"generate": "row"},
                 "世帯番号": {"from": "世帯CD"},
                 "町字": {"from": "住所1"}, "番地": {"from": "住所2"}}},
      {"source": "JUMIN.DAT", "format": "fixed", "encoding": "cp932",
       "columns": {"ATENA": [0, 10], "SEI": [10, 30], "SEX": [30, 31], "BIRTH": [31, 40],
                   "SETAI": [40, 50]},
       "target": "03_atena_kojin.csv",
       "items": {"ID": {"generate": "row"},
                 "宛名番号": {"from": "ATENA", "strip": "0"},
                 "氏": {"from": "SEI"},
                 "性別": {"from": "SEX", "codes": {"M": "1", "F": "2"}},
                 "生年月日": {"from": "BIRTH", "date": "wareki"},
                 "区分": {"value": "jumin"},
                 "世帯ID": {"lookup": {"file": "02_atena_setai.csv", "by": "世帯番号",
                                       "from": "SETAI"}}}}]}

Item rules: ``from`` (a source column; fixed-width columns are ``[start, end)`` in *bytes* of
the source encoding, as legacy record layouts are), ``value`` (a constant), ``generate: row``
(1, 2, … — the file's own IDs), ``lookup`` (the ID of the row of an earlier target file whose
item ``by`` has this value: how a foreign key is rebuilt from a natural key); then optionally
``codes`` (a code-table translation; a value not in it is a problem), ``date`` (``wareki`` —
R8.11.15, 令和8年11月15日, H2.1.20 … — ``yyyymmdd`` or ``iso``), and ``strip`` (characters to
remove from the left, e.g. leading zeros). Items the mapping leaves out are empty. Every
source problem is reported by source file, line and item; the import then checks the result.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kyodo.iko.csvdialect import format_row
from kyodo.iko.export import FORMAT, MANIFEST
from kyodo.iko.load import Problems
from kyodo.iko.registry import Layout, registry
from kyodo.platform.errors import ValidationFailed
from kyodo.rules.wareki import parse_date

ENCODINGS = ("utf-8", "utf-8-sig", "cp932", "euc_jp")
RULES = ("from", "value", "generate", "lookup")


@dataclass(frozen=True)
class _Rule:
    item: str
    source: str | None
    value: str | None
    generate: bool
    lookup: dict[str, str] | None
    codes: dict[str, str] | None
    date: str | None
    strip: str


def _bad(where: str, reason: str) -> ValidationFailed:
    return ValidationFailed(f"対応表 {where}: {reason}", field="mapping")


def _rules(entry: dict[str, Any], layout: Layout, where: str) -> list[_Rule]:
    items = entry.get("items")
    if not isinstance(items, dict):
        raise _bad(where, "items がありません")
    names = {i.name for i in layout.items}
    rules = []
    for item, spec in items.items():
        if item not in names:
            raise _bad(f"{where}.items.{item}", f"{layout.file} にこの項目はありません")
        if not isinstance(spec, dict) or sum(k in spec for k in RULES) != 1:
            raise _bad(f"{where}.items.{item}", f"{' / '.join(RULES)} のどれか一つを書きます")
        if spec.get("date") not in (None, "wareki", "yyyymmdd", "iso"):
            raise _bad(f"{where}.items.{item}.date", "wareki / yyyymmdd / iso のどれかです")
        rules.append(
            _Rule(
                item=item,
                source=spec.get("from"),
                value=spec.get("value"),
                generate=spec.get("generate") == "row",
                lookup=spec.get("lookup"),
                codes=spec.get("codes"),
                date=spec.get("date"),
                strip=str(spec.get("strip", "")),
            )
        )
    return rules


def _csv_rows(
    path: Path, encoding: str, header: bool
) -> Iterator[tuple[int, dict[str, str] | str]]:
    with path.open("rb") as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding=encoding, newline=""), strict=True)
        names: list[str] | None = None
        for row in reader:
            if names is None:
                names = row if header else [str(n + 1) for n in range(len(row))]
                if header:
                    continue
            yield reader.line_num, dict(zip(names, row, strict=False))


def _fixed_rows(
    path: Path, encoding: str, columns: dict[str, list[int]]
) -> Iterator[tuple[int, dict[str, str] | str]]:
    """Records of a fixed-width file; a record too short for the layout is a reason instead."""
    width = max(end for _start, end in columns.values())
    with path.open("rb") as raw:
        for number, record in enumerate(raw, start=1):
            data = record.rstrip(b"\r\n")
            if len(data) < width:
                yield number, f"レコード長が {len(data)} バイトです（{width} バイト必要）"
                continue
            yield (
                number,
                {
                    name: data[start:end].decode(encoding).strip()
                    for name, (start, end) in columns.items()
                },
            )


def _date(text: str, how: str) -> str:
    if how == "yyyymmdd":
        if len(text) != 8 or not text.isdigit():
            raise ValueError(f"日付は YYYYMMDD の8桁です: {text!r}")
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    try:
        return parse_date(text).isoformat()
    except ValueError as exc:
        raise ValueError(f"日付が読めません: {text!r}（{exc}）") from None


def _value(
    rule: _Rule, row: dict[str, str], n: int, keys: dict[tuple[str, str], dict[str, str]]
) -> str:
    if rule.generate:
        return str(n)
    if rule.value is not None:
        return str(rule.value)
    source = rule.source if rule.lookup is None else rule.lookup["from"]
    if source not in row:
        raise ValueError(f"元の項目 {source} がありません")
    text = row[source].lstrip(rule.strip) if rule.strip else row[source]
    if rule.codes is not None:
        if text not in rule.codes:
            raise ValueError(f"コード変換表にない値です: {text!r}")
        text = str(rule.codes[text])
    if rule.date and text:
        text = _date(text, rule.date)
    if rule.lookup is not None:
        found = keys.get((rule.lookup["file"], rule.lookup["by"]), {}).get(text)
        if found is None and text:
            raise ValueError(
                f"{rule.lookup['file']} の {rule.lookup['by']} に {text!r} がありません"
            )
        return found or ""
    return text


def convert(
    mapping: Path,
    source: Path,
    out: Path,
    *,
    report: Path | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> Problems:
    """Write the standard layouts for ``source`` (a folder) into ``out`` (new or empty)."""
    try:
        spec = json.loads(mapping.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(str(mapping), f"読めません（{exc}）") from None
    if out.exists() and any(out.iterdir()):
        raise ValidationFailed(f"出力先 {out} は空ではありません", field="out")
    out.mkdir(parents=True, exist_ok=True)
    sink = report.open("w", encoding="utf-8") if report is not None else None
    problems = Problems(sink)
    reg = registry()
    entries = spec.get("files") if isinstance(spec, dict) else None
    if not isinstance(entries, list) or not entries:
        raise _bad("files", "変換するファイルの一覧がありません")
    by_target: dict[str, dict[str, Any]] = {}
    for n, entry in enumerate(entries):
        layout = reg.by_file(str(entry.get("target", "")))
        if layout is None:
            raise _bad(
                f"files[{n}].target", f"標準レイアウトにないファイルです: {entry.get('target')!r}"
            )
        by_target[layout.file] = entry
    keys: dict[tuple[str, str], dict[str, str]] = {}  # (file, item) → (its value → ID)
    wanted = {
        (r["file"], r["by"])
        for e in entries
        for r in (s.get("lookup") for s in e.get("items", {}).values() if isinstance(s, dict))
        if isinstance(r, dict)
    }
    files = []
    try:
        for layout in reg.layouts:  # in the registry's order: lookups see earlier files
            entry = by_target.get(layout.file)
            rows = 0
            path = out / layout.file
            with path.open("w", encoding="utf-8", newline="") as target:
                target.write(
                    format_row([i.name for i in layout.items], ["text"] * len(layout.items))
                )
                if entry is not None:
                    where = f"files[{entries.index(entry)}]"
                    rows = _convert_file(
                        entry, layout, source, target, problems, keys, wanted, where
                    )
            files.append(
                {"file": layout.file, "table": layout.label, "rows": rows, "sha256": _sha256(path)}
            )
            if progress is not None and entry is not None:
                progress(layout.file, rows)
    finally:
        if sink is not None:
            sink.close()
    manifest = {"format": FORMAT, "encoding": "utf-8", "files": files, "converted_by": mapping.name}
    (out / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return problems


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _source_rows(
    entry: dict[str, Any], path: Path, encoding: str, where: str
) -> Iterator[tuple[int, dict[str, str] | str]]:
    if encoding not in ENCODINGS:
        raise _bad(f"{where}.encoding", f"{' / '.join(ENCODINGS)} のどれかです")
    if entry.get("format") == "fixed":
        columns = entry.get("columns")
        if not isinstance(columns, dict) or not columns:
            raise _bad(f"{where}.columns", "固定長の各項目の [開始, 終了) バイト位置が要ります")
        return _fixed_rows(path, encoding, columns)
    if entry.get("format", "csv") == "csv":
        return _csv_rows(path, encoding, bool(entry.get("header", True)))
    raise _bad(f"{where}.format", "csv または fixed です")


def _convert_file(  # noqa: PLR0917  (one file's whole context)
    entry: dict[str, Any],
    layout: Layout,
    folder: Path,
    target: Any,
    problems: Problems,
    keys: dict[tuple[str, str], dict[str, str]],
    wanted: set[tuple[str, str]],
    where: str,
) -> int:
    rules = {r.item: r for r in _rules(entry, layout, where)}
    name = str(entry.get("source", ""))
    path = folder / name
    if not path.is_file():
        problems.add(name, 0, "", "元のファイルがありません")
        return 0
    encoding = str(entry.get("encoding", "utf-8"))
    rows = _source_rows(entry, path, encoding, where)
    kinds = [i.kind for i in layout.items]
    index_of = {
        by: next(n for n, i in enumerate(layout.items) if i.name == by)
        for file, by in wanted
        if file == layout.file
    }
    written = 0
    line = 0
    try:
        for line, row in rows:
            if isinstance(row, str):
                problems.add(name, line, "", row)
                continue
            values = []
            bad = False
            for item in layout.items:
                rule = rules.get(item.name)
                try:
                    values.append("" if rule is None else _value(rule, row, written + 1, keys))
                except ValueError as exc:
                    problems.add(name, line, item.name, str(exc))
                    bad = True
                    values.append("")
            if bad:
                continue
            written += 1
            for by, n in index_of.items():
                keys.setdefault((layout.file, by), {})[values[n]] = values[0]
            target.write(format_row(values, kinds))
    except UnicodeDecodeError as exc:
        problems.add(name, line + 1, "", f"文字コード {encoding} として読めません（{exc.reason}）")
    except csv.Error as exc:
        problems.add(name, line + 1, "", f"CSV として読めません（{exc}）")
    return written
