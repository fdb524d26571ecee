"""``kyodo import``: load a municipality from standard-layout files — into an empty
municipality only, all of it or nothing, in one transaction.

The manifest first (every file present, its SHA-256 and row count), then each file in the
registry's order (a file after those it refers to): its header, then — while nothing is
wrong — the fast way of :mod:`kyodo.iko.staged` (COPY into a staging table, one SQL pass for
code tables, check digits, required text and item size, one INSERT whose casts and immediate
foreign keys check types, lengths, duplicates and references). When PostgreSQL refuses a file,
or once anything is wrong, the row-by-row checker here names every bad line (encoding, item
count, types, dates, code tables, lengths, check digits, duplicate keys, references) and the
transaction is rolled back at the end. A dry run always rolls back. Problems stream to the
report file as JSON lines, so a badly broken file cannot exhaust memory.

IDs are kept as they are in the files: references need no translation, and an export of the
imported municipality gives the same files. The ID sequences and the 宛名番号/世帯番号
numbering move past the imported values; a system without our search keys gets them built.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

import orjson
from django.db import connection, transaction

from kyodo.atena import numbering
from kyodo.atena.mynumber import validate_my_number
from kyodo.atena.services import catch_up_numbering, rebuild_search_keys
from kyodo.iko import staged
from kyodo.iko.export import FORMAT, MANIFEST
from kyodo.iko.registry import Item, Layout, registry
from kyodo.layouts.csvfile import Problem
from kyodo.platform.audit import record
from kyodo.platform.errors import KyodoError, ValidationFailed
from kyodo.platform.models import Tenant
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import require_tenant_code, tenant_scope

PURPOSE = "データ移行（標準レイアウトからの取込）"
PERSONS, SEARCH_KEYS = "03_atena_kojin.csv", "05_atena_kensaku_key.csv"
SHOWN = 200  # problems kept in memory for the screen; the report file has them all
FIELD_LIMIT = 1 << 20  # one item may hold at most 1 MiB (an oversized field is a problem)
NOT_EMPTY = "移行先の団体 {code} には既にデータがあります（{table}）。取込は空の団体にだけ行えます"
_INT = re.compile(r"-?[0-9]{1,19}\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?")


class _Rollback(Exception):
    pass


@dataclass
class Problems:
    """Every problem found: streamed to ``sink``, the first few kept for the screen."""

    sink: IO[str] | None = None
    count: int = 0
    shown: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int, item: str, reason: str) -> None:
        problem = Problem(file, line, item, reason)
        self.count += 1
        if len(self.shown) < SHOWN:
            self.shown.append(problem)
        if self.sink is not None:
            self.sink.write(json.dumps(problem.as_json(), ensure_ascii=False) + "\n")


@dataclass
class ImportResult:
    files: list[dict[str, Any]]
    problems: Problems
    dry_run: bool
    loaded: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "rows": sum(f["rows"] for f in self.files),
            "problems": self.problems.count,
            "dry_run": self.dry_run,
            "loaded": self.loaded,
        }


# --- one item ------------------------------------------------------------------------------


def _int(text: str) -> str:
    if not _INT.match(text):
        raise ValueError(f"整数ではありません: {text[:20]!r}")
    return text


def _date(text: str) -> str:
    if not _DATE.match(text):
        raise ValueError(f"日付は YYYY-MM-DD です: {text[:20]!r}")
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"ありえない日付です: {text}") from None
    return text


def _datetime(text: str) -> str:
    try:
        if not _DATETIME.match(text):
            raise ValueError
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"日時は YYYY-MM-DD hh:mm:ss+09 の形です: {text[:40]!r}") from None
    if when.tzinfo is None:
        raise ValueError(f"日時に時差（+09 など）がありません: {text[:40]!r}")
    return text


def _bool(text: str) -> bool:
    if text not in ("t", "f"):
        raise ValueError(f"真偽値は t または f です: {text[:10]!r}")
    return text == "t"


def _decimal(text: str) -> str:
    try:
        Decimal(text)
    except InvalidOperation:
        raise ValueError(f"数値ではありません: {text[:20]!r}") from None
    return text


def _json(text: str) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"JSON として読めません: {exc}") from None


PARSERS: dict[str, Callable[[str], Any]] = {
    "int": _int,
    "date": _date,
    "datetime": _datetime,
    "bool": _bool,
    "decimal": _decimal,
    "json": _json,
}


def _empty(item: Item) -> Any:
    if item.required and not (item.kind == "text" and item.blank):
        raise ValueError("必須の項目です（空です）")
    return "" if item.kind == "text" else None


def _convert(item: Item, text: str) -> Any:
    """The value to store for ``text``, or ValueError(reason in Japanese)."""
    if "\x00" in text:
        raise ValueError("NUL 文字は使えません")
    if text == "":
        return _empty(item)
    if item.choices is not None and text not in item.choices:
        codes = "、".join(list(item.choices)[:12])
        raise ValueError(f"コード表にない値です: {text[:20]!r}（使える値: {codes}）")
    parse = PARSERS.get(item.kind)
    if parse is not None:
        value = parse(text)
        if item.check == M11W27 and not numbering.is_valid(text):
            raise ValueError(f"検査数字（M11W2–7、末尾の1桁）が合いません: {text}")
        return value
    if item.max_length is not None and len(text) > item.max_length:
        raise ValueError(f"{item.max_length}文字以内です（{len(text)}文字）")
    return text


MY_NUMBER = "my_number"
M11W27 = "m11w27"


def _secret(item: Item, value: str) -> str:
    if item.secret == MY_NUMBER:
        try:
            validate_my_number(value)
        except KyodoError as exc:
            raise ValueError(exc.message) from None
    return value


# --- one file -----------------------------------------------------------------------------


@dataclass
class _Seen:
    """The IDs of the files others refer to, for checking their references."""

    referenced: set[str]
    ids: dict[str, set[int]] = field(default_factory=dict)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _rows(path: Path, encoding: str) -> Iterator[tuple[int, list[str]]]:
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")
        reader = csv.reader(text, strict=True)
        for row in reader:
            yield reader.line_num, row


def _header(layout: Layout, row: list[str], problems: Problems) -> list[Item] | None:
    by_name = {i.name: i for i in layout.items}
    missing = [n for n in by_name if n not in row]
    extra = [n for n in row if n not in by_name]
    for name in missing:
        problems.add(layout.file, 1, name, "項目がありません（見出し行）")
    for name in extra:
        problems.add(layout.file, 1, name, "このレイアウトにない項目です（見出し行）")
    if len(set(row)) != len(row):
        problems.add(layout.file, 1, "", "見出し行に同じ項目が二度あります")
        return None
    return None if missing or extra else [by_name[n] for n in row]


@dataclass
class _File:
    """One file being read: its items in the file's order and what its rows have taken."""

    layout: Layout
    items: list[Item]
    ids: set[int] = field(default_factory=set)
    keys: list[tuple[tuple[int, ...], set[tuple[str, ...]]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        position = {i.column: n for n, i in enumerate(self.items)}
        self.keys = [(tuple(position[c] for c in rule), set()) for rule in self.layout.unique]


def _row(
    f: _File, line: int, row: list[str], seen: _Seen, problems: Problems
) -> dict[str, Any] | None:
    """The values to store for one row, or None (its problems reported)."""
    file = f.layout.file
    if len(row) != len(f.items):
        problems.add(file, line, "", f"項目の数が {len(row)} です（見出しは {len(f.items)} 項目）")
        return None
    values: dict[str, Any] = {}
    bad = False
    for item, text in zip(f.items, row, strict=True):
        try:
            value = _convert(item, text)
            if item.secret and value:
                value = _secret(item, value)
        except ValueError as exc:
            problems.add(file, line, item.name, str(exc))
            bad = True
            continue
        values[item.column] = value
    if bad:
        return None
    pk = int(values["id"])
    if pk in f.ids:
        problems.add(file, line, "ID", f"ID {pk} が重複しています")
        return None
    f.ids.add(pk)
    for positions, taken in f.keys:
        key = tuple(row[p] for p in positions)
        if key in taken:
            names = "・".join(f.items[p].name for p in positions)
            problems.add(file, line, names, f"{names} {'/'.join(key)} が重複しています")
            bad = True
        taken.add(key)
    if not _references_hold(f, line, values, seen, problems):
        return None
    return values


def _undecodable_line(path: Path, encoding: str) -> int | None:
    """The first physical line that does not decode (text is decoded in blocks, so the error
    itself does not say which line it is in)."""
    with path.open("rb") as raw:
        for number, data in enumerate(raw, start=1):
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                return number
    return None


def _references_hold(
    f: _File, line: int, values: dict[str, Any], seen: _Seen, problems: Problems
) -> bool:
    held = True
    for item in f.items:
        target, value = item.references, values[item.column]
        if not target or value is None:
            continue
        if target != f.layout.file and target not in seen.ids:
            continue  # that file could not be read: its own problems say so
        if int(value) not in (f.ids if target == f.layout.file else seen.ids[target]):
            problems.add(f.layout.file, line, item.name, f"{target} に ID {value} の行がありません")
            held = False
    return held


def _check_file(layout: Layout, path: Path, encoding: str, seen: _Seen, problems: Problems) -> int:
    """Check one file row by row (writing nothing): every bad line named; the rows read."""
    f: _File | None = None
    count, line = 0, 0
    try:
        for line, row in _rows(path, encoding):
            if f is None:
                items = _header(layout, row, problems)
                if items is None:
                    return 0
                f = _File(layout, items)
                continue
            count += 1
            _row(f, line, row, seen, problems)
    except UnicodeDecodeError as exc:
        at = _undecodable_line(path, encoding) or line + 1
        problems.add(layout.file, at, "", f"文字コード {encoding} として読めません（{exc.reason}）")
    except csv.Error as exc:
        problems.add(layout.file, line + 1, "", f"CSV として読めません（{exc}）")
    if f is None and line == 0:
        problems.add(layout.file, 1, "", "見出し行がありません（空のファイル）")
    if f is not None and layout.file in seen.referenced:
        seen.ids[layout.file] = f.ids
    return count


@dataclass
class _Run:
    """One import: where each file's rows are (staged or checked in Python), what is known."""

    staging: dict[str, staged.Staging] = field(default_factory=dict)
    seen: _Seen = field(default_factory=lambda: _Seen(referenced=set()))

    def ids_for_precise(self) -> _Seen:
        """The IDs of every file read so far, for the row-by-row checker's references."""
        with connection.cursor() as cursor:
            for file, s in self.staging.items():
                if file in self.seen.ids:
                    continue
                cursor.execute(f"SELECT {s.by_column('id')} FROM {s.table}")
                self.seen.ids[file] = {
                    int(pk) for (pk,) in cursor.fetchall() if pk and pk.lstrip("-").isdigit()
                }
        return self.seen


def _one_file(  # noqa: PLR0911, PLR0917  (one file's whole context; an exit per outcome)
    layout: Layout, path: Path, encoding: str, n: int, run: _Run, problems: Problems
) -> int:
    """Check and write one file; the number of data rows.

    While nothing is wrong, the fast way (:mod:`kyodo.iko.staged`): COPY, the checks the
    database cannot make (code tables, check digits, required text), and one INSERT whose
    casts and constraints (foreign keys checked at once) make the rest. Once anything is wrong —
    here or in an earlier file — the row-by-row checker names every bad line instead, and the
    transaction is rolled back at the end anyway."""
    if problems.count:
        return _precise(layout, path, encoding, run, problems)
    try:
        head = staged.header(path, encoding)
    except (UnicodeDecodeError, csv.Error):
        return _precise(layout, path, encoding, run, problems)
    if not head:
        problems.add(layout.file, 1, "", "見出し行がありません（空のファイル）")
        return 0
    items = _header(layout, head, problems)
    if items is None:
        return 0
    try:
        s = staged.stage(layout, items, path, encoding, n)
    except staged.Refused:
        return _precise(layout, path, encoding, run, problems)
    run.staging[layout.file] = s
    count = staged.count(s)
    for line, item, reason in staged.problems(s):
        problems.add(layout.file, line, item, reason)
    for line, item, reason in staged.secrets(s):
        problems.add(layout.file, line, item, reason)
    if problems.count:
        return count
    try:
        staged.insert(s, require_tenant_code())
    except staged.Refused as exc:
        _precise(layout, path, encoding, run, problems)
        if not problems.count:
            problems.add(layout.file, 0, "", f"取り込めません（{exc}）")
    return count


def _precise(layout: Layout, path: Path, encoding: str, run: _Run, problems: Problems) -> int:
    seen = run.ids_for_precise()
    seen.referenced.add(layout.file)
    return _check_file(layout, path, encoding, seen, problems)


# --- the whole folder -----------------------------------------------------------------------


def _manifest(folder: Path, problems: Problems) -> dict[str, Any] | None:
    path = folder / MANIFEST
    if not path.exists():
        problems.add(
            MANIFEST, 0, "", "manifest.json がありません（出力したフォルダーを指定してください）"
        )
        return None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.add(MANIFEST, 0, "", f"manifest.json が読めません（{exc}）")
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        problems.add(MANIFEST, 0, "format", f"形式が {FORMAT} ではありません")
        return None
    return manifest


def _check_empty(code: str) -> None:
    for layout in registry().layouts:
        if layout.model.objects.exists():
            raise ValidationFailed(NOT_EMPTY.format(code=code, table=layout.file), field="tenant")


def _advance_sequences() -> None:
    """Move each table's ID sequence past the imported IDs (never back)."""
    with connection.cursor() as cursor:
        for layout in registry().layouts:
            cursor.execute(
                f"SELECT max(id) FROM {layout.table}"  # a table name from the registry
            )
            highest = cursor.fetchone()[0]
            if highest is None:
                continue
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [layout.table])
            sequence = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT setval(%s, %s) WHERE %s > (SELECT last_value FROM {sequence})",
                [sequence, highest, highest],
            )


def import_tenant(
    code: str,
    folder: Path,
    *,
    dry_run: bool = False,
    report: Path | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> ImportResult:
    """Check and load ``folder`` into the empty municipality ``code``."""
    if not Tenant.objects.filter(code=code).exists():
        raise ValidationFailed(f"団体 {code} は登録されていません", field="tenant")
    if not folder.is_dir():
        raise ValidationFailed(f"{folder} はフォルダーではありません", field="folder")
    csv.field_size_limit(FIELD_LIMIT)
    sink = report.open("w", encoding="utf-8") if report is not None else None
    problems = Problems(sink)
    files: list[dict[str, Any]] = []
    loaded = False
    try:
        try:
            with transaction.atomic(), tenant_scope(code, purpose=PURPOSE):
                _check_empty(code)
                loaded = _load_all(folder, problems, files, dry_run, progress)
                if not loaded:
                    raise _Rollback
        except _Rollback:
            pass
    finally:
        if sink is not None:
            sink.close()
    return ImportResult(files, problems, dry_run, loaded)


def _load_all(
    folder: Path,
    problems: Problems,
    files: list[dict[str, Any]],
    dry_run: bool,
    progress: Callable[[str, int], None] | None,
) -> bool:
    manifest = _manifest(folder, problems)
    if manifest is None:
        return False
    encoding = manifest.get("encoding", "utf-8")
    if encoding not in ("utf-8", "cp932"):
        problems.add(MANIFEST, 0, "encoding", f"文字コード {encoding!r} は扱えません")
        return False
    listed = {f.get("file"): f for f in manifest.get("files", []) if isinstance(f, dict)}
    known = {layout.file for layout in registry().layouts}
    for name in sorted(set(listed) - known):
        problems.add(str(name), 0, "", "このシステムにないレイアウトのファイルです")
    run = _Run()
    with connection.cursor() as cursor:
        # Foreign keys checked by each INSERT, not at commit: a dangling reference then
        # refuses its own file, which the row-by-row checker explains.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Trigram (GIN) index entries of the names go to the pending list and are merged in
        # bulk later (autovacuum), not one by one: the usual advice for bulk loads.
        cursor.execute("SET LOCAL gin_pending_list_limit = '1GB'")
    for n, layout in enumerate(registry().layouts):
        entry = listed.get(layout.file)
        path = folder / layout.file
        if entry is None or not path.exists():
            problems.add(layout.file, 0, "", "ファイルがありません（manifest または フォルダー）")
            continue
        if _sha256(path) != entry.get("sha256"):
            problems.add(
                layout.file,
                0,
                "",
                "SHA-256 が manifest と違います（壊れているか途中で切れています）",
            )
        rows = _one_file(layout, path, encoding, n, run, problems)
        if rows != entry.get("rows"):
            problems.add(
                layout.file, 0, "", f"行数が {rows} です（manifest では {entry.get('rows')}）"
            )
        files.append({"file": layout.file, "rows": rows})
        if progress is not None:
            progress(layout.file, rows)
    if problems.count or dry_run:
        return False
    _advance_sequences()
    catch_up_numbering()  # the next 宛名番号 and 世帯番号 follow the imported ones
    counts = {f["file"]: f["rows"] for f in files}
    if counts.get(PERSONS) and not counts.get(SEARCH_KEYS):
        rebuild_search_keys()  # a system without our search keys: clerks must find people
    record(
        AuditAction.CHANGE,
        object_type="iko.import",
        object_id=folder.name,
        detail={
            "files": len(files),
            "rows": sum(f["rows"] for f in files),
            "manifest_sha256": _sha256(folder / MANIFEST),
        },
    )
    return True
