"""Publishing: the event and one delivery per subscriber, inside the caller's transaction —
so there is no event without its change and no change without its event."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from kyodo.linkage.catalogue import event_type
from kyodo.linkage.models import Delivery, OutboxEvent
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.tenancy.context import require_tenant_code


def publish(name: str, *, atena_no: int | None, payload: dict[str, Any]) -> OutboxEvent:
    declared = event_type(name)
    unknown = sorted(set(payload) - set(declared.items))
    if unknown:
        raise ValidationFailed(f"{name} に宣言されていない項目です: {unknown[0]}", field=unknown[0])
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("publish() must run in the transaction of the change it reports")
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
