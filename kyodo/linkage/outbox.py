"""Publishing: the event and one delivery per subscriber, inside the caller's transaction —
so there is no event without its change and no change without its event."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from kyodo.linkage.catalogue import EventType, event_type
from kyodo.linkage.models import Delivery, OutboxEvent, Status
from kyodo.platform.bulk import copy_insert, uses_copy
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.tenancy.context import require_tenant_code


def _checked(name: str, payload: dict[str, Any]) -> EventType:
    declared = event_type(name)
    unknown = sorted(set(payload) - set(declared.items))
    if unknown:
        raise ValidationFailed(f"{name} に宣言されていない項目です: {unknown[0]}", field=unknown[0])
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("publish() must run in the transaction of the change it reports")
    return declared


def publish(name: str, *, atena_no: int | None, payload: dict[str, Any]) -> OutboxEvent:
    declared = _checked(name, payload)
    tenant = require_tenant_code()
    event = OutboxEvent.objects.create(name=name, atena_no=atena_no, payload=payload)
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(
                tenant_id=tenant,
                event=event,
                subscriber=subscriber,
                atena_no=atena_no,
                next_attempt_at=now,
            )
            for subscriber in sorted(declared.subscribers)
        ]
    )
    return event


def publish_many(name: str, items: list[tuple[int | None, dict[str, Any]]]) -> int:
    """Publish many events of one type at once (a batch's assessments), in the caller's
    transaction, through COPY on PostgreSQL; the same guarantees as :func:`publish`."""
    if not items:
        return 0
    declared = _checked(name, items[0][1])
    for _atena_no, payload in items[1:]:
        _checked(name, payload)
    if not uses_copy():
        for atena_no, payload in items:
            publish(name, atena_no=atena_no, payload=payload)
        return len(items)
    tenant = require_tenant_code()
    now = timezone.now()
    # The events are numbered by the table on INSERT; their ids come back for the deliveries.
    created = copy_insert(
        OutboxEvent,
        [
            {"tenant_id": tenant, "name": name, "atena_no": a, "payload": p, "created_at": now}
            for a, p in items
        ],
        returning="id, atena_no",
    )
    subscribers = sorted(declared.subscribers)
    copy_insert(
        Delivery,
        [
            {
                "tenant_id": tenant,
                "event_id": event_id,
                "subscriber": subscriber,
                "atena_no": atena_no,
                "status": Status.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "last_error": "",
                "delivered_at": None,
            }
            for event_id, atena_no in sorted(created)
            for subscriber in subscribers
        ],
    )
    return len(created)
