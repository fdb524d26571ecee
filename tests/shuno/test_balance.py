"""名寄せ: one person's 調定額, 収納額 and 未納額 across every tax, per installment and in total."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from kyodo.atena.blocks import block_set
from kyodo.platform.models import AuditRecord, Tenant
from kyodo.units.shuno.selectors import balance
from kyodo.units.shuno.services.keshikomi import NoticeKey, PaymentInput, shuno_record
from kyodo.units.shuno.services.tokusoku import tokusoku_batch
from tests.shuno.ledger_helpers import assess, clerk, person

JUN, JUL, AUG = dt.date(2026, 6, 30), dt.date(2026, 7, 31), dt.date(2026, 8, 31)


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


@pytest.fixture
def ledger_of_one(tenant: Tenant) -> int:
    """住民税 in two installments and 国保税 in two, partly paid; someone else's too."""
    with clerk(tenant):
        who = person()
        jumin = assess(who, (20_000, JUN), (20_000, AUG), tax_kind="juminzei_futsu")
        kokuho = assess(who, (8_000, JUL), (7_000, AUG), tax_kind="kokuho")
        pay(jumin[0], 20_000, dt.date(2026, 6, 25), "R-1")
        pay(kokuho[0], 5_000, dt.date(2026, 7, 20), "R-2")
        pay(kokuho[1], 7_500, dt.date(2026, 7, 20), "R-3")  # 500 over: a 過誤納
        tokusoku_batch(on=dt.date(2026, 8, 5))
        assess(person(), (99_000, JUN))  # another person's debt is not in the balance
    return who


def test_balance_across_two_taxes(tenant: Tenant, ledger_of_one) -> None:
    who = ledger_of_one
    with clerk(tenant):
        result = balance(atena_no=who, as_of=dt.date(2026, 8, 10), purpose="窓口照会")
    assert [
        (r["tax_kind"], r["kibetsu"], r["chotei"], r["shuno"], r["minou"], r["overdue"])
        for r in result["installments"]
    ] == [
        ("juminzei_futsu", 1, 20_000, 20_000, 0, False),
        ("kokuho", 1, 8_000, 5_000, 3_000, True),
        ("juminzei_futsu", 2, 20_000, 0, 20_000, False),  # 8/31: not due yet
        ("kokuho", 2, 7_000, 7_000, 0, False),
    ]
    assert result["installments"][1]["tokusoku_on"] == "2026-08-05"
    assert [(t["tax_kind"], t["chotei"], t["shuno"], t["minou"]) for t in result["taxes"]] == [
        ("juminzei_futsu", 40_000, 20_000, 20_000),
        ("kokuho", 15_000, 12_000, 3_000),
    ]
    assert result["total"] == {"chotei": 55_000, "shuno": 32_000, "minou": 23_000}
    assert result["kagono"]["open"] == 500
    with clerk(tenant):
        assert AuditRecord.objects.filter(
            object_type="shuno.balance", object_id=str(who), purpose="窓口照会"
        ).exists()


def test_balance_as_of_an_earlier_date(tenant: Tenant, ledger_of_one) -> None:
    who = ledger_of_one
    with clerk(tenant):
        result = balance(atena_no=who, as_of=dt.date(2026, 7, 1), purpose="t")
    # 国保税 payments of 7/20 are not yet made, nor is the 過誤納.
    assert result["total"] == {"chotei": 55_000, "shuno": 20_000, "minou": 35_000}
    assert result["kagono"]["open"] == 0
    assert all(r["tokusoku_on"] is None for r in result["installments"])


def test_balance_cli(tenant: Tenant, ledger_of_one) -> None:
    who = ledger_of_one
    args = ("shuno", "balance", "--tenant", tenant.code, "--atena-no", str(who))
    out = StringIO()
    call_command(*args, "--as-of", "2026-08-10", "--json", stdout=out)
    assert json.loads(out.getvalue())["total"]["minou"] == 23_000
    out = StringIO()
    call_command(*args, "--as-of", "2026-08-10", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[1].startswith("国民健康保険税\t2026年度")
    assert lines[-1] == "合計\t調定 55,000\t収納 32,000\t未納 23,000\t過誤納 500"
    with pytest.raises(CommandError, match="--atena-no: 宛名番号は半角数字です"):
        call_command("shuno", "balance", "--tenant", tenant.code, "--atena-no", "abc")


def test_balance_cli_respects_a_block(tenant: Tenant, ledger_of_one) -> None:
    who = ledger_of_one
    with clerk(tenant):
        block_set(
            atena_no=who,
            kind="shien",
            operations=["shokai"],
            level="error",
            start=timezone.localdate(),
            reason="DV",
            by="clerk",
        )
    with pytest.raises(CommandError, match="支援措置"):
        call_command("shuno", "balance", "--tenant", tenant.code, "--atena-no", str(who))
