"""External systems (外部システム): registered per municipality, receiving granted events.

Each system holds a bearer token ``<tenant code>.<secret>`` (shown once; only its blind index
is stored) and a grant per event type listing the data items it may receive: the pull feed
returns only granted events, each payload cut down to the granted items, and every batch it
hands out is audit-logged. A system registered with a webhook URL gets the same batches
pushed (see ``webhook``).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.db import IntegrityError, transaction

from kyodo.linkage.catalogue import event_type
from kyodo.linkage.models import ExternalSystem, OutboxEvent
from kyodo.platform.audit import record
from kyodo.platform.crypto import blind_index, encrypt
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Tenant
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import Actor, require_tenant_code, tenant_scope

INDEX_PURPOSE = "external_token"
FEED_LIMIT = 1000
LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def validate_grants(grants: Any) -> dict[str, list[str]]:
    """{event name: [items]}, each event and item declared in the catalogue."""
    if not isinstance(grants, dict) or not grants:
        raise ValidationFailed("許可するイベントと項目を指定してください", field="grants")
    clean: dict[str, list[str]] = {}
    for name, items in grants.items():
        declared = event_type(str(name))
        if not isinstance(items, list | tuple) or not items:
            raise ValidationFailed(f"{name} に許可する項目を指定してください", field="grants")
        unknown = sorted({str(i) for i in items} - set(declared.items))
        if unknown:
            raise ValidationFailed(
                f"{name} に宣言されていない項目です: {unknown[0]}", field=unknown[0]
            )
        clean[declared.name] = sorted({str(i) for i in items})
    return clean


@dataclass(frozen=True)
class Registration:
    """A new system with its bearer token and, when pushed to, its webhook signing secret."""

    system: ExternalSystem
    token: str
    webhook_secret: str


def validate_webhook_url(url: str) -> str:
    """https, or http to this machine only (a receiver on the same host or in a test)."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationFailed(f"Webhook の URL が不正です: {url}", field="webhook_url")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise ValidationFailed(
            "Webhook は https で受けてください（http はこの機械の中だけ）", field="webhook_url"
        )
    return url


def external_register(*, name: str, grants: dict[str, Any], webhook_url: str = "") -> Registration:
    """Register a system in the current municipality; its token and secret are shown once."""
    name = name.strip()
    if not name:
        raise ValidationFailed("名称は必須です", field="name")
    clean = validate_grants(grants)
    url = validate_webhook_url(webhook_url) if webhook_url.strip() else ""
    token = f"{require_tenant_code()}.{secrets.token_urlsafe(32)}"
    secret = secrets.token_urlsafe(32) if url else ""
    try:
        with transaction.atomic():
            system = ExternalSystem.objects.create(
                name=name,
                token_index=blind_index(token, purpose=INDEX_PURPOSE),
                grants=clean,
                webhook_url=url,
                webhook_secret=encrypt(secret) if secret else "",
                # Pushes start with what happens after registration, as a pull from 0 would not.
                webhook_cursor=_last_event_id() if url else 0,
            )
    except IntegrityError:
        raise ValidationFailed(f"{name} は登録済みです", field="name") from None
    record(
        AuditAction.MANAGE,
        object_type="linkage.external",
        object_id=system.pk,
        detail={"name": name, "grants": clean, "webhook_url": url},
    )
    return Registration(system=system, token=token, webhook_secret=secret)


def _last_event_id() -> int:
    return OutboxEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def external_set_active(*, name: str, active: bool) -> ExternalSystem:
    """Switch a system off (its token and pushes stop at once) or on again."""
    system = find_system(name)
    system.active = active
    system.save(update_fields=["active"])
    record(
        AuditAction.MANAGE,
        object_type="linkage.external",
        object_id=system.pk,
        detail={"name": name, "active": active},
    )
    return system


def find_system(name: str) -> ExternalSystem:
    try:
        return ExternalSystem.objects.get(name=name)
    except ExternalSystem.DoesNotExist:
        raise ValidationFailed(f"外部システム {name} は登録されていません", field="name") from None


def authenticate(token: str) -> tuple[str, str] | None:
    """(tenant code, system name) of the active system holding ``token``, else None."""
    code, dot, secret = token.partition(".")
    if not dot or not secret or not code.isdigit() or len(code) != 6:
        return None
    if not Tenant.objects.filter(code=code, is_active=True).exists():
        return None
    index = blind_index(token, purpose=INDEX_PURPOSE)
    with tenant_scope(code, actor=Actor(username="external:?")):
        name = (
            ExternalSystem.objects.filter(token_index=index, active=True)
            .values_list("name", flat=True)
            .first()
        )
    return (code, name) if name is not None else None


def granted_events(system: ExternalSystem, *, cursor: int, limit: int) -> list[dict[str, Any]]:
    """The system's granted events after ``cursor``, in id order, payloads cut to the grant."""
    grants: dict[str, list[str]] = system.grants
    rows = OutboxEvent.objects.filter(id__gt=cursor, name__in=list(grants)).order_by("id")[:limit]
    return [
        {
            "id": e.pk,
            "name": e.name,
            "atena_no": e.atena_no if "atena_no" in grants[e.name] else None,
            "payload": {k: v for k, v in e.payload.items() if k in grants[e.name]},
        }
        for e in rows
    ]


def feed(*, tenant_code: str, name: str, cursor: int = 0, limit: int = 100) -> dict[str, Any]:
    """The system's granted events after ``cursor``, in id order, payloads filtered."""
    if not 1 <= limit <= FEED_LIMIT:
        raise ValidationFailed(f"limit は1〜{FEED_LIMIT}です", field="limit")
    if cursor < 0:
        raise ValidationFailed("cursor は0以上です", field="cursor")
    with tenant_scope(tenant_code, actor=Actor(username=f"external:{name}"), purpose="外部連携"):
        system = ExternalSystem.objects.get(name=name, active=True)
        events = granted_events(system, cursor=cursor, limit=limit)
        if events:
            record(
                AuditAction.EXPORT,
                object_type="linkage.feed",
                object_id=system.pk,
                detail={"system": system.name, "events": [e["id"] for e in events]},
            )
    return {"events": events, "next_cursor": events[-1]["id"] if events else cursor}
