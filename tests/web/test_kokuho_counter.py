"""国保資格: its screens (worklist, person, confirm/取得/喪失) and its API, on real data from
the hub: a 転入 publishes juki.moved_in, the dispatcher creates the pending 取得."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from kyodo.linkage.dispatch import dispatch_once
from kyodo.platform.models import Account, AuditRecord, Tenant
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.kokuho.models import Shikaku, ShikakuStatus
from tests.juki.helpers import BASE, member, move_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def tenant(make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


@pytest.fixture
def clerk(tenant: Tenant, make_account: Callable[..., Account]) -> Client:
    client = Client()
    client.force_login(make_account(tenant, roles=("kokuho.change",), username="kokuho-clerk"))
    return client


def _household(code: str) -> list[int]:
    """A 転入 of a household (an under-75 head and a child); the hub creates pending 取得."""
    with tenant_scope(code):
        outcome = move_in(
            [
                member(given="太郎"),
                member(given="一郎", birth=dt.date(2015, 5, 5), relationship="子"),
            ]
        )
    dispatch_once()
    return [r.atena_no for r in outcome.records]


def _status(code: str, atena_no: int) -> list[tuple[str, str | None]]:
    with tenant_scope(code):
        return [
            (r.status, r.lose_reason or None)
            for r in Shikaku.objects.filter(atena_no=atena_no).order_by("id")
        ]


def test_the_worklist_shows_pending_acquisitions_and_confirm_activates(
    tenant: Tenant, clerk: Client
) -> None:
    head, _child = _household(tenant.code)
    page = clerk.get("/kokuho/").content.decode()
    assert f"/kokuho/persons/{head}/" in page and "太郎" in page and "一郎" in page
    assert "転入" in page
    person = clerk.get(f"/kokuho/persons/{head}/").content.decode()
    assert "取得確認待ち" in person and 'id="confirm"' in person
    response = clerk.post(f"/kokuho/persons/{head}/confirm/")
    assert response.status_code == 302
    assert _status(tenant.code, head) == [("active", None)]
    after = clerk.get(f"/kokuho/persons/{head}/").content.decode()
    assert "資格あり" in after and "kokuho-clerk" in after  # confirmed by
    assert f"/kokuho/persons/{head}/" not in clerk.get("/kokuho/").content.decode()
    # Confirming twice is refused with the reason, and changes nothing.
    again = clerk.post(f"/kokuho/persons/{head}/confirm/", follow=True).content.decode()
    assert "確認待ちの国保資格がありません" in again
    with tenant_scope(tenant.code):
        reads = AuditRecord.objects.filter(object_type="kokuho.shikaku", action="read")
        assert reads.filter(object_id=str(head), actor="kokuho-clerk").exists()
        assert AuditRecord.objects.filter(object_type="kokuho.pending").exists()


def test_lose_then_acquire_through_the_forms(tenant: Tenant, clerk: Client) -> None:
    head, _child = _household(tenant.code)
    clerk.post(f"/kokuho/persons/{head}/confirm/")
    # A 喪失 dated before the 取得 is refused on its field; nothing changes.
    bad = clerk.post(
        f"/kokuho/persons/{head}/lose/", {"lose-on": "2026-03-01", "lose-reason": "shaho_kanyu"}
    )
    assert bad.status_code == 422
    assert "資格取得日" in bad.content.decode() and 'id="id_lose-on-error"' in bad.content.decode()
    assert _status(tenant.code, head) == [("active", None)]
    # 和暦 input works; 社保加入 ends the 資格.
    ok = clerk.post(
        f"/kokuho/persons/{head}/lose/", {"lose-on": "R8.6.1", "lose-reason": "shaho_kanyu"}
    )
    assert ok.status_code == 302
    assert _status(tenant.code, head) == [("ended", "shaho_kanyu")]
    # 社保離脱 later: a new 資格, active at once, in the person's 世帯.
    unknown = clerk.post(
        f"/kokuho/persons/{head}/acquire/", {"acquire-on": "2026-09-01", "acquire-reason": "x"}
    )
    assert unknown.status_code == 422
    again = clerk.post(
        f"/kokuho/persons/{head}/acquire/",
        {"acquire-on": "2026-09-01", "acquire-reason": "shaho_ridatsu"},
    )
    assert again.status_code == 302
    assert _status(tenant.code, head) == [("ended", "shaho_kanyu"), ("active", None)]
    page = clerk.get(f"/kokuho/persons/{head}/").content.decode()
    table = page[page.index('id="history"') :]
    assert table.index("社保離脱") < table.index("社保加入")  # newest first


def test_a_viewer_sees_but_cannot_act(tenant: Tenant, make_account: Callable[..., Account]) -> None:
    head, _child = _household(tenant.code)
    viewer = Client()
    viewer.force_login(make_account(tenant, roles=("kokuho.view",)))
    page = viewer.get(f"/kokuho/persons/{head}/").content.decode()
    assert "取得確認待ち" in page and 'id="confirm"' not in page
    assert viewer.post(f"/kokuho/persons/{head}/confirm/").status_code == 403
    assert _status(tenant.code, head) == [("pending", None)]


def test_the_api_reads_and_acts_like_the_screens(tenant: Tenant, clerk: Client) -> None:
    head, child = _household(tenant.code)
    pending = clerk.get("/api/v1/kokuho/pending").json()
    assert {r["atena_no"] for r in pending} == {head, child}
    assert all(r["status"] == "pending" and r["acquire_reason"] == "tennyu" for r in pending)
    confirmed = clerk.post(f"/api/v1/kokuho/persons/{child}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "active"
    shown = clerk.get(f"/api/v1/kokuho/persons/{child}").json()
    assert shown["current"]["status"] == "active"
    assert shown["current"]["acquired_on"] == BASE.isoformat()
    assert shown["setainushi"] == {"atena_no": head, "gisei": False, "insured": [head, child]}
    # The head has employee insurance (社保): the 世帯主 stays the 納付義務者 as 擬制世帯主.
    head_lost = clerk.post(
        f"/api/v1/kokuho/persons/{head}/lose",
        {"on": BASE.isoformat(), "reason": "shaho_kanyu"},
        content_type="application/json",
    )
    assert head_lost.status_code == 200, head_lost.content
    shown = clerk.get(f"/api/v1/kokuho/persons/{child}").json()
    assert shown["setainushi"] == {"atena_no": head, "gisei": True, "insured": [child]}
    assert "擬制世帯主" in clerk.get(f"/kokuho/persons/{child}/").content.decode()
    lost = clerk.post(
        f"/api/v1/kokuho/persons/{child}/lose",
        {"on": "2026-07-01", "reason": "nope"},
        content_type="application/json",
    )
    assert lost.status_code == 422 and lost.json()["field"] == "reason"
    lost = clerk.post(
        f"/api/v1/kokuho/persons/{child}/lose",
        {"on": "2026-07-01", "reason": "shaho_kanyu"},
        content_type="application/json",
    )
    assert lost.status_code == 200 and lost.json()["lost_on"] == "2026-07-01"
    back = clerk.post(
        f"/api/v1/kokuho/persons/{child}/acquire",
        {"on": "2026-10-01", "reason": "shaho_ridatsu"},
        content_type="application/json",
    )
    assert back.status_code == 201 and back.json()["status"] == "active"
    history = clerk.get(f"/api/v1/kokuho/persons/{child}").json()["history"]
    assert [h["status"] for h in history] == ["active", "ended"]
    assert clerk.get("/api/v1/kokuho/persons/99999999").status_code == 404


def test_another_municipality_cannot_see_or_touch_these_rows(
    tenant: Tenant, make_tenant: Callable[..., Tenant], make_account: Callable[..., Account]
) -> None:
    head, _child = _household(tenant.code)
    other = Client()
    other.force_login(make_account(make_tenant(name="乙市"), roles=("kokuho.change",)))
    assert other.get(f"/api/v1/kokuho/persons/{head}").status_code == 404
    assert other.post(f"/api/v1/kokuho/persons/{head}/confirm").status_code == 404
    assert other.get("/api/v1/kokuho/pending").json() == []
    assert _status(tenant.code, head) == [(ShikakuStatus.PENDING, None)]
