"""``kyodo export``: every piece of one municipality's data as standard-layout CSV files and a
manifest, from one consistent snapshot (REPEATABLE READ).

Most files are PostgreSQL's own ``COPY (SELECT …) TO STDOUT`` in CSV, streamed to disk with
their SHA-256 — no row passes through Python. A file that needs Python on the way (a secret
stored encrypted that travels in clear, or the legacy Shift_JIS family) is parsed and written
again in exactly the same CSV dialect. Files are written into a hidden folder beside the
target and renamed into place at the end, so a failed export leaves nothing behind.

``manifest.json`` is deterministic — the layouts, per-file counts and checksums — so an export
of an imported copy can be compared with the original; who exported, when and from which
municipality is in ``export.json``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from kyodo.iko.csvdialect import NULL_KINDS, format_row
from kyodo.iko.registry import Layout, registry
from kyodo.platform.audit import record
from kyodo.platform.crypto import decrypt
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Tenant
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import current_scope, tenant_scope

FORMAT = "kyodo-standard-layout/1"
MANIFEST = "manifest.json"
INFO = "export.json"
AUDIT_FILE = "99_kansa_kiroku.csv"
ENCODINGS = ("utf-8", "cp932")
REPLACEMENT = "〓"  # the customary 下駄 for a character a legacy code cannot carry
BLOCK = 1 << 20
NOT_EMPTY = "出力先 {out} は空ではありません（上書きはしません）"


@dataclass(frozen=True)
class Lossy:
    """A character the chosen legacy encoding cannot carry (replaced by 〓)."""

    file: str
    line: int
    item: str
    character: str

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "item": self.item,
            "character": self.character,
            "codepoints": " ".join(f"U+{ord(c):04X}" for c in self.character),
        }


def _quoted(name: str) -> str:
    # An identifier for the header; "%" doubled, as the query also carries parameters.
    return '"' + name.replace('"', '""').replace("%", "%%") + '"'


def _select(layout: Layout) -> str:
    columns = ", ".join(f'"{i.column}" AS {_quoted(i.name)}' for i in layout.items)
    return f'SELECT {columns} FROM "{layout.table}" WHERE tenant_id = %s ORDER BY id'


def _copy_out(sql: str, params: list[Any]) -> Iterator[bytes]:
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER true)", params) as copy:
            for block in copy:
                yield bytes(block)


def _buffered(blocks: Iterator[bytes]) -> Iterator[bytes]:
    """COPY sends a message per row: join them into blocks of about 1 MiB."""
    pending: list[bytes] = []
    size = 0
    for block in blocks:
        pending.append(block)
        size += len(block)
        if size >= BLOCK:
            yield b"".join(pending)
            pending, size = [], 0
    if pending:
        yield b"".join(pending)


def _write_blocks(path: Path, blocks: Iterator[bytes]) -> str:
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for block in _buffered(blocks):
            digest.update(block)
            out.write(block)
    return digest.hexdigest()


class _MultiLine(Exception):
    """A record spans lines (a quoted line break): the byte-level path cannot split it."""


def _decrypt_last(lines: Iterator[bytes]) -> Iterator[bytes]:
    """Rows whose last item is an encrypted secret, with that item decrypted — at the byte
    level: COPY sends one message per row, and a token or an empty text (``""``) never holds
    a comma, so it is after the last one."""
    for line in lines:
        if line.count(b'"') % 2:
            raise _MultiLine
        head, _comma, last = line.rstrip(b"\n").rpartition(b",")
        if last in (b'""', b""):
            yield line
        else:
            yield head + b"," + decrypt(last.decode("ascii")).encode("ascii") + b"\n"


def _rows(blocks: Iterator[bytes]) -> Iterator[list[str]]:
    """PostgreSQL's CSV back into rows (its dialect: quotes doubled, newlines quoted)."""
    text = io.TextIOWrapper(_BytesStream(blocks), encoding="utf-8", newline="")
    yield from csv.reader(text)


class _BytesStream(io.RawIOBase):
    def __init__(self, blocks: Iterator[bytes]) -> None:
        self._blocks = blocks
        self._rest = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._rest:
            try:
                self._rest = next(self._blocks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._rest))
        buffer[:size] = self._rest[:size]
        self._rest = self._rest[size:]
        return size


def _through_python(
    layout: Layout, path: Path, tenant: str, encoding: str, lossy: list[Lossy]
) -> str:
    kinds = [i.kind for i in layout.items]
    secrets = [n for n, i in enumerate(layout.items) if i.secret]
    digest = hashlib.sha256()
    rows = _rows(_copy_out(_select(layout), [tenant]))
    with path.open("wb") as out:
        header = next(rows)
        chunk: list[str] = [format_row(header, ["text"] * len(header))]
        for line, row in enumerate(rows, start=2):
            for n in secrets:
                row[n] = decrypt(row[n]) if row[n] else ""
            text = format_row(row, kinds)
            if encoding != "utf-8":
                text = _legacy(text, row, layout, line, encoding, lossy)
            chunk.append(text)
            if len(chunk) >= 5000:
                data = "".join(chunk).encode(encoding)
                digest.update(data)
                out.write(data)
                chunk = []
        data = "".join(chunk).encode(encoding)
        digest.update(data)
        out.write(data)
    return digest.hexdigest()


def _legacy(  # noqa: PLR0917  (one row's whole context)
    text: str, row: list[str], layout: Layout, line: int, encoding: str, lossy: list[Lossy]
) -> str:
    try:
        text.encode(encoding)
        return text
    except UnicodeEncodeError:
        pass
    for n, (item, value) in enumerate(zip(layout.items, row, strict=True)):
        kept = []
        for at, char in enumerate(value):
            try:
                char.encode(encoding)
                kept.append(char)
                continue
            except UnicodeEncodeError:
                pass
            if 0xE0100 <= ord(char) <= 0xE01EF:
                # A variation selector (IVS) names a glyph of the character before it: report
                # the pair; the base character stays (or was already replaced and reported).
                base = value[at - 1] if at else ""
                last = lossy[-1] if lossy else None
                if last and (last.line, last.item, last.character) == (line, item.name, base):
                    lossy[-1] = Lossy(layout.file, line, item.name, base + char)
                else:
                    lossy.append(Lossy(layout.file, line, item.name, base + char))
                continue
            lossy.append(Lossy(layout.file, line, item.name, char))
            kept.append(REPLACEMENT)
        row[n] = "".join(kept)
    return format_row(row, [i.kind for i in layout.items])


def _write_file(layout: Layout, path: Path, tenant: str, encoding: str, lossy: list[Lossy]) -> str:
    secrets = [n for n, i in enumerate(layout.items) if i.secret]
    if encoding == "utf-8" and not secrets:
        return _write_blocks(path, _copy_out(_select(layout), [tenant]))
    if encoding == "utf-8" and secrets == [len(layout.items) - 1]:
        try:
            rows = _copy_out(_select(layout), [tenant])
            header = next(rows)
            return _write_blocks(path, _chain(header, _decrypt_last(rows)))
        except _MultiLine:
            pass  # written again below, the careful way
    return _through_python(layout, path, tenant, encoding, lossy)


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _manifest_entry(layout: Layout, rows: int, sha256: str) -> dict[str, Any]:
    return {
        "file": layout.file,
        "table": layout.label,
        "rows": rows,
        "sha256": sha256,
        "items": [
            {
                "name": i.name,
                "type": i.kind,
                "required": i.required,
                **({"max_length": i.max_length} if i.max_length else {}),
                **({"codes": i.choices} if i.choices else {}),
                **({"references": i.references} if i.references else {}),
                **({"in_clear": i.secret} if i.secret else {}),
            }
            for i in layout.items
        ],
    }


def export_tenant(
    code: str,
    out: Path,
    *,
    encoding: str = "utf-8",
    with_audit: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, Any]:
    """Write the municipality ``code`` to ``out`` (new or empty); return the manifest."""
    if encoding not in ENCODINGS:
        raise ValidationFailed(f"文字コードは {'/'.join(ENCODINGS)} です", field="encoding")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ValidationFailed(NOT_EMPTY.format(out=out), field="out")
    tenant = Tenant.objects.filter(code=code).first()
    if tenant is None:
        raise ValidationFailed(f"団体 {code} は登録されていません", field="tenant")
    partial = out.parent / f".{out.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        manifest, info = _export(tenant, partial, encoding, with_audit, progress)
        (partial / MANIFEST).write_text(_dumps(manifest), encoding="utf-8")
        (partial / INFO).write_text(_dumps(info), encoding="utf-8")
        if out.exists():
            out.rmdir()
        partial.rename(out)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _export(
    tenant: Tenant,
    folder: Path,
    encoding: str,
    with_audit: bool,
    progress: Callable[[str, int], None] | None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    files = []
    lossy: list[Lossy] = []
    with transaction.atomic():
        with connection.cursor() as cursor:
            # One snapshot for every file: the references between them hold.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        with tenant_scope(tenant.code, purpose="データ移行（標準レイアウトへの出力）"):
            for layout in registry().layouts:
                rows = layout.model.objects.count()
                path = folder / layout.file
                sha256 = _write_file(layout, path, tenant.code, encoding, lossy)
                files.append(_manifest_entry(layout, rows, sha256))
                if progress is not None:
                    progress(layout.file, rows)
            audit_rows = _audit(folder, tenant.code) if with_audit else None
    # Recorded after the snapshot, in a transaction of its own: the audit chain's lock must
    # not be taken under REPEATABLE READ (a concurrent append would fail it).
    with tenant_scope(tenant.code):
        scope = current_scope()
        record(
            AuditAction.EXPORT,
            object_type="iko.export",
            object_id=tenant.code,
            detail={"files": len(files), "rows": sum(f["rows"] for f in files)},
        )
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "encoding": encoding,
        "files": files,
        "excluded": registry().excluded,
    }
    if lossy:
        manifest["lossy"] = [x.as_json() for x in lossy]
    info = {
        "tenant": {"code": tenant.code, "name": tenant.name},
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "exported_by": scope.actor.username if scope else "system",
        "audit_trail": audit_rows,
    }
    return manifest, info


def _audit(folder: Path, tenant: str) -> dict[str, Any]:
    """The municipality's audit trail, for the archive (it is not imported: a new system
    starts its own chain, and the archive's checksum is recorded in it on import)."""
    sql = (
        'SELECT seq AS "連番", occurred_at AS "日時", actor AS "操作者", action AS "操作",'
        ' object_type AS "対象の種類", object_id AS "対象", purpose AS "目的", detail AS "詳細",'
        ' ip AS "端末", prev_hash AS "前の記録のハッシュ", hash AS "ハッシュ"'
        " FROM platform_auditrecord WHERE tenant_id = %s ORDER BY seq"
    )
    sha256 = _write_blocks(folder / AUDIT_FILE, _copy_out(sql, [tenant]))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM platform_auditrecord WHERE tenant_id = %s", [tenant])
        rows = cursor.fetchone()[0]
    return {"file": AUDIT_FILE, "rows": rows, "sha256": sha256}


__all__ = ["ENCODINGS", "FORMAT", "MANIFEST", "NULL_KINDS", "export_tenant"]
