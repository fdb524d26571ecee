"""The UI shell: probes, home per role, operator tenant switching and account creation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kyodo.platform.models import Account, AuditRecord
from kyodo.platform.tenancy.context import tenant_scope


def test_healthz_needs_no_database() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "postgresql"}


@pytest.mark.django_db
def test_home_shows_the_units_of_the_clerks_roles(make_tenant: Callable, make_account) -> None:
    tenant = make_tenant(name="射水市")
    clerk = make_account(tenant, roles=("atena.view", "kokuho.change"))
    client = Client()
    client.force_login(clerk)
    page = client.get("/").content.decode()
    assert "射水市" in page and "業務メニュー" in page
    assert "宛名管理" in page and "国民健康保険" in page
    assert "個人住民税" not in page  # no role for it
    assert 'lang="ja"' in page and 'class="skip-link"' in page


@pytest.mark.django_db
def test_a_clerk_without_roles_is_told_so(make_tenant, make_account) -> None:
    client = Client()
    client.force_login(make_account(make_tenant()))
    assert "権限がまだ付与されていません" in client.get("/").content.decode()


@pytest.mark.django_db
def test_operator_switches_tenant_and_creates_an_account(make_tenant, make_account) -> None:
    a, b = make_tenant(name="甲市"), make_tenant(name="乙町")
    operator = make_account(None)
    client = Client()
    client.force_login(operator)
    assert client.get("/").url == "/operator/tenants/"
    page = client.get("/operator/tenants/").content.decode()
    assert "甲市" in page and "乙町" in page
    # Accounts need a chosen municipality first.
    assert client.get("/operator/accounts/").url == "/operator/tenants/"
    assert client.post("/operator/tenants/switch/", {"code": b.code}).status_code == 302
    assert "乙町" in client.get("/operator/accounts/").content.decode()
    response = client.post(
        "/operator/accounts/",
        {
            "username": "otsu.clerk",
            "display_name": "乙町 窓口",
            "password": "a-long-passphrase-1",
            "roles": ["juki.change", "atena.view"],
        },
    )
    assert response.status_code == 302
    created = Account.objects.get(username="otsu.clerk")
    assert created.tenant_id == b.code and not created.is_operator
    assert sorted(created.groups.values_list("name", flat=True)) == ["atena.view", "juki.change"]
    # The creation is audited in the municipality's own chain, naming the operator.
    with tenant_scope(b.code):
        last = AuditRecord.objects.filter(chain=b.code).order_by("-seq").first()
    assert (last.action, last.object_id, last.actor) == ("manage", "otsu.clerk", operator.username)
    # A weak password is refused with the validator's message, and nothing is created.
    response = client.post("/operator/accounts/", {"username": "weak", "password": "123"})
    assert response.status_code == 200 and not Account.objects.filter(username="weak").exists()
    # An unknown municipality cannot be chosen.
    assert client.post("/operator/tenants/switch/", {"code": "999999"}).status_code == 403
    assert a.code


@pytest.mark.django_db
def test_language_can_be_switched_to_english(make_tenant, make_account) -> None:
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302
    assert 'lang="en"' in client.get("/login/").content.decode()


@pytest.mark.django_db
def test_operators_see_the_map_of_data_flows(make_tenant, make_account) -> None:
    from kyodo.linkage.external import external_register

    tenant = make_tenant(name="甲市")
    with tenant_scope(tenant.code):
        external_register(name="水道料金", grants={"juki.moved_within": ["atena_no", "town"]})
        pushed = external_register(
            name="下水道",
            grants={"juki.moved_within": ["town"]},
            webhook_url="https://gesui.example.jp/kyodo",
        ).system
        pushed.webhook_suspended, pushed.webhook_error = True, "HTTP 503"
        pushed.save()
    client = Client()
    client.force_login(make_account(None))
    page = client.get("/operator/linkage/").content.decode()
    assert "juki.moved_in" in page and "kokuho" in page  # publisher and a subscriber
    assert "水道料金" not in page  # no municipality chosen yet
    client.post("/operator/tenants/switch/", {"code": tenant.code})
    page = client.get("/operator/linkage/").content.decode()
    assert "水道料金" in page and "juki.moved_within" in page
    assert "https://gesui.example.jp/kyodo" in page and "送信停止中" in page and "HTTP 503" in page
