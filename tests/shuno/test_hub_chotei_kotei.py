"""調定 from zei_kotei.assessed: the 固定資産税 当初課税 batch (the municipality of
tests/zei_kotei/conftest.py), delivered by the hub, becomes one 調定 per 期別 of each 通知書."""

from __future__ import annotations

import datetime as dt

import pytest

from kyodo.linkage.dispatch import dispatch_once
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.shuno.models import Chotei
from kyodo.units.shuno.selectors import balance
from kyodo.units.zei_kotei.models import Kazei
from kyodo.units.zei_kotei.toshokazei import toshokazei
from tests.zei_kotei.conftest import YEAR, Town, town  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_each_kotei_notice_becomes_chotei_per_kibetsu(town: Town) -> None:  # noqa: F811
    town.imported()
    with tenant_scope(town.code):
        toshokazei(YEAR)
        notices = {r.notice_no: r for r in Kazei.objects.filter(fiscal_year=YEAR)}
    dispatch_once()
    with tenant_scope(town.code):
        for notice_no, row in notices.items():
            got = {
                c.kibetsu: (c.amount, c.due_date, c.atena_no)
                for c in Chotei.objects.filter(tax_kind="kotei", notice_no=notice_no)
            }
            assert got == {
                i["number"]: (i["amount"], dt.date.fromisoformat(i["due"]), row.atena_no)
                for i in row.installments
                if i["amount"] > 0
            }
        # 太郎 owes every notice on which he is the 納税義務者 (or its 代表者).
        taro = town["太郎"]
        owed = sum(r.total for r in notices.values() if r.atena_no == taro)
        assert owed > 0
        result = balance(atena_no=taro, purpose="test")
        # (its 延滞金 depends on the day the test runs, so it is not compared here)
        assert [(t["tax_kind"], t["chotei"], t["shuno"], t["minou"]) for t in result["taxes"]] == [
            ("kotei", owed, 0, owed)
        ]
