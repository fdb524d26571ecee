"""督促: within 20 days after the 納期限 (地方税法 第329条第1項, 第371条第1項), once per
installment, never for what is paid."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Tenant
from kyodo.units.shuno.models import Tokusoku
from kyodo.units.shuno.services.chotei import chotei_kosei
from kyodo.units.shuno.services.keshikomi import NoticeKey, PaymentInput, shuno_record
from kyodo.units.shuno.services.tokusoku import tokusoku_batch
from tests.shuno.ledger_helpers import assess, clerk, person

DUE = dt.date(2026, 6, 30)


def day(n: int) -> dt.date:
    """``n`` days after the 納期限."""
    return DUE + dt.timedelta(days=n)


@pytest.fixture
def tenant(db: None, make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


def pay(chotei, amount: int, on: dt.date, key: str) -> None:
    shuno_record(
        PaymentInput(
            key=key,
            channel="counter",
            amount=amount,
            paid_on=on,
            chotei=NoticeKey(chotei.tax_kind, chotei.fiscal_year, chotei.notice_no, chotei.kibetsu),
        )
    )


def test_no_tokusoku_on_the_due_date_itself_and_one_the_day_after(tenant: Tenant) -> None:
    """第329条第1項: 納期限までに完納しない場合、納期限後二十日以内に督促状を発する."""
    with clerk(tenant):
        [unpaid] = assess(person(), (10_000, DUE))
        assert tokusoku_batch(on=DUE) == []  # still payable on the 納期限
        [issued] = tokusoku_batch(on=day(1))
        assert (issued.chotei_id, issued.issued_on, issued.minou) == (unpaid.pk, day(1), 10_000)
        assert (issued.days_after_due, issued.late) == (1, False)


def test_the_batch_is_idempotent(tenant: Tenant) -> None:
    with clerk(tenant):
        assess(person(), (10_000, DUE))
        assert len(tokusoku_batch(on=day(1))) == 1
        assert tokusoku_batch(on=day(1)) == []
        assert tokusoku_batch(on=day(5)) == []  # one 督促 per installment, ever
        assert Tokusoku.objects.count() == 1


def test_paid_and_not_yet_due_installments_are_left_out(tenant: Tenant) -> None:
    with clerk(tenant):
        who = person()
        paid, partly, _not_yet_due = assess(
            who, (10_000, DUE), (10_000, DUE), (10_000, dt.date(2026, 7, 31))
        )
        pay(paid, 10_000, DUE, "R-1")  # paid on the 納期限: not 滞納
        pay(partly, 4_000, day(2), "R-2")
        issued = tokusoku_batch(on=day(3))
        # Only the partly paid one, for what is still unpaid; 第3期 is not due yet.
        assert [(t.chotei_id, t.minou) for t in issued] == [(partly.pk, 6_000)]


def test_a_reduction_to_zero_needs_no_tokusoku(tenant: Tenant) -> None:
    with clerk(tenant):
        [reduced] = assess(person(), (10_000, DUE))
        chotei_kosei(chotei=reduced, new_amount=0, on=day(1), reason="減免")
        assert tokusoku_batch(on=day(2)) == []


def test_wait_days_keeps_within_the_20_days(tenant: Tenant) -> None:
    with clerk(tenant):
        assess(person(), (10_000, DUE))
        assert tokusoku_batch(on=day(10), wait_days=10) == []  # 10 days after: still waiting
        [issued] = tokusoku_batch(on=day(11), wait_days=10)
        assert not issued.late
        with pytest.raises(ValidationFailed, match="0〜19"):
            tokusoku_batch(on=day(30), wait_days=20)  # would let a daily batch miss 20 days


def test_the_twentieth_day_is_in_time_and_a_later_tokusoku_is_flagged(tenant: Tenant) -> None:
    """第329条第1項・第371条第1項: "納期限後二十日以内" includes the 20th day after."""
    with clerk(tenant):
        who = person()
        [on_time] = assess(who, (10_000, DUE))
        [too_late] = assess(who, (20_000, DUE - dt.timedelta(days=1)), tax_kind="kotei")
        issued = {t.chotei_id: t for t in tokusoku_batch(on=day(20))}
        assert (issued[on_time.pk].days_after_due, issued[on_time.pk].late) == (20, False)
        # Not sent by the 20th day: still issued (a late 督促状 is valid) but flagged.
        assert (issued[too_late.pk].days_after_due, issued[too_late.pk].late) == (21, True)


def test_the_cli_runs_the_batch(tenant: Tenant) -> None:
    with clerk(tenant):
        [unpaid] = assess(person(), (10_000, DUE))
    out = StringIO()
    call_command(
        "shuno", "tokusoku", "--tenant", tenant.code, "--on", day(1).isoformat(), stdout=out
    )
    result = json.loads(out.getvalue())
    assert (result["issued"], result["late"]) == (1, 0)
    assert result["tokusoku"][0]["notice_no"] == unpaid.notice_no
    assert result["tokusoku"][0]["minou"] == 10_000
    out = StringIO()
    call_command(
        "shuno", "tokusoku", "--tenant", tenant.code, "--on", day(2).isoformat(), stdout=out
    )
    assert json.loads(out.getvalue())["issued"] == 0
    with pytest.raises(CommandError, match="--on: 日付は YYYY-MM-DD"):
        call_command("shuno", "tokusoku", "--tenant", tenant.code, "--on", "R8.7.1")
