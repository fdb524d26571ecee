"""Bulk writes (platform.bulk): what COPY writes is what was given, and isolation still holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import DatabaseError, transaction

from kyodo.linkage.models import OutboxEvent
from kyodo.platform.bulk import copy_insert, copy_lines, document, escaped, number, text
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import tenant_scope

pytestmark = pytest.mark.django_db

AWKWARD = "tab\there, line\nbreak, return\r, back\\slash, 髙橋\U000e0100, \\N"
PAYLOAD = {"text": AWKWARD, "quote": 'say "yes"', "nested": [1, {"a": None}]}
WHEN = dt.datetime(2026, 4, 1, 9, 30, tzinfo=dt.UTC)


def _stored(name: str) -> OutboxEvent:
    return OutboxEvent.objects.get(name=name)


def test_copy_insert_keeps_awkward_text_and_documents(
    make_tenant: Callable[..., Tenant],
) -> None:
    tenant = make_tenant()
    with tenant_scope(tenant.code), transaction.atomic():
        row = {"tenant_id": tenant.code, "name": AWKWARD[:60], "atena_no": None,
               "payload": PAYLOAD, "created_at": WHEN}  # fmt: skip
        copy_insert(OutboxEvent, [row])
        stored = _stored(AWKWARD[:60])
    assert (stored.atena_no, stored.payload, stored.created_at) == (None, PAYLOAD, WHEN)


def test_copy_lines_writes_formatted_lines_and_constants(
    make_tenant: Callable[..., Tenant],
) -> None:
    tenant = make_tenant()
    lines = [
        f"{text(f'event {n}')}\t{number(n)}\t{document(PAYLOAD | {'n': n})}\n" for n in range(3)
    ]
    with tenant_scope(tenant.code), transaction.atomic():
        copy_lines(
            OutboxEvent,
            ("name", "atena_no", "payload"),
            lines,
            constants={"tenant_id": tenant.code, "created_at": WHEN},
        )
        stored = list(OutboxEvent.objects.order_by("atena_no"))
    assert [(e.name, e.atena_no, e.payload, e.created_at) for e in stored] == [
        (f"event {n}", n, PAYLOAD | {"n": n}, WHEN) for n in range(3)
    ]


def test_formatters_escape_only_what_copy_needs() -> None:
    assert escaped("a\tb\nc\rd\\e") == "a\\tb\\nc\\rd\\\\e"
    assert text(None) == number(None) == document(None) == "\\N"
    # JSON escapes control characters itself; its backslashes are doubled for COPY.
    assert document({"k": "a\nb"}) == '{"k":"a\\\\nb"}'


def test_copy_lines_names_an_unknown_column(make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    with tenant_scope(tenant.code), transaction.atomic():
        with pytest.raises(ValueError, match="linkage_outboxevent has no column payld"):
            copy_lines(OutboxEvent, ("name", "payld"), [], constants={"tenant_id": tenant.code})
        assert not OutboxEvent.objects.exists()


def test_copy_lines_cannot_write_another_municipalitys_rows(
    make_tenant: Callable[..., Tenant],
) -> None:
    ours, theirs = make_tenant(), make_tenant()
    refused = pytest.raises(DatabaseError, match="row-level security")
    with tenant_scope(ours.code), refused, transaction.atomic():
        copy_lines(
            OutboxEvent,
            ("name",),
            ["intruder\n"],
            constants={"tenant_id": theirs.code, "payload": {}, "created_at": WHEN},
        )
    with tenant_scope(theirs.code):
        assert not OutboxEvent.objects.exists()
