"""調定 from zei_kei.assessed: the 軽自動車税 当初課税 batch (the vehicles of
tests/zei_kei/test_toshokazei.py), delivered by the hub, becomes one 調定 per vehicle."""

from __future__ import annotations

import datetime as dt

import pytest

from kyodo.linkage.dispatch import dispatch_once
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.shuno.models import Chotei
from kyodo.units.shuno.selectors import balance
from kyodo.units.zei_kei.models import Kazei
from kyodo.units.zei_kei.sharyo import import_file
from kyodo.units.zei_kei.toshokazei import toshokazei
from tests.zei_kei.test_toshokazei import YEAR, Town, town  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_each_vehicle_becomes_one_chotei(town: Town) -> None:  # noqa: F811
    with tenant_scope(town.code):
        import_file(town.vehicles())
        toshokazei(YEAR)
        rows = list(Kazei.objects.filter(fiscal_year=YEAR))
    dispatch_once()
    with tenant_scope(town.code):
        chotei = {c.notice_no: c for c in Chotei.objects.filter(tax_kind="kei")}
        assert set(chotei) == {r.notice_no for r in rows}
        for row in rows:
            [only] = row.installments
            c = chotei[row.notice_no]
            assert (c.kibetsu, c.amount, c.due_date, c.atena_no) == (
                1,
                row.total,
                dt.date.fromisoformat(only["due"]),
                row.atena_no,
            )
        taro = town["太郎"]
        owed = sum(r.total for r in rows if r.atena_no == taro)
        assert balance(atena_no=taro, purpose="test")["total"]["chotei"] == owed > 0
