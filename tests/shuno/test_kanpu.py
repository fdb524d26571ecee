"""充当 before 還付 (地方税法 第17条の2 第1項): a 過誤納 pays what the person owes first."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kyodo.platform.models import Tenant
from kyodo.units.shuno.models import Kanpu, KeshikomiKind
from kyodo.units.shuno.services import ledger
from kyodo.units.shuno.services.kanpu import juto, kanpu
from kyodo.units.shuno.services.keshikomi import NoticeKey, PaymentInput, shuno_record
from tests.shuno.ledger_helpers import assess, clerk, person

JUN, JUL, AUG, SEP = (dt.date(2026, m, d) for m, d in ((6, 30), (7, 31), (8, 31), (9, 30)))


@pytest.fixture
def tenant(db: None, make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


def overpay(chotei, amount: int, on: dt.date, key: str) -> None:
    shuno_record(
        PaymentInput(
            key=key,
            channel="counter",
            amount=amount,
            paid_on=on,
            chotei=NoticeKey(chotei.tax_kind, chotei.fiscal_year, chotei.notice_no, chotei.kibetsu),
        )
    )


def test_kanpu_applies_juto_to_the_due_debts_first_and_refunds_the_rest(tenant: Tenant) -> None:
    """地方税法 第17条の2 第1項: 還付すべき過誤納金は、納付すべき徴収金に充当しなければならない."""
    with clerk(tenant):
        who = person()
        [kokuho] = assess(who, (4_000, JUN), tax_kind="kokuho")
        [jumin] = assess(who, (30_000, JUL), tax_kind="juminzei_futsu")
        overpay(jumin, 40_000, dt.date(2026, 7, 10), "R-1")  # 10,000 too much
        result = kanpu(atena_no=who, on=dt.date(2026, 8, 20))
        # The other tax's due installment is paid first, across 税目 (名寄せ).
        assert [(k.chotei_id, k.amount, k.kind) for k in result.juto] == [
            (kokuho.pk, 4_000, KeshikomiKind.JUTO)
        ]
        assert ledger.owed(kokuho) == (4_000, 4_000)
        assert [k.amount for k in result.kanpu] == [6_000]  # only what is left is refunded
        # Nothing is left: a second 還付 does nothing.
        again = kanpu(atena_no=who, on=dt.date(2026, 8, 21))
        assert again.juto == [] and again.kanpu == []


def test_nothing_to_juto_means_all_is_refunded(tenant: Tenant) -> None:
    with clerk(tenant):
        who = person()
        [jumin] = assess(who, (30_000, JUL))
        overpay(jumin, 31_000, dt.date(2026, 7, 10), "R-1")
        result = kanpu(atena_no=who, on=dt.date(2026, 8, 20))
        assert result.juto == []
        assert [k.amount for k in result.kanpu] == [1_000]


def test_installments_not_yet_due_need_the_persons_consent(tenant: Tenant) -> None:
    with clerk(tenant):
        who = person()
        first, second = assess(who, (5_000, JUL), (5_000, SEP))
        overpay(first, 8_000, dt.date(2026, 7, 10), "R-1")  # 3,000 too much
        # On 8/20 the 第2期 (納期限 9/30) is not yet due: refunded, not 充当.
        assert juto(atena_no=who, on=dt.date(2026, 8, 20)) == []
        with_consent = juto(atena_no=who, on=dt.date(2026, 8, 20), with_consent=True)
        assert [(k.chotei_id, k.amount) for k in with_consent] == [(second.pk, 3_000)]
        assert kanpu(atena_no=who, on=dt.date(2026, 8, 21)).kanpu == []


def test_juto_takes_effect_on_the_tekijo_date(tenant: Tenant) -> None:
    """第17条の2: 充当 goes back to the day the 過誤納 and the debt both existed."""
    with clerk(tenant):
        who = person()
        [overdue] = assess(who, (2_000, JUN))  # unpaid since 6/30
        [later] = assess(who, (1_000, JUL))
        overpay(later, 3_000, dt.date(2026, 7, 15), "R-1")  # 2,000 過誤納 from 7/15
        [row] = juto(atena_no=who, on=dt.date(2026, 9, 1))
        assert (row.chotei_id, row.amount, row.applied_on) == (
            overdue.pk,
            2_000,
            dt.date(2026, 7, 15),
        )


def test_older_kagono_are_used_first_and_refunds_are_per_kagono(tenant: Tenant) -> None:
    with clerk(tenant):
        who = person()
        a, b = assess(who, (1_000, JUN), (1_000, JUL))
        [debt] = assess(who, (1_500, JUL))
        overpay(a, 2_000, dt.date(2026, 7, 1), "R-1")  # 1,000 過誤納 (older)
        overpay(b, 2_000, dt.date(2026, 7, 2), "R-2")  # 1,000 過誤納
        result = kanpu(atena_no=who, on=dt.date(2026, 8, 1))
        assert [k.amount for k in result.juto] == [1_000, 500]
        assert [(k.kagono.shuno.key, k.amount) for k in result.juto] == [
            ("R-1", 1_000),
            ("R-2", 500),
        ]
        assert [(k.kagono.shuno.key, k.amount) for k in Kanpu.objects.all()] == [("R-2", 500)]
        assert ledger.owed(debt) == (1_500, 1_500)
