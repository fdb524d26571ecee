"""国保税の月割 for ages reached during the 年度: 介護分 from the month one reaches 40 and until
the month before one reaches 65 (介護保険法 第9条第2号; the age is reached on the day before the
birthday, 年齢計算ニ関スル法律), and no 国保 from the month of the 75th birthday (高齢者の医療の
確保に関する法律 第50条・第52条: 後期高齢者医療 from that day)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kyodo.platform.models import Tenant
from kyodo.platform.parameters import parameter_set
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.rules import kokuho as kokuho_calc
from kyodo.units.kokuho.fuka import kaigo_in, toshofuka
from kyodo.units.kokuho.models import Shotoku
from kyodo.units.kokuho.services import shikaku_acquire
from tests.juki.helpers import member, move_in
from tests.kokuho.test_fuka import RATES, YEAR

pytestmark = pytest.mark.django_db
INCOME = 1_500_000
MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


def _alone(code: str, birth: dt.date) -> None:
    with tenant_scope(code):
        outcome = move_in([member("山田", "太郎", birth=birth)], moved_on=dt.date(2025, 6, 1))
        [record] = outcome.records
        shikaku_acquire(
            atena_no=record.atena_no,
            household_no=record.household_no,
            on=dt.date(2025, 6, 1),
            reason="tennyu",
        )
        Shotoku.objects.create(
            atena_no=record.atena_no, fiscal_year=YEAR, revision=1, so_shotoku=INCOME,
            salary_income=0, pension_income=0, source_event=-record.atena_no,
        )  # fmt: skip
        parameter_set(
            key="kokuho.rates", value=RATES, effective_from=dt.date(2026, 4, 1), source="条例"
        )


def _annual(age: int, *, kaigo: bool) -> dict[str, int]:
    person = {"age": age, "income": INCOME, "salary_income": 0, "pension_income": 0}
    return kokuho_calc.calculate(
        {
            "fiscal_year": YEAR,
            "rates": RATES,
            "household": {"head_is_member": True, "members": [person | {"kaigo": kaigo}]},
        }
    )["components"]


@pytest.mark.parametrize(
    ("birth", "age", "care_months", "why"),
    [
        (dt.date(1986, 10, 15), 39, 6, "40歳到達日 10/14: 10月から3月まで"),
        (dt.date(1986, 11, 1), 39, 6, "40歳到達日 10/31 (1日生まれ): 10月から"),
        (dt.date(1961, 8, 20), 64, 4, "65歳到達日 8/19: 4月から7月まで"),
        (dt.date(1961, 9, 1), 64, 4, "65歳到達日 8/31 (1日生まれ): 8月が到達月、7月まで"),
        (dt.date(1980, 5, 5), 46, 12, "年度を通して40〜64歳"),
    ],
)
def test_care_is_levied_from_the_month_40_is_reached_until_the_month_before_65(
    make_tenant: Callable[..., Tenant], birth: dt.date, age: int, care_months: int, why: str
) -> None:
    tenant = make_tenant()
    _alone(tenant.code, birth)
    with tenant_scope(tenant.code):
        [row] = toshofuka(YEAR)
    months = [kaigo_in(birth, YEAR, m) for m in MONTHS]
    assert sum(months) == care_months, why
    with_care, without = _annual(age, kaigo=True), _annual(age, kaigo=False)
    for c in ("medical", "support"):
        assert row.components[c] == with_care[c]  # the other components do not change
    expected = (care_months * with_care["care"] + (12 - care_months) * without["care"]) // 1200
    assert row.components["care"] == expected * 100, why


def test_no_kokuho_from_the_month_of_the_75th_birthday(make_tenant: Callable[..., Tenant]) -> None:
    tenant = make_tenant()
    _alone(tenant.code, dt.date(1951, 11, 10))  # 後期高齢者医療 from 2026-11-10
    with tenant_scope(tenant.code):
        [row] = toshofuka(YEAR)
    counted = [bool(m["members"]) for m in row.months]
    assert counted == [True] * 7 + [False] * 5  # April–October
    annual = _annual(74, kaigo=False)
    for c in ("medical", "support"):
        assert row.components[c] == 7 * annual[c] // 1200 * 100
    assert row.components["care"] == 0
