"""Login and logout reach the audit trail through Django's auth signals."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kyodo.platform.audit.writer import record
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import Actor


def _actor(request: HttpRequest | None, user: Any) -> Actor:
    ip = request.META.get("REMOTE_ADDR") if request is not None else None
    return Actor(account_id=user.pk, username=user.get_username(), ip=ip)


def on_logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(
        AuditAction.LOGIN,
        object_type="account",
        object_id=user.get_username(),
        tenant_code=user.tenant_id,
        actor=_actor(request, user),
    )


def on_logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    record(
        AuditAction.LOGOUT,
        object_type="account",
        object_id=user.get_username(),
        tenant_code=user.tenant_id,
        actor=_actor(request, user),
    )
