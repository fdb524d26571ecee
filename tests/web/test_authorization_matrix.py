"""Every URL and every API operation against every kind of user: the authorization matrix.

Each view declares its access (kyodo.platform.accounts.access); this test walks the URL
configuration and the API's operations, so a new URL without a declaration, or one that lets
the wrong user in, fails. Expectations come from the roles' real permissions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from kyodo.platform.accounts.access import Access
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.juki.services.common import Address
from kyodo.units.juki.services.inputs import MemberInput
from kyodo.units.juki.services.tenyu import TenyuRequest, tenyu
from kyodo.web.api.v1 import operations

ROLES: dict[str, tuple[str, ...] | None] = {
    "anonymous": None,
    "operator": None,
    "clerk_without_units": (),
    "clerk_atena_view": ("atena.view",),
    "clerk_juki_view": ("juki.view",),
    "clerk_juki_change": ("juki.change",),
    "clerk_juki_issue": ("juki.issue",),
    "clerk_juki_manage": ("juki.manage", "atena.manage"),
    "clerk_other_unit": ("kokuho.manage",),
}


def walk(patterns: list, prefix: str = "") -> Iterator[tuple[str, Callable]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "api":
                continue  # the API's operations are checked through operations()
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def expected_allowed(access: Access, role: str, account) -> bool:
    if access.kind == "public":
        return True
    if access.kind == "external":
        return False  # bearer tokens of registered systems only; no staff session gets in
    if role == "anonymous":
        return False
    if access.kind == "authenticated":
        return True
    if access.kind == "operator":
        return role == "operator"
    assert access.kind == "unit"
    return role != "operator" and account.has_perm(f"platform.{access.unit}_{access.operation}")


def test_every_url_and_api_operation_declares_its_access() -> None:
    undeclared = [
        route
        for route, view in walk(get_resolver().url_patterns)
        if not isinstance(getattr(view, "kyodo_access", None), Access)
    ]
    undeclared += [
        path
        for path, _methods, view in operations()
        if not isinstance(getattr(view, "kyodo_access", None), Access)
    ]
    assert undeclared == []
    assert len(operations()) >= 13


def _resident(tenant_code: str) -> int:
    with tenant_scope(tenant_code):
        outcome = tenyu(
            TenyuRequest(
                moved_on=dt.date(2026, 4, 1),
                notified_on=dt.date(2026, 4, 2),
                address=Address(town="本町", banchi="1-2-3"),
                previous_address="東京都千代田区",
                members=[
                    MemberInput(
                        family_name="山田",
                        given_name="花子",
                        family_kana="ヤマダ",
                        given_kana="ハナコ",
                        birth_date=dt.date(1990, 1, 2),
                        sex=2,
                        relationship="世帯主",
                    )
                ],
            )
        )
    return outcome.records[0].atena_no


def _fill(path: str, atena_no: int) -> str:
    return (
        path.replace("<int:atena_no>", str(atena_no))
        .replace("{atena_no}", str(atena_no))
        .replace("{household_no}", "1")
        .replace("<int:household_no>", "1")
        .replace("{idou_id}", "1")
        .replace("<int:member_id>", "1")
        .replace("<int:period_id>", "1")
        .replace("<int:invoice_id>", "1")
    )


def _denied(response, url: str) -> bool:
    if response.status_code in (401, 403):
        return True
    return (
        response.status_code == 302
        and response["Location"].startswith("/login/")
        and not url.startswith("/login/")
    )


@pytest.mark.django_db
def test_authorization_matrix(make_tenant: Callable, make_account: Callable) -> None:
    tenant = make_tenant()
    atena_no = _resident(tenant.code)
    accounts = {
        role: make_account(None if role == "operator" else tenant, roles=roles or ())
        for role, roles in ROLES.items()
        if roles is not None or role == "operator"
    }
    clients = {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(accounts[role])
        clients[role] = client
    checked = 0
    for route, view in walk(get_resolver().url_patterns):
        url = "/" + _fill(route, atena_no)
        for role, client in clients.items():
            response = client.get(url)
            if role == "anonymous" and view.kyodo_access.kind != "public":
                assert response.status_code == 302, (url, role, response.status_code)
                assert response["Location"].startswith("/login/")
            allowed = expected_allowed(view.kyodo_access, role, accounts.get(role))
            assert _denied(response, url) != allowed, (url, role, response.status_code)
            checked += 1
    for path, methods, view in operations():
        url = _fill(path, atena_no)
        for role, client in clients.items():
            for method in methods:
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, data={}, content_type="application/json")
                if role == "anonymous":
                    assert response.status_code == 401, (method, url, response.status_code)
                allowed = expected_allowed(view.kyodo_access, role, accounts.get(role))
                assert _denied(response, url) != allowed, (method, url, role, response.status_code)
                checked += 1
    assert checked >= 20 * len(ROLES)


@pytest.mark.django_db
def test_operators_never_see_residents(make_tenant: Callable, make_account: Callable) -> None:
    tenant = make_tenant()
    atena_no = _resident(tenant.code)
    operator = make_account(None)
    # Even a mis-granted unit role gives an operator nothing: access requires a municipality.
    operator.groups.add(*Group.objects.filter(name__in=["atena.manage", "juki.manage"]))
    client = Client()
    client.force_login(operator)
    assert client.get("/api/v1/persons", {"q": "ヤマダ"}).status_code == 403
    assert client.get(f"/api/v1/persons/{atena_no}").status_code == 403
    assert client.get("/atena/persons/", {"q": "ヤマダ"}).status_code == 403


def test_the_api_schema_is_served_and_committed() -> None:
    import json
    from pathlib import Path

    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    served = response.json()
    assert served["openapi"].startswith("3.")
    committed = json.loads(
        (Path(__file__).resolve().parents[2] / "docs" / "openapi.json").read_text()
    )
    assert committed == served, (
        "docs/openapi.json is stale: run `kyodo openapi > docs/openapi.json`"
    )
