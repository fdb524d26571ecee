"""住登外: persons the municipality deals with who live elsewhere (e.g. owners of land)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from kyodo.atena.models import Person, PersonKind
from kyodo.atena.numbering import is_valid
from kyodo.platform.models import Account, Tenant
from kyodo.platform.tenancy.context import tenant_scope

BODY = {
    "family_name": "遠方",
    "given_name": "地主",
    "family_kana": "えんぽう",
    "given_kana": "じぬし",
    "birth_date": "1950-03-03",
    "sex": 1,
    "address": "東京都港区芝公園4-2-8",
}


@pytest.mark.django_db
def test_a_non_resident_is_registered_searched_and_never_a_resident(
    make_tenant: Callable[..., Tenant], make_account: Callable[..., Account]
) -> None:
    tenant = make_tenant()
    staff = Client()
    staff.force_login(make_account(tenant, roles=("atena.change", "juki.view")))
    created = staff.post("/api/v1/jutogai", BODY, content_type="application/json")
    assert created.status_code == 201 and created.json()["kind"] == "jutogai"
    atena_no = created.json()["atena_no"]
    assert is_valid(atena_no)
    found = staff.get("/api/v1/persons", {"q": "エンポウ ジヌシ"}).json()["results"]
    assert [(r["atena_no"], r["kind"], r["address"]) for r in found] == [
        (atena_no, "jutogai", "東京都港区芝公園4-2-8")
    ]
    # No 住民票: the registry has nothing to show for a 住登外 person.
    assert staff.get(f"/api/v1/persons/{atena_no}").status_code == 404
    again = staff.post("/api/v1/jutogai", BODY, content_type="application/json")
    assert again.status_code == 422
    assert "同じ氏名・生年月日" in again.json()["error"]
    with tenant_scope(tenant.code):
        person = Person.objects.get(atena_no=atena_no)
        assert (person.kind, person.family_kana, person.household) == (
            PersonKind.JUTOGAI,
            "エンポウ",
            None,
        )
    clerk = Client()
    clerk.force_login(make_account(tenant, roles=("atena.view",)))
    assert clerk.post("/api/v1/jutogai", BODY, content_type="application/json").status_code == 403
