"""国保税の賦課: 当初賦課 from the municipality's rates and the members' 所得 (from the hub),
月割 when a 資格 ends mid-year, revisions never overwritten, the event for collection."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable

import pytest
from django.core.management import call_command

from kyodo.linkage.models import OutboxEvent
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Tenant
from kyodo.platform.parameters import parameter_set
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.rules import kokuho as kokuho_calc
from kyodo.units.kokuho.fuka import assess_household, insured_in, toshofuka
from kyodo.units.kokuho.models import Fuka, Shikaku, Shotoku
from kyodo.units.kokuho.services import shikaku_acquire, shikaku_lose
from tests.juki.helpers import member, move_in

pytestmark = pytest.mark.django_db
YEAR = 2026
# Natori-shi's 令和8年度 rates (rules.md §2.4–2.5, V-NHI-1), 子ども分 left out.
RATES = {
    "medical": {"income_rate": 0.075, "per_capita": 27100, "per_household": 24100},
    "support": {"income_rate": 0.03, "per_capita": 11000, "per_household": 9000},
    "care": {"income_rate": 0.0265, "per_capita": 11500, "per_household": 10000},
}


@pytest.fixture
def tenant(make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


def _household(code: str, *, rates: bool = True) -> tuple[int, int, int]:
    """A 世帯主 aged 50 with 所得 1,202,000 and a spouse aged 45 with none declared, both
    insured since 2025-06-01."""
    with tenant_scope(code):
        outcome = move_in(
            [
                member("山田", "太郎", birth=dt.date(1976, 1, 10)),
                member(
                    "山田",
                    "花子",
                    "ヤマダ",
                    "ハナコ",
                    birth=dt.date(1981, 3, 3),
                    sex=2,
                    relationship="妻",
                ),
            ],
            moved_on=dt.date(2025, 6, 1),
        )
        head, spouse = (r.atena_no for r in outcome.records)
        household_no = outcome.records[0].household_no
        for atena_no in (head, spouse):
            shikaku_acquire(
                atena_no=atena_no,
                household_no=household_no,
                on=dt.date(2025, 6, 1),
                reason="tennyu",
            )
        Shotoku.objects.create(
            atena_no=head, fiscal_year=YEAR, revision=1, so_shotoku=1_202_000,
            salary_income=0, pension_income=0, source_event=-head,
        )  # fmt: skip
        if rates:
            parameter_set(
                key="kokuho.rates",
                value=RATES,
                effective_from=dt.date(2026, 4, 1),
                source="名取市国民健康保険税条例",
            )
    return household_no, head, spouse


def test_the_annual_assessment_is_the_calculator_on_the_household(tenant: Tenant) -> None:
    household_no, head, spouse = _household(tenant.code)
    with tenant_scope(tenant.code):
        [row] = toshofuka(YEAR)
        expected = kokuho_calc.calculate(
            {
                "fiscal_year": YEAR,
                "rates": RATES,
                "household": {
                    "head_is_member": True,
                    "members": [
                        {"age": 50, "income": 1_202_000, "salary_income": 0, "pension_income": 0},
                        {"age": 45, "income": 0, "declared": False},
                    ],
                },
            }
        )
        assert row.components == expected["components"] and row.total == expected["total"]
        assert row.nozei_gimusha == head and row.revision == 1
        assert all(m["members"] == [head, spouse] for m in row.months)
        assert sum(i["amount"] for i in row.installments) == row.total
        assert len(row.installments) == 8  # the default 納期, July → February
        event = OutboxEvent.objects.get(name="kokuho.assessed")
        assert event.payload["total"] == row.total and event.payload["household_no"] == household_no
        # Nothing changed: assessing again stores no new revision.
        assert assess_household(household_no, YEAR, reason="again").revision == 1


def test_a_mid_year_loss_is_pro_rated_by_month(tenant: Tenant) -> None:
    household_no, _head, spouse = _household(tenant.code)
    with tenant_scope(tenant.code):
        [first] = toshofuka(YEAR)
        # The spouse joins her employer's insurance: 喪失 on 15 October → insured April–September.
        shikaku_lose(atena_no=spouse, on=dt.date(2026, 10, 15), reason="shaho_kanyu")
        rows = list(Fuka.objects.filter(household_no=household_no).order_by("revision"))
        assert [r.revision for r in rows] == [1, 2] and rows[0].total == first.total
        second = rows[1]
        counted = [len(m["members"]) for m in second.months]
        assert counted == [2] * 6 + [1] * 6
        alone = kokuho_calc.calculate(
            {
                "fiscal_year": YEAR,
                "rates": RATES,
                "household": {
                    "head_is_member": True,
                    "members": [
                        {"age": 50, "income": 1_202_000, "salary_income": 0, "pension_income": 0}
                    ],
                },
            }
        )["components"]
        for c in ("medical", "support", "care"):
            # 月割: (6 × the pair's annual + 6 × the head's alone) / 12, truncated to 100 yen.
            assert second.components[c] == (6 * first.components[c] + 6 * alone[c]) // 1200 * 100
        assert second.total < first.total
        assert "資格の異動" in second.reason


def test_month_counting_rules() -> None:
    """取得月 counts; the 喪失月 does not, unless the loss is on the 1st of the next month."""

    def row(acquired: str, lost: str | None) -> Shikaku:
        return Shikaku(
            atena_no=1,
            household_no=1,
            status="ended" if lost else "active",
            acquired_on=dt.date.fromisoformat(acquired),
            lost_on=dt.date.fromisoformat(lost) if lost else None,
        )

    assert insured_in([row("2026-04-30", None)], YEAR, 4) == [1]
    assert insured_in([row("2026-05-01", None)], YEAR, 4) == []
    assert insured_in([row("2025-01-01", "2026-05-01")], YEAR, 4) == [1]  # lost 1 May: April counts
    assert insured_in([row("2025-01-01", "2026-04-30")], YEAR, 4) == []
    assert insured_in([row("2025-01-01", "2027-03-31")], YEAR, 3) == []
    assert insured_in([row("2026-06-15", None)], YEAR, 3) == [1]  # March of the next year


def test_rates_must_be_set_and_the_cli_assesses(tenant: Tenant) -> None:
    household_no, _head, _spouse = _household(tenant.code, rates=False)
    with tenant_scope(tenant.code):
        with pytest.raises(ValidationFailed, match=r"kokuho\.rates"):
            toshofuka(YEAR)
        assert not Fuka.objects.exists()
        parameter_set(
            key="kokuho.rates", value=RATES, effective_from=dt.date(2026, 4, 1), source="条例"
        )
    out = io.StringIO()
    call_command("kokuho", "fuka", "--tenant", tenant.code, "--fiscal-year", "2026", stdout=out)
    [row] = json.loads(out.getvalue())
    assert row["household_no"] == household_no and row["total"] > 0
