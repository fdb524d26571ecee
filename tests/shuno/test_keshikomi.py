"""消込: a payment put on what it pays — exact, partial, over-payment, by person, held ones."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import AuditRecord, Tenant
from kyodo.units.shuno.allocation import Open, allocate
from kyodo.units.shuno.models import Kagono, KagonoReason, Keshikomi, Shuno
from kyodo.units.shuno.services import ledger
from kyodo.units.shuno.services.keshikomi import (
    NoticeKey,
    PaymentInput,
    held_open,
    shuno_assign,
    shuno_record,
)
from tests.shuno.ledger_helpers import FY, assess, clerk, person

JUN, JUL, AUG = dt.date(2026, 6, 30), dt.date(2026, 7, 31), dt.date(2026, 8, 31)


@pytest.fixture
def tenant(db: None, make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


def pay(chotei, amount: int, *, key: str, on: dt.date = dt.date(2026, 7, 1)) -> PaymentInput:
    return PaymentInput(
        key=key,
        channel="counter",
        amount=amount,
        paid_on=on,
        chotei=NoticeKey(chotei.tax_kind, chotei.fiscal_year, chotei.notice_no, chotei.kibetsu),
    )


def test_exact_payment_settles_the_installment(tenant: Tenant) -> None:
    with clerk(tenant):
        first, second = assess(person(), (10_000, JUN), (10_000, JUL))
        applied = shuno_record(pay(first, 10_000, key="R-1"))
        assert [(k.chotei_id, k.amount) for k in applied.keshikomi] == [(first.pk, 10_000)]
        assert applied.kagono is None
        assert ledger.owed(first) == (10_000, 10_000)
        assert ledger.owed(second) == (10_000, 0)  # only the named installment is paid
        assert applied.shuno.atena_no == first.atena_no  # the payer is the 納税義務者
    with clerk(tenant):  # the audit is appended when the scope commits
        assert AuditRecord.objects.filter(
            object_type="shuno.shuno", object_id=str(first.atena_no)
        ).exists()


def test_partial_payments_add_up(tenant: Tenant) -> None:
    with clerk(tenant):
        [only] = assess(person(), (10_000, JUN))
        shuno_record(pay(only, 3_000, key="R-1"))
        assert ledger.owed(only) == (10_000, 3_000)
        shuno_record(pay(only, 7_000, key="R-2"))
        assert ledger.owed(only) == (10_000, 10_000)
        assert not Kagono.objects.exists()


def test_over_payment_leaves_a_kagono_and_never_spills_to_other_installments(
    tenant: Tenant,
) -> None:
    with clerk(tenant):
        first, second = assess(person(), (10_000, JUN), (10_000, JUL))
        shuno_record(pay(first, 6_000, key="R-1"))
        applied = shuno_record(pay(first, 9_000, key="R-2"))  # 4,000 owed
        assert [k.amount for k in applied.keshikomi] == [4_000]
        kagono = applied.kagono
        assert kagono is not None
        assert (kagono.amount, kagono.reason, kagono.atena_no, kagono.chotei_id) == (
            5_000,
            KagonoReason.OVERPAID,
            first.atena_no,
            first.pk,
        )
        assert ledger.owed(second) == (10_000, 0)  # 充当 is for 還付 to decide (第17条の2)
        # The same slip paid again in full: all of it is 過誤納.
        again = shuno_record(pay(first, 10_000, key="R-3"))
        assert again.keshikomi == [] and again.kagono.amount == 10_000


def test_a_payment_naming_the_person_pays_the_oldest_due_date_first(tenant: Tenant) -> None:
    with clerk(tenant):
        who = person()
        kotei = assess(who, (5_000, AUG), tax_kind="kotei")
        jumin = assess(who, (3_000, JUN), (3_000, JUL))
        applied = shuno_record(
            PaymentInput(
                key="R-9",
                channel="counter",
                amount=9_000,
                paid_on=dt.date(2026, 7, 2),
                atena_no=who,
            )
        )
        # 納期限 order: 住民税 第1期 (6/30), 第2期 (7/31), then 固定資産税 (8/31, not yet due
        # on 7/2 but paid early, as the payer meant).
        assert [(k.chotei_id, k.amount) for k in applied.keshikomi] == [
            (jumin[0].pk, 3_000),
            (jumin[1].pk, 3_000),
            (kotei[0].pk, 3_000),
        ]
        assert applied.kagono is None
        rest = shuno_record(
            PaymentInput(
                key="R-10",
                channel="counter",
                amount=4_000,
                paid_on=dt.date(2026, 7, 3),
                atena_no=who,
            )
        )
        assert [k.amount for k in rest.keshikomi] == [2_000]
        assert (rest.kagono.amount, rest.kagono.reason) == (2_000, KagonoReason.OVERPAID)


def test_a_person_with_no_chotei_gets_a_gono(tenant: Tenant) -> None:
    with clerk(tenant):
        who = person()
        applied = shuno_record(
            PaymentInput(key="R-1", channel="counter", amount=500, paid_on=JUN, atena_no=who)
        )
        assert (applied.kagono.amount, applied.kagono.reason) == (500, KagonoReason.NO_CHOTEI)


def test_the_same_key_twice_changes_nothing_and_other_content_is_refused(tenant: Tenant) -> None:
    with clerk(tenant):
        [only] = assess(person(), (10_000, JUN))
        first = shuno_record(pay(only, 4_000, key="R-1"))
        again = shuno_record(pay(only, 4_000, key="R-1"))
        assert again.existing and again.shuno.pk == first.shuno.pk
        assert Keshikomi.objects.count() == 1
        with pytest.raises(ValidationFailed, match="別の内容で記録済み"):
            shuno_record(pay(only, 5_000, key="R-1"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": 0}, "amount"),
        ({"channel": "cash"}, "channel"),
        ({"key": ""}, "key"),
        ({"paid_on": dt.date(2099, 1, 1)}, "paid_on"),
        ({"chotei": NoticeKey("juminzei_futsu", FY, 999_999, 1)}, "notice_no"),
        ({"chotei": None}, "chotei"),
    ],
)
def test_bad_payments_are_refused_naming_the_field(
    tenant: Tenant, change: dict, field: str
) -> None:
    with clerk(tenant):
        [only] = assess(person(), (10_000, JUN))
        payment = pay(only, 1_000, key="R-1")
        with pytest.raises(ValidationFailed) as caught:
            shuno_record(PaymentInput(**{**vars(payment), **change}))
        assert caught.value.field == field
        assert not Shuno.objects.exists()


def test_a_held_payment_is_applied_once_the_clerk_assigns_it(tenant: Tenant) -> None:
    with clerk(tenant):
        [only] = assess(person(), (10_000, JUN))
        held = Shuno.objects.create(
            key="konbini:912345:1",
            channel="konbini",
            report="sokuho",
            amount=10_000,
            paid_on=JUN,
            held_reason="unknown_notice",
            held_detail="通知書番号不明",
            source="f.txt",
            source_line=2,
            recorded_at=ledger.now(),
            recorded_by="test",
        )
        assert held_open() == [held]
        applied = shuno_assign(
            shuno=held,
            chotei=NoticeKey(only.tax_kind, only.fiscal_year, only.notice_no, only.kibetsu),
        )
        assert [(k.chotei_id, k.amount, k.applied_on) for k in applied.keshikomi] == [
            (only.pk, 10_000, JUN)  # as of the day the store took the money
        ]
        assert held_open() == []
        with pytest.raises(ValidationFailed, match="消込済み"):
            shuno_assign(shuno=held, atena_no=only.atena_no)


def test_allocate_fills_in_order_and_returns_the_rest() -> None:
    targets = [Open(1, 300), Open(2, 0), Open(3, 500)]
    assert allocate(600, targets) == ([(1, 300), (3, 300)], 0)
    assert [t.remaining for t in targets] == [0, 0, 200]
    assert allocate(1_000, targets) == ([(3, 200)], 800)  # the same targets, carried on
    with pytest.raises(ValueError, match="negative"):
        allocate(-1, targets)
