"""``kyodo backup``: one consistent, encrypted backup with its manifest.

- **The whole deployment**: pg_dump (custom format) of one exported snapshot, read by the
  backup role; the same snapshot is fingerprinted (rows and checksum per table) for
  ``backup verify``. The stream goes pg_dump → age → file: nothing unencrypted touches disk.
- **One municipality** (``--tenant``): its standard-layout export with the audit trail
  (ADR 0014) packed as tar and encrypted — pg_dump cannot select one municipality's rows, and
  the standard layout is what ``restore --tenant`` loads into a running deployment.

A backup is written into a hidden ``.NAME.partial`` folder and renamed when complete: a
failure (a full disk, a killed process) leaves no generation that looks whole.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import psycopg
from django.conf import settings
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from kyodo.ops.backup import age, roles
from kyodo.ops.backup.fingerprint import fingerprints
from kyodo.platform.errors import ValidationFailed

FORMAT = "kyodo-backup/1"
MANIFEST = "manifest.json"
DUMP = "db.dump.age"
TENANT_ARCHIVE = "tenant.tar.age"
EXISTS = "同じ時刻のバックアップが既にあります: {path}"
FAILED = "バックアップを書けませんでした（{step}）: {reason}"
NO_SPACE = "バックアップ先の空き容量が足りません: {path}"


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest: dict[str, Any]

    @property
    def taken_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.manifest["taken_at"])


def backup_name(when: dt.datetime, tenant: str | None) -> str:
    return f"{when.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}-{tenant or 'all'}"


def take(
    *,
    to: Path | None = None,
    tenant: str | None = None,
    now: dt.datetime | None = None,
    taken_by: str = "system",
    progress: Callable[[str], None] | None = None,
) -> Backup:
    """Take one backup into ``to`` (default ``KYODO_BACKUP_DIR``) and return it."""
    say = progress or (lambda _message: None)
    root = Path(to or settings.KYODO_BACKUP_DIR)
    when = now or timezone.now()
    database = roles.database_name()
    final = root / backup_name(when, tenant)
    if final.exists():
        raise ValidationFailed(EXISTS.format(path=final), field="to")
    work = root / f".{final.name}.partial"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "kind": "tenant" if tenant else "full",
            "tenant": tenant,
            "taken_at": when.astimezone(dt.UTC).isoformat(),
            "taken_by": taken_by,
            "database": database,
            "migrations": _migrations(),
            "field_key": _field_key_fingerprint(),
            "encryption": {"tool": "age", "recipients": age.recipients()},
        }
        if tenant:
            manifest |= _tenant(work, tenant, say)
        else:
            manifest |= _full(work, say)
        manifest["files"] = {
            p.name: {"bytes": p.stat().st_size, "sha256": sha256_of(p)}
            for p in sorted(work.iterdir())
        }
        _write_json(work / MANIFEST, manifest)
        work.rename(final)
    except OSError as exc:
        shutil.rmtree(work, ignore_errors=True)
        if exc.errno == 28:  # ENOSPC
            raise ValidationFailed(NO_SPACE.format(path=root), field="to") from exc
        raise ValidationFailed(FAILED.format(step="書き込み", reason=exc), field="to") from exc
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    say(f"バックアップ完了: {final}")
    return Backup(final, manifest)


def _full(work: Path, say: Callable[[str], None]) -> dict[str, Any]:
    conninfo = roles.reader()
    with psycopg.connect(conninfo) as conn, conn.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot, version = cursor.fetchone()
        say("pg_dump（スナップショット " + snapshot + "）")
        dump = [_pg("pg_dump"), "--format=custom", "--snapshot", snapshot, "--dbname", conninfo]
        _encrypt_to(work / DUMP, dump)
        say("表ごとの件数とチェックサム")
        tables = fingerprints(cursor)  # in the dump's own snapshot
        conn.rollback()
    return {"postgresql": version, "tables": tables}


def _tenant(work: Path, code: str, say: Callable[[str], None]) -> dict[str, Any]:
    from kyodo.iko.export import export_tenant  # the standard layouts (ADR 0014)
    from kyodo.platform.tenancy.context import tenant_session

    folder = work / "export"
    # A session, not a transaction: the export opens its own REPEATABLE READ snapshot.
    with tenant_session(code, purpose="バックアップ"):
        manifest = export_tenant(
            code, folder, with_audit=True, progress=lambda f, n: say(f"{f}: {n:,} 件")
        )
    tables = {f["file"]: {"rows": f["rows"], "sha256": f["sha256"]} for f in manifest["files"]}
    archive = subprocess.Popen(age.encrypt_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    # tar → age → file, streamed.
    with open(work / TENANT_ARCHIVE, "wb") as out:
        writer = _Pump(archive, out)
        assert archive.stdin is not None
        with tarfile.open(fileobj=archive.stdin, mode="w|") as tar:
            tar.add(folder, arcname="export")
        archive.stdin.close()
        writer.finish("age")
    shutil.rmtree(folder)
    return {"tables": tables}


class _Pump:
    """Copy a child's stdout into ``out`` on a thread (so its stdin can be fed meanwhile)."""

    def __init__(self, child: subprocess.Popen[bytes], out: IO[bytes]) -> None:
        import threading

        self.child, self.error = child, None
        self.thread = threading.Thread(target=self._run, args=(out,), daemon=True)
        self.thread.start()

    def _run(self, out: IO[bytes]) -> None:
        assert self.child.stdout is not None
        try:
            shutil.copyfileobj(self.child.stdout, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        except OSError as exc:  # e.g. the disk is full
            self.error = exc
            self.child.kill()  # so the pipeline behind it stops too, instead of blocking

    def finish(self, step: str) -> None:
        self.thread.join()
        self.child.wait()
        if self.error is not None:
            raise self.error
        if self.child.returncode:
            raise ValidationFailed(FAILED.format(step=step, reason="異常終了"), field="to")


def _encrypt_to(path: Path, producer: list[str]) -> None:
    """``producer``'s output, encrypted with age, into ``path``."""
    with open(path, "wb") as out:
        source = subprocess.Popen(producer, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        crypt = subprocess.Popen(age.encrypt_command(), stdin=source.stdout, stdout=subprocess.PIPE)
        assert source.stdout is not None
        source.stdout.close()  # age alone reads it now
        writer = _Pump(crypt, out)
        _, errors = source.communicate()
        writer.finish("age")
    if source.returncode:
        raise ValidationFailed(
            FAILED.format(step=Path(producer[0]).name, reason=errors.decode(errors="replace")),
            field="to",
        )


def _pg(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise ValidationFailed(f"{tool} がありません（postgresql-client-15）", field=tool)
    return found


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder.Migration.objects.values_list("app", "name"):
        latest[app] = max(latest.get(app, ""), name)
    return dict(sorted(latest.items()))


def _field_key_fingerprint() -> str:
    """Which field-encryption key the 個人番号 of this backup need (not the key itself: keys
    are kept apart from backups)."""
    key = settings.KYODO_FIELD_KEYS[0].encode()
    return hashlib.sha256(key).hexdigest()[:16]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValidationFailed(
            f"バックアップではありません（{path / MANIFEST} を読めません: {exc}）", field="from"
        ) from exc
    if data.get("format") != FORMAT:
        raise ValidationFailed(f"形式が違います: {data.get('format')}", field="from")
    return data
