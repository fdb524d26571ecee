"""Appending to the audit trail.

``record()`` is the one way to write an audit record. Inside a tenant scope the entry waits in
the scope and is appended just before the scope's transaction commits (so a rolled-back change
leaves no record of a change that never happened, and the chain's lock is held only briefly);
anywhere else it is appended at once in its own transaction.
"""

from __future__ import annotations

import json
from typing import Any, Final

from django.db import connection, transaction
from django.utils import timezone

from kyodo.platform.audit.chain import record_hash
from kyodo.platform.models.audit import PLATFORM_CHAIN, AuditChainHead, AuditRecord
from kyodo.platform.tenancy.context import (
    Actor,
    Scope,
    current_scope,
    no_tenant_scope,
    tenant_scope,
)


class _Current:
    def __repr__(self) -> str:
        return "CURRENT"


CURRENT: Final = _Current()


def _json_safe(detail: dict[str, Any]) -> dict[str, Any]:
    """JSON types only, floats as text: jsonb rewrites numbers (1e16 → 10000000000000000),
    which would change a hash taken before storing."""
    result: dict[str, Any] = json.loads(json.dumps(detail, default=str), parse_float=str)
    return result


def record(
    action: str,
    *,
    object_type: str = "",
    object_id: str | int = "",
    purpose: str | None = None,
    detail: dict[str, Any] | None = None,
    tenant_code: str | _Current | None = CURRENT,
    actor: Actor | None = None,
) -> None:
    """Append one audit record: who (actor), where (tenant), when (now), what, and why.

    ``tenant_code`` defaults to the current scope's municipality (the platform chain outside
    any scope); ``None`` means the platform chain explicitly.
    """
    scope = current_scope()
    if isinstance(tenant_code, _Current):
        tenant_code = scope.tenant_code if scope else None
    acting = actor or (scope.actor if scope else Actor())
    entry: dict[str, Any] = {
        "occurred_at": timezone.now(),
        "actor_id": acting.account_id,
        "actor": acting.username,
        "action": str(action),
        "object_type": object_type,
        "object_id": str(object_id),
        "purpose": purpose if purpose is not None else (scope.purpose if scope else ""),
        "detail": _json_safe(detail or {}),
        "ip": acting.ip,
    }
    if scope is not None and tenant_code == scope.tenant_code:
        # The marker is dropped by Django when a savepoint around this call rolls back, so the
        # flush can leave out entries of work that was undone.
        marker = _Marker()
        transaction.on_commit(marker)
        entry["_marker"] = marker
        scope.pending_audit.append(entry)
        return
    if tenant_code is None:
        with no_tenant_scope():
            _append(PLATFORM_CHAIN, None, [entry])
    else:
        with tenant_scope(tenant_code, actor=acting) as own:
            own.pending_audit.append(entry)


class _Marker:
    """A no-op on-commit callback whose presence says "my savepoint was not rolled back"."""

    def __call__(self) -> None:
        return None


def flush_pending(scope: Scope) -> None:
    """Append the scope's waiting entries (those not undone by a rollback) to its chain."""
    alive = {id(item[1]) for item in connection.run_on_commit}
    entries = [e for e in scope.pending_audit if "_marker" not in e or id(e["_marker"]) in alive]
    scope.pending_audit = []
    for entry in entries:
        entry.pop("_marker", None)
    if entries:
        _append(scope.tenant_code, scope.tenant_code, entries)


def _append(chain: str, tenant_code: str | None, entries: list[dict[str, Any]]) -> None:
    # No savepoint of its own: a failure here must undo the enclosing work anyway (a change
    # is never committed without its record), and every request that reads personal data
    # comes here — three statements (lock the head, insert, move the head), not six.
    with transaction.atomic(savepoint=False):
        head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
        if head is None:  # the chain's first record
            AuditChainHead.objects.get_or_create(chain=chain, defaults={"tenant_id": tenant_code})
            head = AuditChainHead.objects.select_for_update().get(chain=chain)
        rows = []
        seq, prev = head.last_seq, head.last_hash
        for entry in entries:
            seq += 1
            digest = record_hash(chain=chain, seq=seq, prev_hash=prev, **entry)
            rows.append(
                AuditRecord(
                    chain=chain,
                    tenant_id=tenant_code,
                    seq=seq,
                    prev_hash=prev,
                    hash=digest,
                    **entry,
                )
            )
            prev = digest
        _write(chain, rows, seq, prev)


def _write(chain: str, rows: list[AuditRecord], seq: int, last_hash: str) -> None:
    """Insert the records and move the chain's head on. On PostgreSQL that is one statement
    (the insert as a data-modifying CTE of the head's update): one round trip fewer on every
    request that reads personal data. SQLite (the demo) has no such CTE: two statements."""
    if connection.vendor != "postgresql":
        AuditRecord.objects.bulk_create(rows)
        AuditChainHead.objects.filter(chain=chain).update(last_seq=seq, last_hash=last_hash)
        return
    fields = [f for f in AuditRecord._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column or f.attname) for f in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    values = [
        f.get_db_prep_save(getattr(row, f.attname), connection) for row in rows for f in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH added AS (INSERT INTO {AuditRecord._meta.db_table} ({columns})"
            f" VALUES {', '.join([one_row] * len(rows))})"
            f" UPDATE {AuditChainHead._meta.db_table} SET last_seq = %s, last_hash = %s"
            " WHERE chain = %s",
            [*values, seq, last_hash, chain],
        )
