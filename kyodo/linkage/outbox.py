"""Publishing: the event and one delivery per subscriber, inside the caller's transaction —
so there is no event without its change and no change without its event."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import QuerySet
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
    # The deliveries (one per event and subscriber) are made by PostgreSQL from the ids, not
    # built and sent row by row: a batch of 1,000,000 assessments has 2,000,000 of them.
    event_ids, atena_nos = zip(*sorted(created), strict=True) if created else ((), ())
    with connection.cursor() as cursor:
        cursor.execute(
            f"{_INSERT_DELIVERIES}"
            " FROM unnest(%s::bigint[], %s::bigint[]) AS e(id, atena_no)"
            " CROSS JOIN unnest(%s::text[]) WITH ORDINALITY AS s(name, k)"
            " ORDER BY e.id, s.k",
            [tenant, Status.PENDING, now, list(event_ids), list(atena_nos),
             sorted(declared.subscribers)],
        )  # fmt: skip
    return len(created)


_INSERT_DELIVERIES = (
    f"INSERT INTO {Delivery._meta.db_table} (tenant_id, event_id, subscriber, atena_no, status,"
    " attempts, next_attempt_at, last_error, delivered_at)"
    " SELECT %s, e.id, s.name, e.atena_no, %s, 0, %s, '', NULL"
)


def publish_query(name: str, rows: QuerySet[Any, Any]) -> int:
    """Publish one event per row of ``rows`` — a queryset of ``atena_no`` and ``payload`` (a
    ``JSONObject`` of the row's columns), in the order to number the events — over rows the
    caller has just written in this transaction (a batch's assessments). PostgreSQL builds the
    payloads and the deliveries: nothing is built, encoded and sent back row by row by Python.
    The same guarantees as :func:`publish`: the items are checked against the catalogue (on
    the first row; every row of one query has the same items), in the caller's transaction."""
    try:
        query, params = rows.values("atena_no", "payload").query.sql_with_params()
    except EmptyResultSet:  # e.g. .none(): nothing to publish
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT q.payload FROM ({query}) AS q LIMIT 1", params)
        first = cursor.fetchone()
        if first is None:
            return 0
        declared = _checked(name, _document(first[0]))
        if not uses_copy():  # SQLite (the demo): row by row through publish()
            cursor.execute(f"SELECT q.atena_no, q.payload FROM ({query}) AS q", params)
            found = cursor.fetchall()
            for atena_no, payload in found:
                publish(name, atena_no=atena_no, payload=_document(payload))
            return len(found)
        tenant = require_tenant_code()
        now = timezone.now()
        events = OutboxEvent._meta.db_table
        cursor.execute(
            f"WITH e AS (INSERT INTO {events} (tenant_id, name, atena_no, payload, created_at)"
            f" SELECT %s, %s, q.atena_no, q.payload, %s FROM ({query}) AS q"
            " RETURNING id, atena_no),"
            f" d AS ({_INSERT_DELIVERIES}"
            " FROM e CROSS JOIN unnest(%s::text[]) WITH ORDINALITY AS s(name, k)"
            " ORDER BY e.id, s.k)"
            " SELECT count(*) FROM e",
            [tenant, name, now, *params, tenant, Status.PENDING, now,
             sorted(declared.subscribers)],
        )  # fmt: skip
        return int(cursor.fetchone()[0])


def _document(value: Any) -> dict[str, Any]:
    # The raw cursor gives jsonb (and SQLite's JSON) as text.
    return value if isinstance(value, dict) else json.loads(value)
