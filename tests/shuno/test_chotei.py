"""調定: creation from a clean request (idempotent), every problem named, 更正 as dated rows."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import ProgrammingError, connection, transaction

from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import AuditRecord, Tenant
from kyodo.units.shuno.models import Chotei, ChoteiKosei, Kagono, KagonoReason
from kyodo.units.shuno.rejection import Rejected
from kyodo.units.shuno.selectors import balance
from kyodo.units.shuno.services import ledger
from kyodo.units.shuno.services.chotei import (
    ChoteiRequest,
    KibetsuInput,
    chotei_create,
    chotei_create_many,
    chotei_kosei,
)
from kyodo.units.shuno.services.keshikomi import NoticeKey, PaymentInput, shuno_record
from tests.shuno.ledger_helpers import assess, clerk, person

JUN, JUL = dt.date(2026, 6, 30), dt.date(2026, 7, 31)


@pytest.fixture
def tenant(db: None, make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


def request(atena_no: int, *, notice_no: int = 501, **change) -> ChoteiRequest:
    fields = {
        "tax_kind": "kokuho",
        "fiscal_year": 2026,
        "notice_no": notice_no,
        "atena_no": atena_no,
        "assessed_on": dt.date(2026, 6, 15),
        "installments": (KibetsuInput(1, 12_300, JUN), KibetsuInput(2, 12_000, JUL)),
    }
    return ChoteiRequest(**{**fields, **change})


def test_one_row_per_installment(tenant: Tenant) -> None:
    with clerk(tenant):
        who = person()
        rows = chotei_create(request(who), source="zei_kojin")
        assert [(r.kibetsu, r.amount, r.due_date, r.atena_no) for r in rows] == [
            (1, 12_300, JUN, who),
            (2, 12_000, JUL, who),
        ]
    with clerk(tenant):
        assert AuditRecord.objects.filter(object_type="shuno.chotei", object_id=str(who)).exists()


def test_the_same_notice_again_is_left_alone_and_other_content_is_refused(tenant: Tenant) -> None:
    with clerk(tenant):
        who = person()
        chotei_create(request(who))
        result = chotei_create_many([request(who)], source="hub")  # delivered twice
        assert (result.created, result.unchanged) == ([], 1)
        assert Chotei.objects.count() == 2
        changed = request(who, installments=(KibetsuInput(1, 99_999, JUN),))
        with pytest.raises(Rejected, match="既に別の内容で調定されています"):
            chotei_create_many([changed], source="hub")
        assert Chotei.objects.count() == 2


def test_every_problem_is_named_and_nothing_is_written(tenant: Tenant) -> None:
    with clerk(tenant):
        who = person()
        good = request(who, notice_no=1)
        bad = request(
            who,
            notice_no=2,
            tax_kind="shotokuzei",
            installments=(
                KibetsuInput(1, 0, JUN),
                KibetsuInput(1, 100, dt.date(2026, 6, 1)),  # before 調定日, duplicate 期別
            ),
        )
        stranger = request(99_999_999, notice_no=3)
        twice = request(who, notice_no=1)
        with pytest.raises(Rejected) as caught:
            chotei_create_many([good, bad, stranger, twice], source="chotei.json")
        fields = {p.field for p in caught.value.problems}
        assert fields == {
            "[1].tax_kind",
            "[1].installments[0].amount",
            "[1].installments[1].kibetsu",
            "[1].installments[1].due_date",
            "[2].atena_no",
            "[3].notice_no",
        }
        assert all(p.source == "chotei.json" for p in caught.value.problems)
        assert "chotei.json, field '[2].atena_no': 宛名番号 99999999 の宛名がありません" in str(
            caught.value
        )
        assert not Chotei.objects.exists()  # the good one neither: all or nothing


def test_kosei_keeps_the_history_so_any_date_can_be_reconstructed(tenant: Tenant) -> None:
    with clerk(tenant):
        who = person()
        first, _ = chotei_create(request(who))
        chotei_kosei(chotei=first, new_amount=15_000, on=dt.date(2026, 8, 1), reason="所得更正")
        chotei_kosei(chotei=first, new_amount=9_000, on=dt.date(2026, 9, 1), reason="減免")
        assert [(k.delta, k.amount_after) for k in ChoteiKosei.objects.order_by("id")] == [
            (2_700, 15_000),
            (-6_000, 9_000),
        ]
        assert Chotei.objects.get(pk=first.pk).amount == 12_300  # never overwritten

        def chotei_on(day: dt.date) -> int:
            rows = balance(atena_no=who, as_of=day, purpose="test")["installments"]
            return next(r["chotei"] for r in rows if r["kibetsu"] == 1)

        assert chotei_on(dt.date(2026, 7, 31)) == 12_300
        assert chotei_on(dt.date(2026, 8, 1)) == 15_000
        assert chotei_on(dt.date(2026, 9, 1)) == 9_000
        assert balance(atena_no=who, as_of=dt.date(2026, 6, 14), purpose="t")["installments"] == []


def test_a_reduction_below_what_was_paid_makes_a_kagono(tenant: Tenant) -> None:
    with clerk(tenant):
        who = person()
        first, _ = chotei_create(request(who))
        shuno_record(
            PaymentInput(
                key="R-1",
                channel="counter",
                amount=12_300,
                paid_on=dt.date(2026, 6, 20),
                chotei=NoticeKey("kokuho", 2026, 501, 1),
            )
        )
        chotei_kosei(chotei=first, new_amount=10_000, on=dt.date(2026, 8, 1), reason="軽減")
        assert ledger.owed(first) == (10_000, 10_000)
        [kagono] = Kagono.objects.all()
        assert (kagono.amount, kagono.reason, kagono.arose_on) == (
            2_300,
            KagonoReason.REDUCED,
            dt.date(2026, 8, 1),
        )
        before = balance(atena_no=who, as_of=dt.date(2026, 7, 31), purpose="t")
        assert before["installments"][0]["shuno"] == 12_300  # as it stood then
        assert before["kagono"]["open"] == 0


def test_kosei_refuses_no_change_and_a_date_before_the_assessment(tenant: Tenant) -> None:
    with clerk(tenant):
        first, _ = chotei_create(request(person()))
        with pytest.raises(ValidationFailed, match="既に 12,300円"):
            chotei_kosei(chotei=first, new_amount=12_300, on=JUL, reason="x")
        with pytest.raises(ValidationFailed) as caught:
            chotei_kosei(chotei=first, new_amount=1, on=dt.date(2026, 6, 1), reason="x")
        assert caught.value.field == "on"


def test_rows_are_append_only_for_the_application(tenant: Tenant) -> None:
    with clerk(tenant):
        [row] = assess(person(), (1_000, JUN))
        with (
            pytest.raises(ProgrammingError, match="permission denied"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("UPDATE shuno_chotei SET amount = 1 WHERE id = %s", [row.pk])


def test_another_municipalitys_person_is_unknown(
    tenant: Tenant, make_tenant: Callable[..., Tenant]
) -> None:
    other = make_tenant(name="隣町")
    with clerk(other):
        theirs = person()
    with clerk(tenant), pytest.raises(Rejected, match=f"宛名番号 {theirs} の宛名がありません"):
        chotei_create(request(theirs))


def test_chotei_import_cli(tenant: Tenant, tmp_path: Path) -> None:
    with clerk(tenant):
        who = person()
    item = {
        "tax_kind": "kotei",
        "fiscal_year": 2026,
        "notice_no": "000777",
        "atena_no": who,
        "assessed_on": "2026-04-01",
        "installments": [
            {"kibetsu": 1, "amount": 25_000, "due_date": "2026-04-30"},
            {"kibetsu": 2, "amount": 25_000, "due_date": "2026-07-31"},
        ],
    }
    path = tmp_path / "chotei.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    out = StringIO()
    call_command("shuno", "chotei-import", "--tenant", tenant.code, "--json", str(path), stdout=out)
    assert json.loads(out.getvalue()) == {"created": 2, "unchanged": 0}
    out = StringIO()
    call_command("shuno", "chotei-import", "--tenant", tenant.code, "--json", str(path), stdout=out)
    assert json.loads(out.getvalue()) == {"created": 0, "unchanged": 1}
    with clerk(tenant):
        assert Chotei.objects.filter(notice_no=777).count() == 2
    bad = {**item, "notice_no": 778, "ammount": 1, "installments": [{"kibetsu": "1"}]}
    path.write_text(json.dumps([item, bad]), encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("shuno", "chotei-import", "--tenant", tenant.code, "--json", str(path))
    message = str(caught.value)
    assert f"{path}, field '[1].ammount': 未知の項目です" in message
    assert f"{path}, field '[1].installments[0].amount': 必須の項目です" in message
    assert f"{path}, field '[1].installments[0].due_date': 必須の項目です" in message
    with clerk(tenant):
        assert not Chotei.objects.filter(notice_no=778).exists()
