"""``kyodo restore`` and ``kyodo backup verify``.

A whole-deployment backup is restored with pg_restore, in one transaction, into an *empty*
database (the owner's connection): a half-restored database is never left behind. A
municipality's backup is loaded with the standard-layout import into that (empty)
municipality of a running deployment, touching no other municipality's rows.

One municipality can also be taken out of a *whole* backup — the daily generation is the one
that exists when a single municipality's data must come back. pg_dump cannot be restored a
municipality at a time, so the whole dump goes into a scratch database, is migrated to the
running schema (an older generation may predate a migration), and the municipality is
exported from there in the standard layouts by a ``kyodo export`` of its own, pointed at the
scratch database; that folder is then loaded as a municipality's backup would be. The
scratch database is dropped whatever happens.
``verify`` restores a whole backup into a scratch database it creates and drops, and
compares every table's rows and checksum with those read in the backup's snapshot.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg

from kyodo.ops.backup import age, roles
from kyodo.ops.backup.fingerprint import fingerprints
from kyodo.ops.backup.take import DUMP, TENANT_ARCHIVE, _pg, read_manifest, sha256_of
from kyodo.platform.errors import ValidationFailed

NOT_EMPTY = "復元先のデータベース {database} は空ではありません（表が {tables} 個あります）"
DAMAGED = "バックアップのファイル {file} が壊れています（{reason}）"
NOT_IN_BACKUP = "団体 {code} はこのバックアップ（{taken_at}）にありません"
STEP_FAILED = "全体のバックアップから団体 {code} を取り出せませんでした（{step}）: {reason}"
RESTORE_FAILED = "pg_restore が失敗しました（何も復元していません）: {reason}"


@dataclass
class Verified:
    backup: Path
    tables: int = 0
    rows: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_files(source: Path, manifest: dict[str, Any]) -> None:
    """Every file of the backup is there, with its size and SHA-256."""
    for name, expected in manifest["files"].items():
        path = source / name
        if not path.is_file():
            raise ValidationFailed(DAMAGED.format(file=path, reason="ありません"), field="from")
        if path.stat().st_size != expected["bytes"] or sha256_of(path) != expected["sha256"]:
            reason = "大きさかチェックサムが一致しません"
            raise ValidationFailed(DAMAGED.format(file=path, reason=reason), field="from")


def restore(
    source: Path,
    *,
    tenant: str | None = None,
    database: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    say = progress or (lambda _m: None)
    manifest = read_manifest(source)
    check_files(source, manifest)
    if manifest["kind"] == "tenant":
        return _restore_tenant(source, manifest, tenant or manifest["tenant"], say)
    if tenant:
        return _restore_tenant_from_full(source, manifest, tenant, say)
    target = database or roles.database_name()
    _restore_full(source, target, say)
    return {"restored": str(source), "database": target, "tables": len(manifest["tables"])}


def _restore_full(source: Path, database: str, say: Callable[[str], None]) -> None:
    conninfo = roles.owner(database)
    with psycopg.connect(conninfo) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    if tables:
        raise ValidationFailed(NOT_EMPTY.format(database=database, tables=tables), field="database")
    say(f"pg_restore → {database}")
    crypt = subprocess.Popen(
        [*age.decrypt_command(), str(source / DUMP)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # One transaction, stop at the first error: all of it or nothing. Comments are left
    # out: the one on pg_trgm belongs to the extension's owner, not to ours.
    loader = subprocess.run(
        [_pg("pg_restore"), "--single-transaction", "--exit-on-error", "--no-comments",
         "--dbname", conninfo],
        stdin=crypt.stdout,
        capture_output=True,
        check=False,
    )  # fmt: skip
    crypt.wait()
    if crypt.returncode or loader.returncode:
        assert crypt.stderr is not None
        reason = (crypt.stderr.read() + loader.stderr).decode(errors="replace").strip()
        raise ValidationFailed(RESTORE_FAILED.format(reason=reason[-2000:]), field="from")


def _unpack(source: Path, into: Path) -> Path:
    crypt = subprocess.Popen(
        [*age.decrypt_command(), str(source / TENANT_ARCHIVE)], stdout=subprocess.PIPE
    )
    assert crypt.stdout is not None
    with tarfile.open(fileobj=crypt.stdout, mode="r|") as tar:
        tar.extractall(into, filter="data")
    crypt.wait()
    if crypt.returncode:
        raise ValidationFailed(
            DAMAGED.format(file=TENANT_ARCHIVE, reason="復号できません"), field="from"
        )
    return into / "export"


def _restore_tenant(
    source: Path, manifest: dict[str, Any], code: str, say: Callable[[str], None]
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="kyodo-restore-") as scratch:
        folder = _unpack(source, Path(scratch))
        return _load_tenant(source, folder, code, say)


def _load_tenant(
    source: Path, folder: Path, code: str, say: Callable[[str], None]
) -> dict[str, Any]:
    from kyodo.iko.load import PURPOSE, import_tenant
    from kyodo.platform.tenancy.context import tenant_session

    with tenant_session(code, purpose=PURPOSE):
        result = import_tenant(code, folder, progress=lambda f, n: say(f"{f}: {n:,} 件"))
    if result.problems.count:
        shown = "; ".join(str(p) for p in result.problems.shown[:5])
        raise ValidationFailed(f"復元できません（何も取り込んでいません）: {shown}", field="from")
    return {"restored": str(source), "tenant": code, **result.as_json()}


def _restore_tenant_from_full(
    source: Path, manifest: dict[str, Any], code: str, say: Callable[[str], None]
) -> dict[str, Any]:
    """The municipality ``code`` out of a whole backup, into that (empty) municipality."""
    from kyodo.platform.models import Tenant

    if not Tenant.objects.filter(code=code).exists():  # before minutes of pg_restore
        raise ValidationFailed(f"団体 {code} は登録されていません", field="tenant")
    with _scratch_database("kyodo_restore") as scratch:
        _restore_full(source, scratch, say)
        with psycopg.connect(roles.reader(scratch)) as conn:
            found = conn.execute("SELECT 1 FROM platform_tenant WHERE code = %s", [code])
            if found.fetchone() is None:
                raise ValidationFailed(
                    NOT_IN_BACKUP.format(code=code, taken_at=manifest["taken_at"]),
                    field="tenant",
                )
        with tempfile.TemporaryDirectory(prefix="kyodo-restore-") as work:
            folder = Path(work) / "export"
            say(f"migrate → {scratch}")
            _kyodo_on(scratch, code, ["migrate", "--verbosity", "0"], "migrate")
            say(f"export {code} ← {scratch}")
            _kyodo_on(
                scratch, code,
                ["export", "--tenant", code, "--out", str(folder), "--with-audit"], "export",
            )  # fmt: skip
            return _load_tenant(source, folder, code, say)


@contextmanager
def _scratch_database(prefix: str) -> Iterator[str]:
    """A new, empty database of the deployment's cluster, dropped whatever happens."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    owner = roles.owner("postgres")
    with psycopg.connect(owner, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0 ENCODING UTF8')
    try:
        yield name
    finally:
        _drop(owner, name)


def _kyodo_on(database: str, code: str, args: list[str], step: str) -> None:
    """Run ``kyodo ARGS`` against ``database`` instead of the deployment's own."""
    env = {
        **os.environ,
        "DATABASE_URL": roles.app(database),
        "DATABASE_OWNER_URL": roles.owner(database),
        "KYODO_BACKUP_DATABASE_URL": roles.reader(database),
    }
    env.pop("KYODO_DB_ROLE", None)  # `kyodo migrate` picks the owner by itself
    run = subprocess.run(
        [sys.executable, "-m", "kyodo", *args], env=env, capture_output=True, check=False
    )
    if run.returncode:
        reason = run.stderr.decode(errors="replace").strip()[-2000:]
        message = STEP_FAILED.format(code=code, step=step, reason=reason)
        raise ValidationFailed(message, field="from")


def verify(source: Path, *, progress: Callable[[str], None] | None = None) -> Verified:
    """Restore ``source`` where it cannot hurt and compare it with its manifest."""
    say = progress or (lambda _m: None)
    manifest = read_manifest(source)
    out = Verified(source)
    try:
        check_files(source, manifest)
    except ValidationFailed as exc:
        out.problems.append(exc.message)
        return out
    if manifest["kind"] == "tenant":
        return _verify_tenant(source, manifest, out)
    try:
        with _scratch_database("kyodo_verify") as scratch:
            _restore_full(source, scratch, say)
            with psycopg.connect(roles.reader(scratch)) as conn, conn.cursor() as cursor:
                found = fingerprints(cursor)
        _compare(manifest["tables"], found, out)
    except ValidationFailed as exc:
        out.problems.append(exc.message)
    return out


def _drop(owner: str, database: str) -> None:
    """Drop the scratch database once the last session has left it (a closed connection's
    backend may still be exiting; the owner may not terminate another role's session)."""
    for _attempt in range(100):
        try:
            with psycopg.connect(owner, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
            return
        except psycopg.errors.ObjectInUse:
            time.sleep(0.1)
    raise ValidationFailed(f"作業用データベース {database} を削除できません", field="verify")


def _compare(expected: dict[str, Any], found: dict[str, Any], out: Verified) -> None:
    for table, want in sorted(expected.items()):
        got = found.get(table)
        if got is None:
            out.problems.append(f"表 {table} が復元されていません")
        elif got != want:
            out.problems.append(
                f"表 {table}: 件数 {got['rows']:,}（期待 {want['rows']:,}）、チェックサムが"
                + ("一致" if got["checksum"] == want["checksum"] else "不一致")
            )
        else:
            out.tables += 1
            out.rows += want["rows"]
    for table in sorted(set(found) - set(expected)):
        out.problems.append(f"表 {table} はバックアップにありません")


def _verify_tenant(source: Path, manifest: dict[str, Any], out: Verified) -> Verified:
    """A municipality's files: decrypted, each with the rows and SHA-256 its export wrote."""
    import csv

    with tempfile.TemporaryDirectory(prefix="kyodo-verify-") as scratch:
        folder = _unpack(source, Path(scratch))
        for name, want in sorted(manifest["tables"].items()):
            path = folder / name
            if not path.is_file():
                out.problems.append(f"{name} がありません")
                continue
            digest = sha256_of(path)
            with open(path, encoding="utf-8", newline="") as handle:
                rows = sum(1 for _ in csv.reader(handle)) - 1
            if digest != want["sha256"] or rows != want["rows"]:
                out.problems.append(
                    f"{name}: 件数 {rows:,}（期待 {want['rows']:,}）かチェックサムが不一致"
                )
            else:
                out.tables += 1
                out.rows += rows
    return out
