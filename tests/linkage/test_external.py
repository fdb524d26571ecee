"""External systems: registration with grants, and the pull feed (issue 4)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kyodo.linkage.external import external_register
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import AuditRecord, Tenant
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.juki.services.common import Address
from kyodo.units.juki.services.tenkyo_setai import tenkyo
from tests.juki.helpers import day, member, move_in

WATER = {"juki.moved_within": ["atena_no", "town", "banchi", "katagaki", "postal_code"]}


@pytest.fixture
def tenant(db: None, make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


def _register(code: str, name: str = "水道料金システム") -> str:
    with tenant_scope(code):
        token = external_register(name=name, grants=WATER).token
    return token


def _moves(code: str, given: str = "太郎") -> None:
    """A 転入, then a 転居 of the same household."""
    with tenant_scope(code):
        head = move_in([member(given=given)]).records[0]
        tenkyo(
            household_no=head.household_no,
            moved_on=day(10),
            notified_on=day(10),
            address=Address(town="新町", banchi="9-1", katagaki="コーポ新町101"),
        )


def _get(token: str | None, **params: int) -> object:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client().get("/api/v1/linkage/feed", params, headers=headers)


def test_the_feed_gives_only_granted_events_and_items(tenant: Tenant) -> None:
    token = _register(tenant.code)
    _moves(tenant.code)
    response = _get(token)
    assert response.status_code == 200, response.content
    body = response.json()
    [event] = body["events"]  # the 転入 is not granted
    assert event["name"] == "juki.moved_within"
    assert set(event["payload"]) <= set(WATER["juki.moved_within"])
    assert event["payload"]["town"] == "新町" and event["payload"]["banchi"] == "9-1"
    assert "birth_date" not in event["payload"] and "family_name" not in event["payload"]
    assert event["atena_no"] is not None
    assert body["next_cursor"] == event["id"]
    with tenant_scope(tenant.code):
        [audit] = AuditRecord.objects.filter(object_type="linkage.feed")
        assert audit.action == "export" and audit.actor == "external:水道料金システム"
        assert audit.detail["events"] == [event["id"]]
        assert audit.detail["system"] == "水道料金システム"
    # Nothing after the cursor: an empty batch, the cursor kept.
    after = _get(token, cursor=body["next_cursor"]).json()
    assert after == {"events": [], "next_cursor": body["next_cursor"]}


def test_cursor_paging(tenant: Tenant) -> None:
    token = _register(tenant.code)
    _moves(tenant.code)
    _moves(tenant.code, given="次郎")
    first = _get(token, limit=1).json()
    second = _get(token, limit=1, cursor=first["next_cursor"]).json()
    both = _get(token, limit=10).json()
    assert [e["id"] for e in first["events"] + second["events"]] == [
        e["id"] for e in both["events"]
    ]
    assert len(both["events"]) == 2 and first["events"][0]["id"] < second["events"][0]["id"]
    assert _get(token, limit=1001).status_code == 422


def test_bad_tokens_are_refused(tenant: Tenant) -> None:
    token = _register(tenant.code)
    code, _dot, secret = token.partition(".")
    for bad in (None, "nonsense", f"{code}.{secret}x", f"{code}.", secret):
        assert _get(bad).status_code == 401, bad


def test_a_token_sees_only_its_own_municipality(
    tenant: Tenant, make_tenant: Callable[..., Tenant]
) -> None:
    other = make_tenant(name="隣町")
    token = _register(tenant.code)
    other_token = _register(other.code)
    _moves(tenant.code)
    assert _get(other_token).json()["events"] == []
    assert len(_get(token).json()["events"]) == 1
    # The other municipality's code with this municipality's secret is no token at all.
    assert _get(f"{other.code}.{token.partition('.')[2]}").status_code == 401


def test_grants_are_checked_against_the_catalogue(tenant: Tenant) -> None:
    with tenant_scope(tenant.code):
        with pytest.raises(ValidationFailed, match="my_number"):
            external_register(name="x", grants={"juki.moved_within": ["atena_no", "my_number"]})
        with pytest.raises(ValidationFailed):
            external_register(name="x", grants={"juki.no_such_event": ["atena_no"]})
        registered = external_register(name="x", grants=WATER)
        assert registered.token not in registered.system.token_index
        assert registered.webhook_secret == ""  # pulls only: no signing secret
        with pytest.raises(ValidationFailed):
            external_register(name="x", grants=WATER)  # the name is taken
