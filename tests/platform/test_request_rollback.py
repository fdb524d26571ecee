"""A staff request that fails leaves no data behind, but what it read stays audited."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from kyodo.atena.models import Household
from kyodo.config.urls import urlpatterns as real_urlpatterns
from kyodo.platform.accounts.access import authenticated
from kyodo.platform.audit import record
from kyodo.platform.models import AuditRecord
from kyodo.platform.tenancy.context import tenant_scope


@authenticated
def _write_then_fail(request: HttpRequest) -> HttpResponse:
    Household.objects.create(household_no=990001, town="失敗町", banchi="1")
    record("read", object_type="atena.person", object_id="990001", purpose="試験")
    raise RuntimeError("boom")


urlpatterns = [*real_urlpatterns, path("boom/", _write_then_fail)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_failed_request_rolls_back_but_keeps_its_audit(
    make_tenant: Callable, make_account: Callable
) -> None:
    tenant = make_tenant()
    client = Client(raise_request_exception=False)
    client.force_login(make_account(tenant))
    assert client.get("/boom/").status_code == 500
    with tenant_scope(tenant.code):
        assert not Household.objects.filter(household_no=990001).exists()
        last = AuditRecord.objects.filter(chain=tenant.code).order_by("-seq").first()
    assert (last.action, last.object_id) == ("read", "990001")
