"""Every URL against every kind of user: the authorization matrix.

Each view declares its access (kyodo.platform.accounts.access); this test walks the URL
configuration, so a new URL without a declaration, or one that lets the wrong user in, fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from kyodo.atena.models import Household, Person
from kyodo.platform.accounts.access import Access
from kyodo.platform.tenancy.context import tenant_scope

ROLES = ("anonymous", "operator", "clerk_without_units", "clerk_atena_view", "clerk_other_unit")


def walk(patterns: list, prefix: str = "") -> Iterator[tuple[str, Callable]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def expected_allowed(access: Access, role: str) -> bool:
    if access.kind == "public":
        return True
    if role == "anonymous":
        return False
    if access.kind == "authenticated":
        return True
    if access.kind == "operator":
        return role == "operator"
    assert access.kind == "unit"
    return role == "clerk_atena_view" and (access.unit, access.operation) == ("atena", "view")


def test_every_url_declares_its_access() -> None:
    undeclared = [
        route
        for route, view in walk(get_resolver().url_patterns)
        if not isinstance(getattr(view, "kyodo_access", None), Access)
    ]
    assert undeclared == []


@pytest.mark.django_db
def test_authorization_matrix(make_tenant: Callable, make_account: Callable) -> None:
    tenant = make_tenant()
    with tenant_scope(tenant.code):
        household = Household.objects.create(household_no=19, town="本町", banchi="1")
        person = Person.objects.create(
            atena_no=27,
            household=household,
            family_name="山田",
            given_name="花子",
            family_kana="ヤマダ",
            given_kana="ハナコ",
            birth_date=dt.date(1990, 1, 2),
            sex=2,
        )
    accounts = {
        "operator": make_account(None),
        "clerk_without_units": make_account(tenant),
        "clerk_atena_view": make_account(tenant, roles=("atena.view",)),
        "clerk_other_unit": make_account(tenant, roles=("kokuho.manage",)),
    }
    checked = 0
    for route, view in walk(get_resolver().url_patterns):
        access: Access = view.kyodo_access
        url = "/" + route.replace("<int:atena_no>", str(person.atena_no))
        for role in ROLES:
            client = Client()
            if role != "anonymous":
                client.force_login(accounts[role])
            response = client.get(url)
            denied = response.status_code in (401, 403) or (
                response.status_code == 302
                and response["Location"].startswith("/login/")
                and not url.startswith("/login/")
            )
            if role == "anonymous" and access.kind != "public" and url.startswith("/api/"):
                assert response.status_code == 401, (url, role, response.status_code)
            elif role == "anonymous" and access.kind != "public":
                assert response.status_code == 302 and response["Location"].startswith("/login/"), (
                    url,
                    role,
                    response.status_code,
                )
            assert denied != expected_allowed(access, role), (url, role, response.status_code)
            checked += 1
    assert checked >= 14 * len(ROLES)


@pytest.mark.django_db
def test_operators_never_see_residents(make_tenant: Callable, make_account: Callable) -> None:
    tenant = make_tenant()
    operator = make_account(None)
    # Even a mis-granted unit role gives an operator nothing: access requires a municipality.
    operator.groups.add(*Group.objects.filter(name="atena.manage"))
    client = Client()
    client.force_login(operator)
    assert client.get("/atena/persons/?q=ヤ").status_code == 403
    assert client.get("/api/atena/persons/").status_code == 403
    assert tenant.code  # the tenant exists; the operator still cannot reach its residents
