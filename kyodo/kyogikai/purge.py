"""消去: removing a municipality that has left, completely, and proving it.

The purge runs as the schema owner (``DATABASE_OWNER_URL``) in one transaction: the audit
trail is append-only for the application role, and only the owner may delete it. The owner is
subject to row-level security too (FORCE), so the transaction selects the municipality
(``kyodo.tenant``) and can see — and delete — nothing of any other.

What is deleted is found in the database's catalogue, not listed by hand, so a table added
later is purged without a change here:
- every table with a ``tenant_id`` column (the municipality's rows, its parameters, its audit
  chain), and the audit records of its chain;
- the staff accounts of the municipality, and every row that refers to them (roles, TOTP
  devices …);
- the municipality itself.
Every foreign key is checked at commit: if anything anywhere still pointed at the
municipality, the commit fails and nothing at all is deleted.

:func:`check` proves the result the same way, with counts, and looks at the files: the
municipality's own backups are deleted with it; whole-deployment backups taken before the
purge still hold it until the retention (7 daily, 4 weekly) prunes them, and one kept past
that (by the retention's count, or older than its daily and weekly spans together) is
reported as a failure: the municipality's data must not outlive the agreed retention.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.utils import timezone
from psycopg import sql

from kyodo.ops.backup import roles
from kyodo.ops.backup.catalogue import generations
from kyodo.ops.backup.generations import to_keep
from kyodo.platform.models.audit import AuditChainHead, AuditRecord
from kyodo.platform.tenancy.context import DB_SETTING

__all__ = ["PurgeReport", "check", "purge"]

TENANT_TABLE = "platform_tenant"
ACCOUNT_TABLE = "platform_account"


def _tenant_tables(cursor: psycopg.Cursor[Any]) -> list[str]:
    cursor.execute(
        """
        SELECT c.table_name FROM information_schema.columns c
          JOIN information_schema.tables t USING (table_schema, table_name)
         WHERE c.table_schema = 'public' AND c.column_name = 'tenant_id'
           AND t.table_type = 'BASE TABLE' AND c.table_name <> %s
         ORDER BY c.table_name
        """,
        [ACCOUNT_TABLE],
    )
    return [row[0] for row in cursor.fetchall()]


def _references_to(cursor: psycopg.Cursor[Any], target: str) -> list[tuple[str, str]]:
    """(table, column) of every single-column foreign key pointing at ``target``."""
    cursor.execute(
        """
        SELECT c.conrelid::regclass::text, a.attname
          FROM pg_constraint c
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         WHERE c.contype = 'f' AND c.confrelid = %s::regclass AND array_length(c.conkey, 1) = 1
         ORDER BY 1, 2
        """,
        [target],
    )
    return [(str(t).strip('"'), str(col)) for t, col in cursor.fetchall()]


def _connect() -> psycopg.Connection[Any]:
    return psycopg.connect(roles.owner(), autocommit=False)


def _select_tenant(cursor: psycopg.Cursor[Any], code: str) -> None:
    cursor.execute("SELECT set_config(%s, %s, true)", [DB_SETTING, code])


def _account_ids(cursor: psycopg.Cursor[Any], code: str) -> list[int]:
    cursor.execute(f"SELECT id FROM {ACCOUNT_TABLE} WHERE tenant_id = %s", [code])
    return [row[0] for row in cursor.fetchall()]


def purge(code: str) -> dict[str, int]:
    """Delete everything of the municipality ``code``; return the rows deleted per table."""
    deleted: dict[str, int] = {}
    with _connect() as conn, conn.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        _select_tenant(cursor, code)
        for table in _tenant_tables(cursor):
            cursor.execute(
                sql.SQL("DELETE FROM {} WHERE tenant_id = %s").format(sql.Identifier(table)),
                [code],
            )
            deleted[table] = cursor.rowcount
        # A chain's records all carry its municipality, but the chain is the audit key.
        for model in (AuditRecord, AuditChainHead):
            cursor.execute(
                sql.SQL("DELETE FROM {} WHERE chain = %s").format(
                    sql.Identifier(model._meta.db_table)
                ),
                [code],
            )
            deleted[model._meta.db_table] = deleted.get(model._meta.db_table, 0) + cursor.rowcount
        accounts = _account_ids(cursor, code)
        for table, column in _references_to(cursor, ACCOUNT_TABLE):
            cursor.execute(
                sql.SQL("DELETE FROM {} WHERE {} = ANY(%s)").format(
                    sql.Identifier(table), sql.Identifier(column)
                ),
                [accounts],
            )
            deleted[table] = deleted.get(table, 0) + cursor.rowcount
        cursor.execute(f"DELETE FROM {ACCOUNT_TABLE} WHERE tenant_id = %s", [code])
        deleted[ACCOUNT_TABLE] = cursor.rowcount
        cursor.execute(f"DELETE FROM {TENANT_TABLE} WHERE code = %s", [code])
        deleted[TENANT_TABLE] = cursor.rowcount
        conn.commit()  # every deferred foreign key is checked here, or nothing is deleted
    return {table: n for table, n in deleted.items() if n}


def delete_own_backups(code: str, root: Path | None = None) -> list[str]:
    """The municipality's own backups (``kyodo backup --tenant``) go with it."""
    removed = []
    for backup in generations(root, tenant=code):
        shutil.rmtree(backup.path)
        removed.append(backup.path.name)
    return removed


@dataclass
class PurgeReport:
    code: str
    checked_at: str
    rows: dict[str, int] = field(default_factory=dict)  # tables still holding rows of it
    files: list[str] = field(default_factory=list)  # files of it still on disk
    backups_held: list[dict[str, str]] = field(default_factory=list)  # within retention
    backups_overdue: list[str] = field(default_factory=list)  # past retention, still there

    @property
    def clean(self) -> bool:
        return not (self.rows or self.files or self.backups_overdue)

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "checked_at": self.checked_at,
            "clean": self.clean,
            "rows": self.rows,
            "files": self.files,
            "backups_held": self.backups_held,
            "backups_overdue": self.backups_overdue,
        }

    def lines(self) -> Iterator[str]:
        yield f"団体 {self.code} の消去確認（{self.checked_at}）"
        if not self.rows:
            yield "  データベース: 残っている行はありません"
        for table, n in self.rows.items():
            yield f"  データベース: {table} に {n:,} 行が残っています"
        if not self.files:
            yield "  ファイル: 残っているファイル（団体別バックアップ等）はありません"
        yield from (f"  ファイル: {path} が残っています" for path in self.files)
        for held in self.backups_held:
            yield (
                f"  全体バックアップ {held['name']} は保存期間内のため残っています"
                f"（{held['until']} までに世代管理で削除されます）"
            )
        for name in self.backups_overdue:
            yield (
                f"  全体バックアップ {name} は保存期間を過ぎても残っています"
                "（kyodo backup prune を実行するか、削除してください）"
            )
        yield "  結果: " + ("完全に消去されています" if self.clean else "消去が完了していません")


def _rows_left(code: str) -> dict[str, int]:
    left: dict[str, int] = {}
    with _connect() as conn, conn.cursor() as cursor:
        _select_tenant(cursor, code)
        counts = [(t, "tenant_id") for t in _tenant_tables(cursor)]
        counts += [(AuditRecord._meta.db_table, "chain"), (AuditChainHead._meta.db_table, "chain")]
        counts += [(ACCOUNT_TABLE, "tenant_id"), (TENANT_TABLE, "code")]
        for table, column in counts:
            cursor.execute(
                sql.SQL("SELECT count(*) FROM {} WHERE {} = %s").format(
                    sql.Identifier(table), sql.Identifier(column)
                ),
                [code],
            )
            n = cursor.fetchone()[0]  # type: ignore[index]
            if n:
                left[table] = left.get(table, 0) + int(n)
        conn.rollback()
    return left


def _retention_end(taken: dt.datetime) -> dt.date:
    """The last day a backup can be kept: past the daily span and the weekly ones after it."""
    weeks = settings.KYODO_BACKUP_KEEP_WEEKLY + 1
    return taken.date() + dt.timedelta(days=settings.KYODO_BACKUP_KEEP_DAILY, weeks=weeks)


def check(code: str, *, left_at: dt.datetime, root: Path | None = None) -> PurgeReport:
    """Prove that nothing of ``code`` remains: rows, files, and backups past their retention."""
    folder = Path(root or settings.KYODO_BACKUP_DIR)
    report = PurgeReport(code=code, checked_at=timezone.now().isoformat(timespec="seconds"))
    report.rows = _rows_left(code)
    report.files = [str(b.path) for b in generations(folder, tenant=code)]
    whole = generations(folder)
    keep = to_keep(
        [b.taken_at for b in whole],
        daily=settings.KYODO_BACKUP_KEEP_DAILY,
        weekly=settings.KYODO_BACKUP_KEEP_WEEKLY,
    )
    today = timezone.localdate()
    for backup in whole:
        if backup.taken_at >= left_at:
            continue  # taken after the purge: holds nothing of it
        until = _retention_end(backup.taken_at)
        # Past retention by either rule: prune would delete it, or it is older than the
        # daily and weekly spans together (kept only because no newer backups were taken).
        if backup.taken_at in keep and today <= until:
            report.backups_held.append({"name": backup.path.name, "until": until.isoformat()})
        else:
            report.backups_overdue.append(backup.path.name)
    return report
