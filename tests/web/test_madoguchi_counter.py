"""総合窓口 counter flow (issue 4 §6), in-process: 転入 → PUSH list → ticks → 国保 applied →
one PDF of pre-filled applications. The browser version is tests/browser/test_one_stop.py."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client

from kyodo.linkage.dispatch import dispatch_once
from kyodo.platform.models import Account, AuditRecord, Tenant
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.kokuho.models import Shikaku
from tests.pdf import pdftotext, squash

pytestmark = pytest.mark.django_db
ROLES = ("juki.change", "madoguchi.change", "madoguchi.issue", "kokuho.change")
MOVED_ON = "2026-11-16"

# A household of four: head 45, spouse 43, a 16-year-old (高校生年代) and a 72-year-old parent
# — 72 on the day: 国保 (not yet 後期), 介護 (65+) and not 国民年金 (60+).
FAMILY = [
    ("山田", "太郎", "ヤマダ", "タロウ", "1981-05-01", "M", "世帯主"),
    ("山田", "花子", "ヤマダ", "ハナコ", "1983-02-10", "F", "妻"),
    ("山田", "一郎", "ヤマダ", "イチロウ", "2010-07-07", "M", "子"),
    ("山田", "ウメ", "ヤマダ", "ウメ", "1954-03-03", "F", "母"),
]


@pytest.fixture
def tenant(make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


def _clerk(tenant: Tenant, make_account: Callable[..., Account], roles=ROLES) -> Client:
    client = Client()
    client.force_login(make_account(tenant, roles=roles, username=f"clerk-{len(roles)}"))
    return client


def _move_in(clerk: Client) -> tuple[str, int]:
    data = {
        "moved_on": MOVED_ON,
        "notified_on": MOVED_ON,
        "town": "本町",
        "banchi": "1-2-3",
        "postal_code": "939-0341",
        "previous_address": "東京都千代田区霞が関2-1-2",
        "m-TOTAL_FORMS": "4",
        "m-INITIAL_FORMS": "0",
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": "10",
    }
    for i, (family, given, fk, gk, birth, sex, rel) in enumerate(FAMILY):
        data |= {
            f"m-{i}-family_name": family,
            f"m-{i}-given_name": given,
            f"m-{i}-family_kana": fk,
            f"m-{i}-given_kana": gk,
            f"m-{i}-birth_date": birth,
            f"m-{i}-sex": sex,
            f"m-{i}-relationship": rel,
            f"m-{i}-nationality": "JP",
        }
    response = clerk.post("/juki/move-in/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    url = response["Location"]
    household_no = int(re.search(r"/madoguchi/households/(\d+)/", url).group(1))  # type: ignore[union-attr]
    return url, household_no


def _ticks(page: str) -> dict[str, bool]:
    """Each offered tick value → checked by default."""
    tags = re.findall(r'<input type="checkbox" name="p" [^>]*>', page)
    return {re.search(r'value="([^"]+)"', t).group(1): " checked" in t for t in tags}  # type: ignore[union-attr]


def _atena_nos(tenant: Tenant) -> dict[str, int]:
    from kyodo.atena.models import Person

    with tenant_scope(tenant.code):
        return dict(Person.objects.values_list("given_name", "atena_no"))


def test_move_in_leads_to_the_push_list_with_reasons(
    tenant: Tenant, make_account: Callable[..., Account]
) -> None:
    clerk = _clerk(tenant, make_account)
    url, household_no = _move_in(clerk)
    assert dict(parse_qsl(urlsplit(url).query)) == {"event": "moved_in", "date": MOVED_ON}
    page = clerk.get(url).content.decode()
    ticks = _ticks(page)
    no = _atena_nos(tenant)
    for who in ("太郎", "花子", "一郎", "ウメ"):
        assert ticks[f"kokuho.enroll:{no[who]}"] is True
    assert f"kaigo.enroll:{no['ウメ']}" in ticks and f"kaigo.enroll:{no['太郎']}" not in ticks
    assert f"nenkin.kanyu:{no['太郎']}" in ticks and f"nenkin.kanyu:{no['ウメ']}" not in ticks
    assert f"jidou_teate.apply:{no['一郎']}" in ticks
    assert ticks[f"inkan.touroku:{no['一郎']}"] is False  # information: not ticked by default
    assert "世帯員4（母・1954年3月3日生）" in page  # the reason names the member
    # The head has employee insurance and pension: re-judged, his 国保 and 年金 drop out.
    rejudged = clerk.get(url + f"&ei={no['太郎']}&ep={no['太郎']}").content.decode()
    again = _ticks(rejudged)
    assert f"kokuho.enroll:{no['太郎']}" not in again
    assert f"nenkin.kanyu:{no['太郎']}" not in again
    assert f"kokuho.enroll:{no['花子']}" in again
    # On demand, from any member's 住民票 page.
    person = clerk.get(f"/juki/persons/{no['一郎']}/").content.decode()
    link = f"/madoguchi/households/{household_no}/?event=on_demand"
    assert link in person
    assert "【世帯照会】" in clerk.get(link).content.decode()


def test_accepting_confirms_kokuho_and_prints_every_ticked_application(
    tenant: Tenant, make_account: Callable[..., Account], tmp_path: Path
) -> None:
    clerk = _clerk(tenant, make_account)
    _url, household_no = _move_in(clerk)
    no = _atena_nos(tenant)
    dispatch_once()  # the hub: 転入 → pending 国保 取得 for each member
    with tenant_scope(tenant.code):
        assert set(Shikaku.objects.values_list("status", flat=True)) == {"pending"}
    ticked = [
        f"kokuho.enroll:{no['太郎']}",
        f"kokuho.enroll:{no['花子']}",
        f"kaigo.enroll:{no['ウメ']}",
        f"jidou_teate.apply:{no['一郎']}",
        "no.such:1",  # not offered: ignored
    ]
    response = clerk.post(
        f"/madoguchi/households/{household_no}/accept/",
        {"event": "moved_in", "date": MOVED_ON, "p": ticked},
    )
    assert response.status_code == 302
    with tenant_scope(tenant.code):
        status = dict(Shikaku.objects.values_list("atena_no", "status"))
        assert status[no["太郎"]] == status[no["花子"]] == "active"
        assert status[no["一郎"]] == status[no["ウメ"]] == "pending"  # not ticked
        audit = AuditRecord.objects.get(object_type="madoguchi.accept")
        assert audit.detail["ticked"] == ticked[:4]
    accepted = clerk.get(response["Location"])
    page = accepted.content.decode()
    assert "4件の手続きを受け付けました" in page
    assert "山田　太郎 さんの国保の資格取得を記録しました" in page
    pdf_url = re.search(r'href="([^"]+applications\.pdf[^"]*)"', page).group(1)  # type: ignore[union-attr]
    pdf = clerk.get(pdf_url.replace("&amp;", "&"))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdftotext(pdf.content, tmp_path)
    flat = squash(text)
    pages = text.split("\f")
    assert (
        len([p for p in pages if p.strip()]) == 3
    )  # one per procedure: 国保 (2 people), 介護, 児童手当
    assert "国民健康保険資格取得の届出" in flat and "介護保険" in flat and "児童手当" in flat
    assert "山田太郎" in flat and "山田花子" in flat and "ヤマダハナコ" in flat
    assert "本町1-2-3" in flat and "939-0341" in flat
    assert "令和8年11月16日" in flat  # the 異動日, in 和暦
    assert "記録済み" in flat  # both 国保 subjects are now active
    assert "国民年金" not in flat  # offered, but not ticked
    with tenant_scope(tenant.code):
        issued = AuditRecord.objects.get(object_type="madoguchi.applications")
        assert issued.action == "issue" and issued.detail["pages"] == 4


def test_without_the_hub_having_run_acceptance_records_the_acquisition(
    tenant: Tenant, make_account: Callable[..., Account]
) -> None:
    clerk = _clerk(tenant, make_account)
    _url, household_no = _move_in(clerk)
    no = _atena_nos(tenant)
    clerk.post(
        f"/madoguchi/households/{household_no}/accept/",
        {"event": "moved_in", "date": MOVED_ON, "p": [f"kokuho.enroll:{no['一郎']}"]},
    )
    with tenant_scope(tenant.code):
        [row] = Shikaku.objects.all()
        assert (row.atena_no, row.status, row.acquire_reason) == (no["一郎"], "active", "tennyu")
        assert row.acquired_on == dt.date.fromisoformat(MOVED_ON)
    dispatch_once()  # the hub's later 転入 event creates pending rows for the others only
    with tenant_scope(tenant.code):
        rows = list(Shikaku.objects.filter(atena_no=no["一郎"]))
        assert [r.status for r in rows] == ["active"]
        assert Shikaku.objects.filter(status="pending").count() == 3


def test_nothing_ticked_is_refused_and_a_clerk_without_kokuho_rights_only_prints(
    tenant: Tenant, make_account: Callable[..., Account]
) -> None:
    clerk = _clerk(tenant, make_account)
    url, household_no = _move_in(clerk)
    refused = clerk.post(
        f"/madoguchi/households/{household_no}/accept/",
        {"event": "moved_in", "date": MOVED_ON},
        follow=True,
    )
    assert "手続きを1つ以上選んでください" in refused.content.decode()
    no = _atena_nos(tenant)
    printer = _clerk(tenant, make_account, roles=("madoguchi.change", "madoguchi.issue"))
    response = printer.post(
        f"/madoguchi/households/{household_no}/accept/",
        {"event": "moved_in", "date": MOVED_ON, "p": [f"kokuho.enroll:{no['太郎']}"]},
        follow=True,
    )
    assert "国保の更新権限がないため" in response.content.decode()
    with tenant_scope(tenant.code):
        assert not Shikaku.objects.exists()
    # Without madoguchi rights the counter is closed (and a 転入 leads to the person page:
    # tests/browser/test_counter_flow.py).
    plain = _clerk(tenant, make_account, roles=("juki.change",))
    assert plain.get(url).status_code == 403
