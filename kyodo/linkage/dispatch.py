"""The dispatcher: delivers pending events to subscribers, at least once, in order per person.

- Each delivery runs in its own savepoint; a handler that fails is retried with exponential
  backoff and, after ``MAX_ATTEMPTS``, lands in the dead-letter list with its reason.
- A person's later events wait while an earlier one to the same subscriber waits for a retry;
  a failing subscriber holds up no other subscriber and no other person.
- Handlers must be idempotent (``Event.id`` is the key): a dispatcher killed after a handler ran
  but before its delivery was marked done delivers that event again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kyodo.linkage.catalogue import Event, event_type
from kyodo.linkage.models import Delivery, Status
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import tenant_scope

MAX_ATTEMPTS = 5
BACKOFF_SECONDS = 2


@dataclass
class DispatchResult:
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    waiting: int = 0
    errors: list[str] = field(default_factory=list)


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=BACKOFF_SECONDS * 2 ** (attempts - 1))


def dispatch_once(*, limit: int = 5000, now: dt.datetime | None = None) -> DispatchResult:
    """Deliver what is due in every municipality, once; returns what happened."""
    result = DispatchResult()
    for code in Tenant.objects.filter(is_active=True).values_list("code", flat=True):
        with tenant_scope(code, purpose="データ連携"):
            _dispatch_tenant(code, limit=limit, now=now or timezone.now(), result=result)
    return result


def _dispatch_tenant(code: str, *, limit: int, now: dt.datetime, result: DispatchResult) -> None:
    pending = (
        Delivery.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("event")
        .filter(status=Status.PENDING)
        .order_by("id")[:limit]
    )
    held: set[tuple[str, int | None]] = set()
    done: list[int] = []
    for delivery in pending:
        key = (delivery.subscriber, delivery.atena_no)
        if key in held:
            result.waiting += 1
            continue
        if delivery.next_attempt_at > now:
            held.add(key)  # an earlier event of this person waits: so do the later ones
            result.waiting += 1
            continue
        if _deliver(code, delivery, now=now, result=result, held=held, key=key):
            done.append(delivery.pk)
    # Marked done together, in the batch's transaction: a kill before this line redelivers
    # the batch (handlers are idempotent), never loses it.
    Delivery.objects.filter(pk__in=done).update(
        status=Status.DONE, delivered_at=now, attempts=F("attempts") + 1
    )


def _deliver(
    code: str,
    delivery: Delivery,
    *,
    now: dt.datetime,
    result: DispatchResult,
    held: set[tuple[str, int | None]],
    key: tuple[str, int | None],
) -> bool:
    """Run the handler; True when it succeeded (the caller marks it done)."""
    event = delivery.event
    handler = event_type(event.name).subscribers.get(delivery.subscriber)
    try:
        if handler is None:
            raise LookupError(f"{delivery.subscriber} no longer subscribes to {event.name}")
        with transaction.atomic():
            handler(
                Event(
                    id=event.pk,
                    name=event.name,
                    tenant=code,
                    atena_no=event.atena_no,
                    payload=event.payload,
                )
            )
    except Exception as exc:
        delivery.attempts += 1
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = Status.DEAD
            result.dead += 1
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            held.add(key)
            result.failed += 1
        result.errors.append(f"{event.name}#{event.pk}→{delivery.subscriber}: {exc}")
        delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        return False
    result.delivered += 1
    return True


def replay(delivery_id: int) -> Delivery:
    """Put a dead-lettered delivery back in the queue (an operator's decision)."""
    delivery = Delivery.objects.get(pk=delivery_id, status=Status.DEAD)
    delivery.status = Status.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    return delivery
