"""The schema guard: after every migration, make PostgreSQL enforce tenant isolation.

Run as the schema owner (``kyodo migrate``). Idempotent. For every tenant-owned table:
- row-level security ENABLEd and FORCEd (the owner is subject to it too), with one policy
  comparing ``tenant_id`` to the transaction-local ``kyodo.tenant`` setting;
- the primary key is (tenant_id, id), so every unique key includes the tenant;
- each ``TenantForeignKey`` becomes a composite (tenant_id, fk) → (tenant_id, id) constraint,
  and where one on a required column exists, the table's own ``tenant_id`` → municipality key
  is dropped as implied by it (ADR 0015: the same integrity, one check fewer per row);
and the application role gets DML on the tables but nothing more (no DDL, no ownership, and
on the audit trail only SELECT and INSERT).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connections

from kyodo.platform.tenancy.context import DB_SETTING
from kyodo.platform.tenancy.registry import rls_models, tenant_foreign_keys, tenant_owned_models

POLICY = "kyodo_tenant_isolation"
_CURRENT = f"NULLIF(current_setting('{DB_SETTING}', true), '')"
POLICY_EXPRESSIONS = {
    "strict": f"tenant_id = {_CURRENT}",
    "nullable": f"tenant_id IS NOT DISTINCT FROM {_CURRENT}",
}


def apply_tenant_guards(*, using: str = "default") -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in rls_models():
            policy = POLICY_EXPRESSIONS[model.rls_policy]  # type: ignore[attr-defined]
            _enable_rls(cursor, model._meta.db_table, policy)
        for model in tenant_owned_models():
            _tenant_primary_key(
                cursor, model._meta.db_table, id_index=getattr(model, "id_index", True)
            )
        for model in tenant_owned_models():
            for field in tenant_foreign_keys(model):
                _composite_fk(
                    cursor, model._meta.db_table, field.column, field.related_model._meta.db_table
                )
            if any(
                not field.null and field.related_model is not model
                for field in tenant_foreign_keys(model)
            ):
                _drop_implied_tenant_fk(cursor, model._meta.db_table)
        _grant_app_role(cursor)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _enable_rls(cursor: Any, table: str, expression: str) -> None:
    cursor.execute(f"ALTER TABLE {_q(table)} ENABLE ROW LEVEL SECURITY")
    cursor.execute(f"ALTER TABLE {_q(table)} FORCE ROW LEVEL SECURITY")
    cursor.execute(f"DROP POLICY IF EXISTS {POLICY} ON {_q(table)}")
    cursor.execute(
        f"CREATE POLICY {POLICY} ON {_q(table)} USING ({expression}) WITH CHECK ({expression})"
    )


def _tenant_primary_key(cursor: Any, table: str, *, id_index: bool = True) -> None:
    cursor.execute(
        """
        SELECT c.conname, array_agg(a.attname ORDER BY k.ord)
          FROM pg_constraint c
          JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord) ON true
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
         WHERE c.conrelid = %s::regclass AND c.contype = 'p'
         GROUP BY c.conname
        """,
        [table],
    )
    row = cursor.fetchone()
    # Django joins and loads related rows by id alone: keep an index on it (not unique, so
    # every unique key still includes the tenant) — unless the model says its rows are only
    # ever reached within their municipality (``id_index = False``: the batch-written hub and
    # assessment tables, where row-level security's tenant condition makes the primary key
    # (tenant_id, id) serve, and every index costs each of millions of inserts).
    index = _q(table + "_id_idx")
    if id_index:
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {index} ON {_q(table)} (id)")
    else:
        cursor.execute(f"DROP INDEX IF EXISTS {index}")
    if row and list(row[1]) == ["tenant_id", "id"]:
        return
    if row:
        cursor.execute(f"ALTER TABLE {_q(table)} DROP CONSTRAINT {_q(row[0])}")
    cursor.execute(f"ALTER TABLE {_q(table)} ADD PRIMARY KEY (tenant_id, id)")


def _composite_fk(cursor: Any, table: str, column: str, target: str) -> None:
    name = f"{table}_{column}_tenant_fk"[:63]
    cursor.execute(
        "SELECT 1 FROM pg_constraint WHERE conrelid = %s::regclass AND conname = %s",
        [table, name],
    )
    if cursor.fetchone():
        return
    cursor.execute(
        f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} FOREIGN KEY (tenant_id, {_q(column)}) "
        f"REFERENCES {_q(target)} (tenant_id, id) DEFERRABLE INITIALLY DEFERRED"
    )


def _drop_implied_tenant_fk(cursor: Any, table: str) -> None:
    """Drop ``table``'s single-column ``tenant_id`` → municipality key. A composite key
    (tenant_id, fk) on a NOT NULL column already proves it: the row it points to has the same
    tenant_id, and that row's own key proves the municipality exists. PostgreSQL would
    otherwise check (and FOR KEY SHARE lock) the municipality's row once more for every row
    written — a batch writes millions."""
    cursor.execute(
        """
        SELECT c.conname FROM pg_constraint c
         WHERE c.conrelid = %s::regclass AND c.contype = 'f'
           AND c.confrelid = 'platform_tenant'::regclass
           AND c.conkey = ARRAY[(SELECT attnum FROM pg_attribute
                                  WHERE attrelid = c.conrelid AND attname = 'tenant_id')]
        """,
        [table],
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f"ALTER TABLE {_q(table)} DROP CONSTRAINT {_q(name)}")


def _grant_app_role(cursor: Any) -> None:
    role = settings.KYODO_APP_DB_USER
    cursor.execute("SELECT current_user")
    if not role or role == cursor.fetchone()[0]:
        return  # a single-role set-up (e.g. a developer's scratch database)
    r = _q(role)
    cursor.execute(f"GRANT USAGE ON SCHEMA public TO {r}")
    cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {r}")
    # UPDATE: an import keeps the IDs of its files and moves the sequences past them (setval).
    cursor.execute(f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {r}")
    cursor.execute(f"REVOKE INSERT, UPDATE, DELETE ON django_migrations FROM {r}")
    for model in rls_models():
        if getattr(model, "append_only", False):
            cursor.execute(
                f"REVOKE UPDATE, DELETE, TRUNCATE ON {_q(model._meta.db_table)} FROM {r}"
            )
