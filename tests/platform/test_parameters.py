"""Tenant parameters: a municipality's ordinance choices, effective-dated and never overwritten."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, transaction

from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import AuditRecord, Tenant, TenantParameter
from kyodo.platform.parameters import parameter_history, parameter_set, parameters_as_of
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.zei_kojin.parameters import municipality_for

pytestmark = pytest.mark.django_db
SOURCE = "試験市税条例 第33条"


@pytest.fixture
def tenant(make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant()


def test_defaults_are_the_standard_figures(tenant: Tenant) -> None:
    # 地方税法 第310条・第314条の3 (standard 所得割 6 %), 第38条・第310条 (均等割 3,000 / 1,000
    # from 令和6年度, rules.md §1.1).
    with tenant_scope(tenant.code):
        assert municipality_for(2026) == {
            "designated_city": False,
            "kyuchi": 1,
            "city_rate": 0.06,
            "pref_rate": 0.04,
            "city_kintouwari": 3000,
            "pref_kintouwari": 1000,
        }


def test_a_value_applies_from_its_date_and_history_is_kept(tenant: Tenant) -> None:
    with tenant_scope(tenant.code):
        parameter_set(
            key="zei_kojin.city_kintouwari",
            value=3500,
            effective_from=dt.date(2026, 4, 1),
            source=SOURCE,
        )
        assert municipality_for(2025)["city_kintouwari"] == 3000
        assert municipality_for(2026)["city_kintouwari"] == 3500
        # A correction for the same date is a new row; the later one wins, the first stays.
        parameter_set(
            key="zei_kojin.city_kintouwari",
            value=3300,
            effective_from=dt.date(2026, 4, 1),
            source=SOURCE + "（訂正）",
        )
        assert municipality_for(2026)["city_kintouwari"] == 3300
        assert [r.value for r in parameter_history("zei_kojin.city_kintouwari")] == [3500, 3300]
        assert (
            parameters_as_of(dt.date(2026, 3, 31), prefix="zei_kojin.")["city_kintouwari"] == 3000
        )
    with tenant_scope(tenant.code):  # audit records are appended as the scope commits
        audits = AuditRecord.objects.filter(object_type="platform.parameter").order_by("id")
        assert [a.detail["value"] for a in audits] == [3500, 3300]


def test_each_municipality_has_its_own_values(
    tenant: Tenant, make_tenant: Callable[..., Tenant]
) -> None:
    other = make_tenant(name="乙市")
    with tenant_scope(tenant.code):
        parameter_set(
            key="zei_kojin.city_rate",
            value=0.061,
            effective_from=dt.date(2020, 1, 1),
            source=SOURCE,
        )
    with tenant_scope(other.code):
        assert municipality_for(2026)["city_rate"] == 0.06
    with tenant_scope(tenant.code):
        assert municipality_for(2026)["city_rate"] == 0.061


@pytest.mark.parametrize(
    ("key", "value", "reason"),
    [
        ("zei_kojin.city_rate", 0.5, "0.0〜0.2"),
        ("zei_kojin.city_rate", "0.06", "数値"),
        ("zei_kojin.city_kintouwari", 3000.5, "整数"),
        ("zei_kojin.kyuchi", 4, "1、2、3"),
        ("zei_kojin.designated_city", 1, "true か false"),
        ("zei_kojin.futsu_noki", ["06-31"], "MM-DD"),
        ("kokuho.rates", {"medical": {"income_rate": 0.07}}, "per_capita"),
        ("kokuho.rates", {"dental": {}}, "dental"),
        ("kokuho.method", "both", "tax"),
    ],
)
def test_a_bad_value_is_refused_with_its_key_and_reason(
    tenant: Tenant, key: str, value: object, reason: str
) -> None:
    with tenant_scope(tenant.code):
        with pytest.raises(ValidationFailed, match=reason) as caught:
            parameter_set(key=key, value=value, effective_from=dt.date(2026, 4, 1), source=SOURCE)
        assert caught.value.field == key
        assert not TenantParameter.objects.exists()


def test_unknown_keys_and_missing_sources_are_refused(tenant: Tenant) -> None:
    with tenant_scope(tenant.code):
        with pytest.raises(ValidationFailed, match="宣言されていない"):
            parameter_set(
                key="zei_kojin.nope", value=1, effective_from=dt.date(2026, 4, 1), source=SOURCE
            )
        with pytest.raises(ValidationFailed, match="根拠"):
            parameter_set(
                key="zei_kojin.city_rate",
                value=0.06,
                effective_from=dt.date(2026, 4, 1),
                source=" ",
            )
        assert not TenantParameter.objects.exists()


def test_kokuho_rates_are_stored_clean(tenant: Tenant) -> None:
    rates = {
        "medical": {
            "income_rate": 0.075,
            "per_capita": 27100,
            "per_household": 24100,
            "cap": 670000,
        }
    }
    with tenant_scope(tenant.code):
        assert parameters_as_of(dt.date(2026, 4, 1), prefix="kokuho.")["rates"] is None
        parameter_set(
            key="kokuho.rates", value=rates, effective_from=dt.date(2026, 4, 1), source=SOURCE
        )
        assert parameters_as_of(dt.date(2026, 4, 1), prefix="kokuho.")["rates"] == rates


def test_rows_cannot_be_updated_by_the_app_role(tenant: Tenant) -> None:
    with tenant_scope(tenant.code):
        parameter_set(
            key="zei_kojin.city_rate", value=0.07, effective_from=dt.date(2026, 4, 1), source=SOURCE
        )
        with (
            pytest.raises(Exception) as caught,
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("UPDATE platform_tenantparameter SET value = '0.01'")
        assert isinstance(caught.value.__cause__, psycopg.errors.InsufficientPrivilege)


def test_the_cli_sets_shows_and_lists_history(tenant: Tenant) -> None:
    def run(*args: str) -> object:
        out = io.StringIO()
        call_command("params", *args, "--tenant", tenant.code, stdout=out)
        return json.loads(out.getvalue())

    run(
        "set",
        "--key",
        "zei_kojin.pref_rate",
        "--value",
        "0.04025",
        "--from",
        "2026-04-01",
        "--source",
        "県税条例",
    )
    shown = run("show", "--as-of", "2026-04-01", "--prefix", "zei_kojin.")
    assert shown["parameters"]["zei_kojin.pref_rate"] == 0.04025
    assert shown["parameters"]["zei_kojin.city_rate"] == 0.06
    assert "kokuho.rates" not in shown["parameters"]
    before = run("show", "--as-of", "2026-03-31", "--prefix", "zei_kojin.pref_rate")
    assert before["parameters"] == {"zei_kojin.pref_rate": 0.04}
    [row] = run("history", "--key", "zei_kojin.pref_rate")  # type: ignore[misc]
    assert row["source"] == "県税条例" and row["recorded_by"] == "cli"
    with pytest.raises(Exception, match="--from"):
        run(
            "set",
            "--key",
            "zei_kojin.pref_rate",
            "--value",
            "0.04",
            "--from",
            "R8.4.1",
            "--source",
            "x",
        )
