"""Invoices per member and period from the agreed formula, with usage figures from the
platform's own records; CSV and PDF (checked with pdftotext); the what-if comparison."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from kyodo.atena.models import Person
from kyodo.kyogikai import billing, pdf
from kyodo.kyogikai.models import Member, MemberUnit
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Consortium
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.rules.alloc import calculate
from kyodo.units.juki.issue import IssueRequest, issue_certificate
from kyodo.units.juki.models import Idou
from tests.iko.builders import build
from tests.kyogikai.builders import formula, period, this_fiscal_year
from tests.pdf import pdftotext, squash

pytestmark = pytest.mark.django_db


def test_issued_invoices_are_the_calculators_split_and_are_fixed(consortium: Consortium) -> None:
    p = period(consortium, formula(consortium))
    invoices = billing.issue(p)
    expected = calculate(
        billing.alloc_input(
            consortium_id=consortium.pk, formula=p.formula, start=p.start, end=p.end, total=p.total
        )
    )
    assert {i.member.tenant_code: i.amount for i in invoices} == {
        m["code"]: m["share"] for m in expected["members"]
    }
    assert sum(i.amount for i in invoices) == 180_000_000
    funahashi = next(i for i in invoices if i.member.name == "舟橋村")
    assert funahashi.amount == 15_400_000  # capped: 22,000,000 × (1 − 30%)
    assert "最低削減率 30% を保障する" in funahashi.explanation
    # Fixed: issuing again is refused, and a new population changes no issued bill.
    with pytest.raises(ValidationFailed, match="確定済み"):
        billing.issue(p)
    Member.objects.filter(name="射水市").update(population=1)
    p.refresh_from_db()
    assert p.invoices.get(member__name="舟橋村").amount == 15_400_000


def test_units_weighted_formula_uses_the_units_run_in_the_period(consortium: Consortium) -> None:
    by_units = formula(
        consortium, "業務数", equal_ratio=0, population_ratio=0, units_ratio=1, min_saving=None
    )
    start, _end = this_fiscal_year()
    MemberUnit.objects.filter(member__name="射水市", unit="zei_kojin").update(
        start_fy=start.year + 1  # not yet run this year: no weight
    )
    result = billing.preview(period(consortium, by_units, total=5_000_000))
    assert {m["name"]: m["share"] for m in result["members"]} == {
        "射水市": 2_000_000,
        "舟橋村": 1_000_000,
        "入善町": 2_000_000,
    }


def test_a_member_who_left_before_the_period_is_not_billed(consortium: Consortium) -> None:
    start, _end = this_fiscal_year()
    Member.objects.filter(name="舟橋村").update(left_on=start - dt.timedelta(days=1))
    result = billing.preview(period(consortium, formula(consortium, min_saving=None)))
    assert [m["name"] for m in result["members"]] == sorted(
        ["射水市", "入善町"], key=lambda n: Member.objects.get(name=n).tenant_code
    )


def test_the_what_if_compares_two_formulas_side_by_side(consortium: Consortium) -> None:
    p = period(consortium, formula(consortium))
    other = formula(consortium, "均等のみ", equal_ratio=1, population_ratio=0, min_saving=None)
    rows = billing.compare(p, p.formula, other)
    assert sum(r["difference"] for r in rows) == 0
    assert {r["name"]: r["second"] for r in rows} == {
        "射水市": 60_000_000,
        "舟橋村": 60_000_000,
        "入善町": 60_000_000,
    }
    imizu = next(r for r in rows if r["name"] == "射水市")
    assert imizu["difference"] == 60_000_000 - imizu["first"]


def test_a_period_the_guarantee_cannot_cover_is_refused_clearly(consortium: Consortium) -> None:
    p = period(consortium, formula(consortium), total=191_000_000)  # caps: 190,400,000
    with pytest.raises(ValidationFailed, match="保障できません") as refused:
        billing.preview(p)
    assert refused.value.field == "min_saving"


def test_usage_figures_come_from_the_registry_and_the_certificates(
    consortium: Consortium,
) -> None:
    member = Member.objects.get(name="入善町")
    build(member.tenant_code)  # 3 residents who moved in on 2025-06-01
    with tenant_scope(member.tenant_code):
        head = Person.objects.order_by("atena_no").first()
        issue_certificate(IssueRequest(head.atena_no, "juminhyo", "本人", "勤務先提出"))
        idou_now = Idou.objects.count()
    p = period(consortium, formula(consortium))
    billing.issue(p)
    usage = {u["month"]: u for u in p.invoices.get(member=member).usage}
    assert len(usage) == 12
    this_month = timezone.localdate().strftime("%Y-%m")
    assert usage[this_month] == {
        "month": this_month,
        "residents": 3,
        "idou": idou_now,
        "certificates": 1,
    }
    others = [u for month, u in usage.items() if month != this_month]
    assert all(u["residents"] == 3 and u["idou"] == 0 for u in others)  # history as of each month


def test_invoices_as_csv_and_pdf(consortium: Consortium, tmp_path: Path) -> None:
    p = period(consortium, formula(consortium))
    invoices = billing.issue(p)
    rows = list(csv.reader(io.StringIO(billing.invoice_csv(invoices).lstrip("\ufeff"))))
    assert rows[0] == billing.CSV_HEADER
    by_name = {r[3]: r for r in rows[1:]}
    assert by_name["舟橋村"][4] == "15400000" and by_name["舟橋村"][6] == "30.00%"
    assert sum(int(r[4]) for r in rows[1:]) == 180_000_000
    text = squash(pdftotext(pdf.render(invoices), tmp_path))
    for invoice in invoices:
        assert invoice.number in text
        assert f"{invoice.amount:,}円" in text
        assert f"{invoice.member.name}長様" in text
    assert "協議会負担金請求書" in text and "試験協議会事務局" in text


def test_the_secretariat_commands(consortium: Consortium, tmp_path: Path) -> None:
    call_command(
        "kyogikai", "formula", "add", "--consortium", consortium.slug, "--name", "3:7",
        "--equal", "0.3", "--population", "0.7", "--min-saving", "0.3",
    )  # fmt: skip
    call_command(
        "kyogikai", "period", "add", "--consortium", consortium.slug, "--label", "R8",
        "--start", "2026-04-01", "--end", "2027-03-31", "--total", "180000000",
        "--formula", "3:7",
    )  # fmt: skip
    call_command("kyogikai", "period", "issue", "--consortium", consortium.slug, "--label", "R8")
    out_pdf, out_csv = tmp_path / "r8.pdf", tmp_path / "r8.csv"
    call_command(
        "kyogikai", "invoice", "--consortium", consortium.slug, "--label", "R8",
        "--pdf", str(out_pdf), "--csv", str(out_csv),
    )  # fmt: skip
    assert out_pdf.read_bytes().startswith(b"%PDF")
    assert len(out_csv.read_text(encoding="utf-8").splitlines()) == 4
