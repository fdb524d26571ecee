"""Webhook push to external systems: the feed's batches, POSTed and signed with HMAC-SHA256.

A system registered with a webhook URL receives ``{"system", "events", "next_cursor"}`` — the
same granted, filtered events the pull feed gives — in event-id order (so in order per person),
at least once: the cursor only moves when the receiver answers 2xx, so a receiver must treat
``events[].id`` as its idempotency key. Failures back off exponentially; after
``MAX_ATTEMPTS`` consecutive failures the push is suspended (its dead-letter state, shown to
operators with the reason) until an operator resumes it. Every attempt is audit-logged with
the event ids it carried and its outcome, because a timed-out request may still have arrived.

Signature (Stripe-style, so receivers can use familiar code): header
``X-Kyodo-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>``.
Receivers verify it with :func:`verify` (or its few lines in their own language) and should
reject timestamps older than a few minutes, which stops replays.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from kyodo.linkage.external import find_system, granted_events
from kyodo.linkage.models import ExternalSystem
from kyodo.platform.audit import record
from kyodo.platform.crypto import decrypt
from kyodo.platform.models import Tenant
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import Actor, tenant_scope

SIGNATURE_HEADER = "X-Kyodo-Signature"
BATCH = 100
MAX_ATTEMPTS = 5
BACKOFF_SECONDS = 2
TIMEOUT_SECONDS = 10
MAX_BATCHES_PER_ROUND = 50  # one system's backlog cannot starve the others in a round
TOLERANCE_SECONDS = 300


def sign(secret: str, body: bytes, *, timestamp: int) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    now: float | None = None,
    tolerance: int = TOLERANCE_SECONDS,
) -> bool:
    """What a receiver does: the signature matches and is fresh."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts["t"])
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    expected = sign(secret, body, timestamp=timestamp)
    return hmac.compare_digest(expected, header.strip())


@dataclass
class PushResult:
    batches: int = 0
    events: int = 0
    failed: int = 0
    suspended: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=BACKOFF_SECONDS * 2 ** (attempts - 1))


def push_once(*, now: dt.datetime | None = None) -> PushResult:
    """Push what is due to every webhook of every municipality; returns what happened."""
    result = PushResult()
    for code in Tenant.objects.filter(is_active=True).values_list("code", flat=True):
        with tenant_scope(code, purpose="外部連携"):
            names = list(
                ExternalSystem.objects.filter(active=True, webhook_suspended=False)
                .exclude(webhook_url="")
                .values_list("name", flat=True)
            )
        for name in names:
            for _ in range(MAX_BATCHES_PER_ROUND):
                if not _push_batch(code, name, now=now or timezone.now(), result=result):
                    break
    return result


def _push_batch(code: str, name: str, *, now: dt.datetime, result: PushResult) -> bool:
    """Push the system's next batch; True when one went through and more may follow."""
    actor = Actor(username=f"external:{name}")
    with tenant_scope(code, actor=actor, purpose="外部連携"), transaction.atomic():
        # The row lock keeps two dispatchers from pushing the same batch twice.
        system = (
            ExternalSystem.objects.select_for_update(skip_locked=True)
            .filter(name=name, active=True, webhook_suspended=False)
            .first()
        )
        if system is None or (system.webhook_next_at and system.webhook_next_at > now):
            return False
        events = granted_events(system, cursor=system.webhook_cursor, limit=BATCH)
        if not events:
            return False
        body = json.dumps(
            {"system": system.name, "events": events, "next_cursor": events[-1]["id"]},
            ensure_ascii=False,
        ).encode()
        error = _post(system, body)
        ids = [e["id"] for e in events]
        record(
            AuditAction.EXPORT,
            object_type="linkage.webhook",
            object_id=system.pk,
            detail={"system": system.name, "events": ids, "outcome": error or "ok"},
        )
        if error is None:
            system.webhook_cursor = ids[-1]
            system.webhook_attempts = 0
            system.webhook_next_at = None
            system.webhook_error = ""
            result.batches += 1
            result.events += len(ids)
        else:
            system.webhook_attempts += 1
            system.webhook_error = error[:2000]
            result.errors.append(f"webhook {system.name}: {error}")
            if system.webhook_attempts >= MAX_ATTEMPTS:
                system.webhook_suspended = True
                result.suspended += 1
            else:
                system.webhook_next_at = now + backoff(system.webhook_attempts)
                result.failed += 1
        system.save(
            update_fields=[
                "webhook_cursor",
                "webhook_attempts",
                "webhook_next_at",
                "webhook_error",
                "webhook_suspended",
            ]
        )
        return error is None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure: following it would resend personal data somewhere unregistered
    (and urllib would turn the POST into a GET)."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _post(system: ExternalSystem, body: bytes) -> str | None:
    """POST the signed batch; None on a 2xx answer, else what went wrong."""
    signature = sign(decrypt(system.webhook_secret), body, timestamp=int(time.time()))
    # The URL's scheme was checked at registration (https, or http to loopback only).
    request = urllib.request.Request(  # noqa: S310
        system.webhook_url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: signature,
            "User-Agent": "Kyodo-linkage/1",
        },
    )
    try:
        with _OPENER.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return f"{type(exc).__name__}: {reason}"
    return None if 200 <= status < 300 else f"HTTP {status}"


def resume(name: str) -> ExternalSystem:
    """Resume a suspended push (an operator's decision, after the receiver is fixed)."""
    system = find_system(name)
    system.webhook_suspended = False
    system.webhook_attempts = 0
    system.webhook_next_at = None
    system.save(update_fields=["webhook_suspended", "webhook_attempts", "webhook_next_at"])
    record(
        AuditAction.MANAGE,
        object_type="linkage.external",
        object_id=system.pk,
        detail={"name": name, "webhook": "resumed"},
    )
    return system
