"""The current tenant: a context variable plus, on PostgreSQL, a transaction-local setting.

``tenant_scope(code)`` opens a transaction, sets ``kyodo.tenant`` with ``set_config(..., true)``
(so it can never leak to the next request on a pooled connection) and remembers who is acting
and why, for the audit trail. Row-level security policies read ``kyodo.tenant``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction

from kyodo.platform.errors import NoTenantSelected

DB_SETTING = "kyodo.tenant"


@dataclass
class Actor:
    """Who is acting, for the audit trail."""

    account_id: int | None = None
    username: str = "system"
    ip: str | None = None


@dataclass
class Scope:
    tenant_code: str
    actor: Actor
    purpose: str = ""
    # A tenant_session: no transaction of its own, so no row-level security setting either.
    session: bool = False
    # Audit entries collected during the scope, appended to the chain just before commit so
    # the chain's lock is held for a moment, not for the whole request.
    pending_audit: list[dict[str, Any]] = field(default_factory=list)


_scope: ContextVar[Scope | None] = ContextVar("kyodo_tenant_scope", default=None)


def current_scope() -> Scope | None:
    return _scope.get()


def current_tenant_code() -> str | None:
    scope = _scope.get()
    return scope.tenant_code if scope else None


def require_tenant_code() -> str:
    code = current_tenant_code()
    if code is None:
        raise NoTenantSelected(
            "団体が選択されていません: tenant-owned data can only be used inside a tenant scope"
        )
    return code


def require_transaction_scope() -> str:
    """The tenant code, for reading or writing its rows: refused directly under a
    ``tenant_session``, where PostgreSQL's row-level security would silently show nothing."""
    code = require_tenant_code()
    scope = _scope.get()
    if scope is not None and scope.session and not connection.in_atomic_block:
        raise NoTenantSelected(
            "一括処理の中では、データの読み書きは tenant_scope（チャンクのトランザクション）の"
            "中で行ってください: outside it row-level security would show no rows"
        )
    return code


def actor_name_or(default: str) -> str:
    """The acting user's name in the current scope, else ``default``."""
    scope = _scope.get()
    return scope.actor.username if scope else default


def set_db_tenant(code: str | None) -> None:
    """Set the transaction-local tenant for row-level security (PostgreSQL only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [DB_SETTING, code or ""])


@contextmanager
def tenant_scope(
    tenant_code: str, *, actor: Actor | None = None, purpose: str = ""
) -> Iterator[Scope]:
    """Run the block inside one transaction scoped to ``tenant_code``.

    Nested scopes of the same tenant share the outer scope; a nested scope of another tenant
    (used by the audit writer and by operator tools) switches and then restores the setting.
    """
    outer = _scope.get()
    if (
        outer is not None
        and outer.tenant_code == tenant_code
        and not outer.session
        and connection.in_atomic_block
    ):
        with transaction.atomic():
            yield outer
        return
    scope = Scope(
        tenant_code=tenant_code,
        actor=actor or (outer.actor if outer else Actor()),
        purpose=purpose or (outer.purpose if outer else ""),
    )
    token = _scope.set(scope)
    # Our atomic block will COMMIT (not just release a savepoint) when it ends.
    outermost = not connection.in_atomic_block and connection.get_autocommit()
    try:
        with transaction.atomic():
            set_db_tenant(tenant_code)
            yield scope
            if transaction.get_rollback():
                return  # the block asked for a rollback: nothing more may run in it
            if scope.pending_audit:
                from kyodo.platform.audit.writer import flush_pending

                flush_pending(scope)
            # On success, hand the setting back to the enclosing transaction; the setting is
            # transaction-local, so the commit of an outermost one ends it by itself. On
            # failure the rollback (of the transaction or savepoint) restores it by itself,
            # and a statement in an aborted transaction would fail anyway.
            if not outermost:
                set_db_tenant(outer.tenant_code if outer else None)
    finally:
        _scope.reset(token)


@contextmanager
def tenant_session(
    tenant_code: str, *, actor: Actor | None = None, purpose: str = ""
) -> Iterator[Scope]:
    """Who acts for which municipality and why, *without* a transaction: for long batches that
    commit a chunk at a time. Each ``tenant_scope`` opened inside it is its own transaction
    (and inherits the actor and purpose), so a stopped batch keeps the chunks it finished."""
    if connection.in_atomic_block:
        # Inside a transaction nothing could commit per chunk; behave as a plain scope.
        with tenant_scope(tenant_code, actor=actor, purpose=purpose) as scope:
            yield scope
        return
    scope = Scope(tenant_code=tenant_code, actor=actor or Actor(), purpose=purpose, session=True)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)


@contextmanager
def no_tenant_scope() -> Iterator[None]:
    """Leave any tenant scope for the block (platform-wide records such as operator actions)."""
    outer = _scope.get()
    token = _scope.set(None)
    try:
        with transaction.atomic():
            set_db_tenant(None)
            yield
            set_db_tenant(outer.tenant_code if outer else None)
    finally:
        _scope.reset(token)
