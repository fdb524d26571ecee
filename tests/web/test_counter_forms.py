"""The counter's 転入届 form: a foreign resident's household, and errors placed on fields."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kyodo.platform.models import Account, Tenant
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.juki.models import JuminRecord

BASE = {
    "moved_on": "R8.4.1",
    "notified_on": "2026-04-02",
    "town": "本町",
    "banchi": "1-1",
    "previous_address": "国外",
    "m-TOTAL_FORMS": "2",
    "m-INITIAL_FORMS": "0",
    "m-MIN_NUM_FORMS": "0",
    "m-MAX_NUM_FORMS": "10",
}
MEMBER = {
    "m-0-family_name": "NGUYEN",
    "m-0-alpha_name": "NGUYEN VAN AN",
    "m-0-birth_date": "1995-05-05",
    "m-0-sex": "M",
    "m-0-relationship": "世帯主",
    "m-0-nationality": "VN",
    "m-0-category": "chuchoki",
    "m-0-residence_status": "技術・人文知識・国際業務",
    "m-0-period_of_stay": "3年",
    "m-0-period_end": "2029-03-31",
    "m-0-residence_card_no": "AB12345678CD",
    "m-1-nationality": "JP",
}


@pytest.fixture
def clerk(make_tenant: Callable[..., Tenant], make_account: Callable[..., Account]) -> Client:
    tenant = make_tenant()
    client = Client()
    client.force_login(make_account(tenant, roles=("juki.change",)))
    client.tenant_code = tenant.code  # type: ignore[attr-defined]
    return client


@pytest.mark.django_db
def test_a_foreign_resident_moves_in_through_the_counter(clerk: Client) -> None:
    response = clerk.post("/juki/move-in/", {**BASE, **MEMBER})
    assert response.status_code == 302, response.content.decode()[:2000]
    with tenant_scope(clerk.tenant_code):  # type: ignore[attr-defined]
        record = JuminRecord.objects.get()
    assert (record.nationality, record.alpha_name, record.given_name) == ("VN", "NGUYEN VAN AN", "")
    assert record.foreign == {
        "category": "chuchoki",
        "residence_status": "技術・人文知識・国際業務",
        "period_of_stay": "3年",
        "period_end": "2029-03-31",
        "residence_card_no": "AB12345678CD",
    }


@pytest.mark.django_db
def test_a_missing_residence_item_is_shown_on_its_field(clerk: Client) -> None:
    data = {**BASE, **MEMBER, "m-0-residence_card_no": ""}
    page = clerk.post("/juki/move-in/", data).content.decode()
    assert "必須項目です" in page and 'id="id_m-0-residence_card_no-error"' in page
    with tenant_scope(clerk.tenant_code):  # type: ignore[attr-defined]
        assert not JuminRecord.objects.exists()
