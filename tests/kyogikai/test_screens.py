"""The secretariat's screens: members and units, formulas with the what-if, periods, issuing
and the invoices as PDF and CSV; operators only, and only their own consortium."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client

from kyodo.kyogikai.models import BillingPeriod, Formula, Member, MemberUnit
from kyodo.platform.models import Consortium
from tests.conftest import new_tenant_code
from tests.kyogikai.builders import formula, period
from tests.pdf import pdftotext, squash

pytestmark = pytest.mark.django_db

ONE_OFF = '[{"name": "移行費", "amount": 1000000, "key": "equal"}]'


@pytest.fixture
def client(make_account, consortium: Consortium) -> Client:
    operator = make_account(None)
    operator.consortium = consortium
    operator.save()
    c = Client()
    c.force_login(operator)
    return c


def test_members_and_their_units(client: Client, consortium: Consortium) -> None:
    page = client.get("/kyogikai/").content.decode()
    assert "射水市" in page and "舟橋村" in page and "住民記録（2020〜）" in page
    member = Member.objects.get(consortium=consortium, name="舟橋村")
    url = f"/kyogikai/members/{member.pk}/"
    assert "別表を更新" in client.get(url).content.decode()
    refused = client.post(url, {"juki__on": "on", "kokuho__on": "on", "kokuho__start": ""})
    assert "運用開始年度を入力してください。" in refused.content.decode()
    response = client.post(
        url,
        {"juki__on": "on", "juki__start": "2020", "kokuho__on": "on", "kokuho__start": "2027",
         "kokuho__end": "2031"},
    )  # fmt: skip
    assert response.status_code == 302
    assert {(u.unit, u.start_fy, u.end_fy) for u in MemberUnit.objects.filter(member=member)} == {
        ("juki", 2020, None),
        ("kokuho", 2027, 2031),
    }


def test_formula_registration_and_the_what_if(client: Client, consortium: Consortium) -> None:
    bad = client.post(
        "/kyogikai/formulas/",
        {"name": "誤り", "equal_ratio": "0.3", "population_ratio": "0.6", "units_ratio": "0"},
    )
    assert "比率の合計は1です" in bad.content.decode()
    unknown = client.post(
        "/kyogikai/formulas/",
        {"name": "誤り", "equal_ratio": "1", "population_ratio": "0", "units_ratio": "0",
         "weights": "nosuch=2"},
    )  # fmt: skip
    assert "業務 &#x27;nosuch&#x27; はありません" in unknown.content.decode()
    client.post(
        "/kyogikai/formulas/",
        {"name": "3:7保障", "equal_ratio": "0.3", "population_ratio": "0.7", "units_ratio": "0",
         "min_saving": "0.3", "guarantee_covers_one_off": "on"},
    )  # fmt: skip
    client.post(
        "/kyogikai/formulas/",
        {"name": "業務数", "equal_ratio": "0", "population_ratio": "0", "units_ratio": "1",
         "weights": "juki=3"},
    )  # fmt: skip
    first = Formula.objects.get(consortium=consortium, name="3:7保障")
    second = Formula.objects.get(consortium=consortium, name="業務数")
    assert second.unit_weights == {"juki": "3"}
    p = period(consortium, first)
    page = client.get(
        "/kyogikai/formulas/", {"period": p.pk, "first": first.pk, "second": second.pk}
    ).content.decode()
    assert 'id="comparison"' in page
    # 業務数: juki weighs 3, the others 1 → 射水 5, 舟橋 3, 入善 4 of 12.
    assert "75,000,000" in page and "45,000,000" in page and "60,000,000" in page


def test_a_period_is_previewed_issued_and_printed(
    client: Client,
    consortium: Consortium,
    tmp_path: Path,
) -> None:
    used = formula(consortium)
    response = client.post(
        "/kyogikai/periods/",
        {"label": "令和8年度", "start": "2026-04-01", "end": "2027-03-31", "total": "180000000",
         "formula": used.pk, "one_off_json": ONE_OFF},
    )  # fmt: skip
    p = BillingPeriod.objects.get(consortium=consortium, label="令和8年度")
    assert response.url == f"/kyogikai/periods/{p.pk}/"
    page = client.get(response.url).content.decode()
    assert "試算（未確定）" in page and "181,000,000円" in page
    client.post(f"/kyogikai/periods/{p.pk}/issue/")
    page = client.get(response.url).content.decode()
    assert "確定しました" in page and p.invoices.count() == 3
    csv_text = client.get(f"/kyogikai/periods/{p.pk}/invoices.csv").content.decode("utf-8-sig")
    assert csv_text.startswith("請求番号,期間,団体コード")
    text = squash(pdftotext(client.get(f"/kyogikai/periods/{p.pk}/invoices.pdf").content, tmp_path))
    assert "一時経費（移行費）" in text and "舟橋村長様" in text
    one = p.invoices.first()
    single = client.get(f"/kyogikai/invoices/{one.pk}.pdf")
    assert single["Content-Type"] == "application/pdf"


def test_a_period_the_formula_cannot_split_is_refused(
    client: Client, consortium: Consortium
) -> None:
    response = client.post(
        "/kyogikai/periods/",
        {"label": "過大", "start": "2026-04-01", "end": "2027-03-31", "total": "999000000",
         "formula": formula(consortium).pk},
    )  # fmt: skip
    assert "保障できません" in response.content.decode()
    assert not BillingPeriod.objects.filter(label="過大").exists()


def test_only_operators_of_the_consortium_see_it(
    make_account, make_tenant, consortium: Consortium
) -> None:
    clerk = make_account(make_tenant(), roles=("juki.manage",))
    c = Client()
    c.force_login(clerk)
    assert c.get("/kyogikai/").status_code in (302, 403)
    other = Consortium.objects.create(slug=f"o{new_tenant_code()}", name="他協議会")
    outsider = make_account(None)
    outsider.consortium = other
    outsider.save()
    c.force_login(outsider)
    page = c.get("/kyogikai/").content.decode()
    assert "射水市" not in page and "他協議会" in page
    member = Member.objects.filter(consortium=consortium).first()
    assert c.get(f"/kyogikai/members/{member.pk}/").status_code == 404
    p = BillingPeriod.objects.create(
        consortium=consortium, label="x", start=dt.date(2026, 4, 1), end=dt.date(2027, 3, 31),
        total=1, formula=formula(consortium),
    )  # fmt: skip
    assert c.get(f"/kyogikai/periods/{p.pk}/").status_code == 404
