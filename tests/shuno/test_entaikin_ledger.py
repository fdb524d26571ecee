"""延滞金 in the ledger: each installment unpaid or paid late shows the 延滞金 the pure calculator
(kyodo.rules.entaikin) gives for its 調定額, 納期限 and 消込 — in the balance and in
``kyodo shuno entaikin``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command

from kyodo.platform.models import AuditRecord, Tenant
from kyodo.rules.entaikin import calculate
from kyodo.units.shuno.selectors import balance, entaikin
from kyodo.units.shuno.services.chotei import ChoteiRequest, KibetsuInput, chotei_create
from kyodo.units.shuno.services.keshikomi import NoticeKey, PaymentInput, shuno_record
from tests.shuno.ledger_helpers import assess, clerk, person

JUN, AUG, OCT = dt.date(2026, 6, 30), dt.date(2026, 8, 31), dt.date(2026, 11, 2)
ON = dt.date(2026, 11, 20)


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


def test_the_balance_shows_the_calculators_entaikin_per_installment(tenant: Tenant) -> None:
    with clerk(tenant):
        who = person()
        first, second, _third = assess(who, (200_400, JUN), (200_000, AUG), (200_000, OCT))
        pay(first, 200_400, dt.date(2026, 9, 15), "late-1")  # paid late, in full
        pay(second, 80_000, dt.date(2026, 10, 1), "part-2")  # part paid, the rest unpaid
        result = balance(atena_no=who, as_of=ON, purpose="test")
        rows = [r["entaikin"] for r in result["installments"]]
        # The same figures given to the calculator directly.
        expected = [
            calculate(
                {
                    "tax": 200_400,
                    "due_date": "2026-06-30",
                    "payments": [{"date": "2026-09-15", "amount": 200_400}],
                    "as_of": "2026-11-20",
                }
            )["entaikin"],
            calculate(
                {
                    "tax": 200_000,
                    "due_date": "2026-08-31",
                    "payments": [{"date": "2026-10-01", "amount": 80_000}],
                    "as_of": "2026-11-20",
                }
            )["entaikin"],
            calculate({"tax": 200_000, "due_date": "2026-11-02", "as_of": "2026-11-20"})[
                "entaikin"
            ],
        ]
        assert rows == expected
        assert rows[0] > 0 and rows[1] > 0
        # 18 days at 2.8% on 200,000: 276円, under 1,000円 → nothing (地方税法 第20条の4の2)
        assert rows[2] == 0
        assert result["entaikin"]["total"] == sum(expected)
        assert result["entaikin"]["installments"] == 3
        assert [t["entaikin"] for t in result["taxes"]] == [sum(expected)]
        # Before the first 納期限 has passed, nothing.
        early = balance(atena_no=who, as_of=dt.date(2026, 6, 30), purpose="test")
        assert [r["entaikin"] for r in early["installments"]] == [0, 0, 0]


def test_a_worked_example_toyohashi(tenant: Tenant) -> None:
    """豊橋市: 令和3年度固定資産税 第1期 65,000円, 納期限 令和3年5月31日, paid 令和4年1月31日:
    133 + 2,883 + 480 = 3,496 → 3,400円. Source: https://www.city.toyohashi.lg.jp/dd.aspx?menuid=10874
    (as in tests/rules/test_entaikin_examples.py)."""
    with clerk(tenant):
        who = person()
        [kibetsu_1] = chotei_create(
            ChoteiRequest(
                tax_kind="kotei",
                fiscal_year=2021,
                notice_no=31,
                atena_no=who,
                assessed_on=dt.date(2021, 4, 1),
                installments=(KibetsuInput(1, 65_000, dt.date(2021, 5, 31)),),
            ),
            source="test",
        )
        pay(kibetsu_1, 65_000, dt.date(2022, 1, 31), "toyohashi")
        result = entaikin(atena_no=who, on=dt.date(2022, 3, 1), purpose="test")
        [item] = result["installments"]
        assert item["entaikin"] == result["total"] == 3_400
        assert [s["amount"] for s in item["result"]["segments"]] == [133, 2_883, 480]
        assert item["minou"] == 0
        assert (
            balance(atena_no=who, as_of=dt.date(2022, 3, 1), purpose="t")["installments"][0][
                "entaikin"
            ]
            == 3_400
        )


def test_the_cli_lists_only_late_installments(tenant: Tenant) -> None:
    with clerk(tenant):
        who = person()
        first, _second = assess(who, (56_400, JUN), (156_000, AUG))
        pay(first, 56_400, dt.date(2026, 6, 29), "on-time")
    out = StringIO()
    call_command(
        "shuno", "entaikin", "--tenant", tenant.code, "--atena-no", str(who), "--on", "2026-11-20",
        stdout=out,
    )  # fmt: skip
    data = json.loads(out.getvalue())
    assert [i["kibetsu"] for i in data["installments"]] == [2]  # 第1期 was paid on time
    [item] = data["installments"]
    assert item["input"] == {
        "tax": 156_000,
        "due_date": "2026-08-31",
        "payments": [],
        "as_of": "2026-11-20",
    }
    assert item["entaikin"] == calculate(item["input"])["entaikin"] == data["total"] > 0
    with clerk(tenant):
        read = AuditRecord.objects.filter(object_type="shuno.entaikin", object_id=str(who))
        assert read.count() == 1
