"""Connections for backup and restore, to the database the application uses (its name, so a
test database is backed up, not the production one).

- the **reader** (``KYODO_BACKUP_DATABASE_URL``): a role with BYPASSRLS that may read every
  table (``pg_read_all_data``): pg_dump must see every municipality's rows, and the owner
  cannot — its own tables FORCE row-level security (ADR 0002);
- the **owner** (``DATABASE_OWNER_URL``): restores the schema and the rows of a whole backup
  into an empty database, and creates the scratch databases ``backup verify`` restores into.
"""

from __future__ import annotations

from urllib.parse import quote

import dj_database_url
from django.conf import settings
from django.db import connections

from kyodo.platform.errors import ValidationFailed

NO_READER = (
    "バックアップ用のロール（KYODO_BACKUP_DATABASE_URL：BYPASSRLS と pg_read_all_data を持つ"
    "読み取り専用ロール）が設定されていません"
)
NOT_POSTGRESQL = "バックアップは PostgreSQL の配置でのみ取れます（SQLite のデモは対象外です）"


def database_name() -> str:
    if connections["default"].vendor != "postgresql":
        raise ValidationFailed(NOT_POSTGRESQL, field="DATABASE_URL")
    return str(connections["default"].settings_dict["NAME"])


def _conninfo(url: str, database: str) -> str:
    parts = dj_database_url.parse(url)
    user = quote(parts.get("USER") or "", safe="")
    password = quote(parts.get("PASSWORD") or "", safe="")
    host = parts.get("HOST") or "localhost"
    port = parts.get("PORT") or 5432
    return f"postgresql://{user}:{password}@{host}:{port}/{quote(database, safe='')}"


def reader(database: str | None = None) -> str:
    url = settings.KYODO_BACKUP_DATABASE_URL
    if not url:
        raise ValidationFailed(NO_READER, field="KYODO_BACKUP_DATABASE_URL")
    return _conninfo(url, database or database_name())


def app(database: str | None = None) -> str:
    """The application role, on ``database`` (a scratch copy, for one thing)."""
    return _conninfo(settings.APP_DATABASE_URL, database or database_name())


def owner(database: str | None = None) -> str:
    return _conninfo(settings.OWNER_DATABASE_URL, database or database_name())
