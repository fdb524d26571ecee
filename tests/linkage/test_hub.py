"""The linkage hub: transactional outbox, ordered at-least-once delivery, retries, dead letters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from kyodo.linkage import catalogue as hub
from kyodo.linkage.dispatch import MAX_ATTEMPTS, dispatch_once
from kyodo.linkage.models import Delivery, OutboxEvent, Status
from kyodo.linkage.outbox import publish
from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import AuditRecord, Tenant
from kyodo.platform.tenancy.context import tenant_scope
from tests.juki.helpers import day, family_of_three, member, move_in

received: list[hub.Event] = []


@pytest.fixture
def subscribed() -> Iterator[Callable[..., None]]:
    """Subscribe test handlers; the catalogue is restored afterwards."""

    def add(name: str, subscriber: str, handler: hub.Handler) -> None:
        hub.subscribe(name, subscriber=subscriber, handler=handler)

    # The units' own subscribers (kokuho …) are set aside: these tests count deliveries.
    saved = {t.name: dict(t.subscribers) for t in hub.catalogue()}
    for t in hub.catalogue():
        t.subscribers.clear()
    received.clear()
    yield add
    for t in hub.catalogue():
        t.subscribers.clear()
        t.subscribers.update(saved[t.name])


@pytest.fixture
def tenant(db: None, make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


def test_the_catalogue_lists_every_event_type_with_its_items(capsys) -> None:
    call_command("linkage", "catalog", "--json")
    import json

    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert {
        "juki.moved_in",
        "juki.moved_within",
        "juki.moved_out",
        "juki.born",
        "juki.died",
        "juki.household_changed",
        "juki.corrected",
    } <= set(rows)
    assert rows["juki.moved_in"]["publisher"] == "juki"
    assert "atena_no" in rows["juki.moved_in"]["items"]
    assert not any("my_number" in r["items"] for r in rows.values())  # never on the hub


def test_a_move_in_publishes_one_event_per_member_in_its_transaction(
    tenant: Tenant, subscribed: Callable[..., None]
) -> None:
    subscribed("juki.moved_in", "test", received.append)
    with tenant_scope(tenant.code):
        outcome = move_in(family_of_three())
        events = list(OutboxEvent.objects.filter(name="juki.moved_in").order_by("id"))
        assert [e.atena_no for e in events] == [r.atena_no for r in outcome.records]
        assert events[0].payload["town"] == "本町" and "my_number" not in events[0].payload
        assert Delivery.objects.filter(subscriber="test").count() == 3


def test_no_event_without_its_change_and_no_change_without_its_event(
    tenant: Tenant, subscribed: Callable[..., None]
) -> None:
    subscribed("juki.moved_in", "test", received.append)
    with tenant_scope(tenant.code):
        with pytest.raises(ValidationFailed):
            move_in([member(relationship="子")])  # no 世帯主: refused
        assert not OutboxEvent.objects.exists() and not Delivery.objects.exists()
        with transaction.atomic():
            move_in([member()])
            transaction.set_rollback(True)  # the change is undone: so is its event
        assert not OutboxEvent.objects.exists()


def test_undeclared_items_are_refused(tenant: Tenant) -> None:
    with tenant_scope(tenant.code), pytest.raises(ValidationFailed, match="my_number"):
        publish("juki.moved_in", atena_no=1, payload={"my_number": "123456789018"})


def test_delivery_is_in_order_per_person_and_a_failing_subscriber_holds_up_no_other(
    tenant: Tenant, subscribed: Callable[..., None]
) -> None:
    failing: list[int] = []

    def flaky(event: hub.Event) -> None:
        failing.append(event.id)
        raise ConnectionError("subscriber down")

    subscribed("juki.moved_in", "test", received.append)
    subscribed("juki.moved_within", "test", received.append)
    subscribed("juki.moved_in", "flaky", flaky)
    subscribed("juki.moved_within", "flaky", flaky)
    with tenant_scope(tenant.code):
        head = move_in([member()]).records[0]
        from kyodo.units.juki.services.common import Address
        from kyodo.units.juki.services.tenkyo_setai import tenkyo

        tenkyo(
            household_no=head.household_no,
            moved_on=day(10),
            notified_on=day(10),
            address=Address(town="新町", banchi="9"),
        )
    result = dispatch_once()
    # The healthy subscriber got both, in order; the flaky one failed its first and the
    # person's second event waits behind it.
    assert [e.name for e in received] == ["juki.moved_in", "juki.moved_within"]
    # (Counted for this test's subscribers only: the database may hold other tests' events.)
    assert sum("→flaky" in e for e in result.errors) == 1 and result.waiting >= 1
    with tenant_scope(tenant.code):
        pending = Delivery.objects.filter(subscriber="flaky").order_by("id")
        assert [d.status for d in pending] == [Status.PENDING, Status.PENDING]
        assert pending[0].attempts == 1 and "subscriber down" in pending[0].last_error
        assert pending[0].next_attempt_at > timezone.now()
    # Retries with backoff until the dead-letter list; the later event then goes through.
    later = timezone.now()
    for _ in range(MAX_ATTEMPTS):
        later += dt.timedelta(hours=1)
        dispatch_once(now=later)
    with tenant_scope(tenant.code):
        first, second = Delivery.objects.filter(subscriber="flaky").order_by("id")
        assert first.status == Status.DEAD and first.attempts == MAX_ATTEMPTS
    # Once the first is dead it no longer holds the person's second event, which is then tried
    # in the same round and the next one.
    assert (second.status, second.attempts) == (Status.PENDING, 2)
    assert len(failing) == MAX_ATTEMPTS + 2


def test_dead_letters_can_be_seen_and_replayed(
    tenant: Tenant, subscribed: Callable[..., None], capsys
) -> None:
    import json

    calls: list[int] = []

    def broken(event: hub.Event) -> None:
        calls.append(event.id)
        if len(calls) <= MAX_ATTEMPTS:
            raise ValueError("bad payload")

    subscribed("juki.moved_in", "broken", broken)
    with tenant_scope(tenant.code):
        move_in([member()])
    later = timezone.now()
    for _ in range(MAX_ATTEMPTS):
        dispatch_once(now=later)
        later += dt.timedelta(hours=1)
    call_command("linkage", "dead", "--tenant", tenant.code)
    [dead] = json.loads(capsys.readouterr().out)
    assert (dead["subscriber"], dead["attempts"]) == ("broken", MAX_ATTEMPTS)
    assert "bad payload" in dead["error"]
    call_command("linkage", "replay", "--tenant", tenant.code, "--id", str(dead["id"]))
    capsys.readouterr()
    assert dispatch_once(now=later).delivered == 1
    with tenant_scope(tenant.code):
        assert Delivery.objects.get(pk=dead["id"]).status == Status.DONE


def test_a_dispatcher_killed_mid_batch_loses_and_duplicates_nothing(
    tenant: Tenant, subscribed: Callable[..., None]
) -> None:
    """Handlers write in the dispatcher's transaction and are keyed by the event id: a kill
    (here a BaseException halfway) rolls back the whole batch, and the restart delivers each
    event exactly once."""
    state = {"kill_at": 2, "seen": 0}

    def handler(event: hub.Event) -> None:
        state["seen"] += 1
        if state["seen"] == state["kill_at"]:
            raise KeyboardInterrupt  # the process dies here
        if not AuditRecord.objects.filter(
            object_type="test.delivery", object_id=str(event.id)
        ).exists():
            record("read", object_type="test.delivery", object_id=event.id)

    subscribed("juki.moved_in", "test", handler)
    with tenant_scope(tenant.code):
        move_in(family_of_three())
    with pytest.raises(KeyboardInterrupt):
        dispatch_once()
    state["kill_at"] = 0
    assert dispatch_once().delivered == 3
    assert dispatch_once().delivered == 0
    with tenant_scope(tenant.code):
        ids = list(
            AuditRecord.objects.filter(object_type="test.delivery").values_list(
                "object_id", flat=True
            )
        )
        assert len(ids) == 3 == len(set(ids))
        assert set(Delivery.objects.values_list("status", flat=True)) == {Status.DONE}


def test_publish_many_is_publish_in_bulk(tenant: Tenant, subscribed) -> None:
    """A batch's events through COPY: the same rows, deliveries and order as one by one."""
    from kyodo.linkage.outbox import publish_many

    subscribed("juki.corrected", "a", received.append)
    subscribed("juki.corrected", "b", received.append)
    items = [(100 + i, {"atena_no": 100 + i, "status": "jumin"}) for i in range(5)]
    with tenant_scope(tenant.code):
        assert publish_many("juki.corrected", items) == 5
        events = list(OutboxEvent.objects.filter(name="juki.corrected").order_by("id"))
        assert [(e.atena_no, e.payload) for e in events] == items
        assert Delivery.objects.filter(event__in=events, status=Status.PENDING).count() == 10
        with pytest.raises(ValidationFailed, match="nope"):
            publish_many("juki.corrected", [(1, {"nope": 1})])
    dispatch_once()
    assert sorted((e.atena_no, e.name) for e in received) == sorted(
        [(100 + i, "juki.corrected") for i in range(5)] * 2
    )


def test_publish_query_builds_the_events_in_the_database(tenant: Tenant, subscribed) -> None:
    """Events over rows just written, payloads built by SQL: the same rows, deliveries and
    order as publishing one by one; an undeclared item is refused and nothing is written."""
    from django.db.models import F, Value
    from django.db.models.functions import JSONObject

    from kyodo.atena.models import Person
    from kyodo.linkage.outbox import publish_query
    from tests.platform.test_isolation import add_person

    subscribed("juki.corrected", "a", received.append)
    subscribed("juki.corrected", "b", received.append)
    with tenant_scope(tenant.code):
        people = [add_person(family=f"照会{i}") for i in range(3)]
        rows = Person.objects.order_by("atena_no")
        good = JSONObject(atena_no=F("atena_no"), status=Value("jumin"))
        assert publish_query("juki.corrected", rows.annotate(payload=good)) == 3
        events = list(OutboxEvent.objects.filter(name="juki.corrected").order_by("id"))
        assert [(e.atena_no, e.payload) for e in events] == [
            (p.atena_no, {"atena_no": p.atena_no, "status": "jumin"})
            for p in sorted(people, key=lambda p: p.atena_no)
        ]
        assert Delivery.objects.filter(event__in=events, status=Status.PENDING).count() == 6
        bad = JSONObject(atena_no=F("atena_no"), nope=Value(1))
        with pytest.raises(ValidationFailed, match="nope"):
            publish_query("juki.corrected", rows.annotate(payload=bad))
        assert OutboxEvent.objects.filter(name="juki.corrected").count() == 3
        assert publish_query("juki.corrected", rows.none().annotate(payload=good)) == 0
    dispatch_once()
    assert len(received) == 6
