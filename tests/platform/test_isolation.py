"""Tenant isolation in depth: the ORM scope, PostgreSQL row-level security, composite keys, and
the HTTP surface (a property test over random municipalities, persons and guessed IDs)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyodo.atena.models import Household, Person
from kyodo.atena.services import next_number
from kyodo.platform.errors import NoTenantSelected, ValidationFailed
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.platform.tenancy.guard import POLICY
from kyodo.platform.tenancy.registry import tenant_owned_models
from kyodo.platform.tenancy.services import tenant_create
from kyodo.units.juki.services.common import Address
from kyodo.units.juki.services.inputs import MemberInput
from kyodo.units.juki.services.tenyu import TenyuRequest, tenyu
from tests.conftest import app_connection, new_tenant_code


def add_person(family: str = "山田", given: str = "太郎", kana: str = "ヤマダ") -> Person:
    household = Household.objects.create(
        household_no=next_number("household"), town="本町", banchi="1-2-3"
    )
    return Person.objects.create(
        atena_no=next_number("person"),
        household=household,
        family_name=family,
        given_name=given,
        family_kana=kana,
        given_kana="タロウ",
        birth_date=dt.date(1980, 4, 1),
        sex=1,
        relationship="世帯主",
    )


# --- the schema -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_tenant_owned_table_has_forced_rls_and_the_policy() -> None:
    tables = [m._meta.db_table for m in tenant_owned_models()]
    assert {"atena_person", "atena_household"} <= set(tables)
    with connection.cursor() as cursor:
        for table in [*tables, "platform_auditrecord", "platform_auditchainhead"]:
            cursor.execute(
                "SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE relname = %s",
                [table],
            )
            assert cursor.fetchone() == (True, True), table
            cursor.execute(
                "SELECT count(*) FROM pg_policies WHERE tablename = %s AND policyname = %s",
                [table, POLICY],
            )
            assert cursor.fetchone() == (1,), table


@pytest.mark.django_db
def test_every_tenant_owned_primary_and_unique_key_leads_with_the_tenant() -> None:
    with connection.cursor() as cursor:
        for model in tenant_owned_models():
            cursor.execute(
                """SELECT conname, (SELECT array_agg(attname ORDER BY ord) FROM unnest(conkey)
                   WITH ORDINALITY k(n, ord) JOIN pg_attribute a ON a.attnum = k.n
                   AND a.attrelid = conrelid) FROM pg_constraint
                   WHERE conrelid = %s::regclass AND contype IN ('p', 'u')""",
                [model._meta.db_table],
            )
            for name, columns in cursor.fetchall():
                assert columns[0] == "tenant_id", (model, name, columns)


@pytest.mark.django_db
def test_the_application_role_is_powerless() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles "
            "WHERE rolname = current_user"
        )
        assert cursor.fetchone() == (False, False, False, False)
        cursor.execute("SELECT count(*) FROM pg_tables WHERE tableowner = current_user")
        assert cursor.fetchone() == (0,)


# --- the ORM scope ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_tenant_owned_queries_refuse_to_run_without_a_tenant() -> None:
    with pytest.raises(NoTenantSelected):
        list(Person.objects.all())


@pytest.mark.django_db
def test_scoped_manager_and_rls_show_only_the_current_tenant(make_tenant: Callable) -> None:
    a, b = make_tenant(name="甲市"), make_tenant(name="乙町")
    with tenant_scope(a.code):
        mine = add_person(family="甲野")
    with tenant_scope(b.code):
        add_person(family="乙川")
        assert [p.family_name for p in Person.objects.all()] == ["乙川"]
        # Even the unscoped manager (no ORM filter) sees only B: that is RLS at work.
        assert [p.family_name for p in Person.unscoped.all()] == ["乙川"]
        assert not Person.unscoped.filter(pk=mine.pk).exists()
    # No tenant set: raw SQL sees no tenant rows at all.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM atena_person")
        assert cursor.fetchone() == (0,)
        cursor.execute("SELECT count(*) FROM atena_household")
        assert cursor.fetchone() == (0,)


@pytest.mark.django_db
def test_a_row_cannot_be_saved_into_another_tenant(make_tenant: Callable) -> None:
    a, b = make_tenant(), make_tenant()
    with tenant_scope(a.code):
        person = add_person()
    with tenant_scope(b.code):
        person.family_name = "改竄"
        with pytest.raises(ValidationFailed, match="他団体"):
            person.save()
        # Even bypassing the ORM's check, RLS refuses the row (WITH CHECK) and hides A's rows.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE atena_person SET family_name = 'x' WHERE id = %s", [person.pk])
            assert cursor.rowcount == 0
        with (
            pytest.raises(Exception, match="row-level security"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                "INSERT INTO atena_numbersequence (tenant_id, name, last_body) VALUES (%s, 'x', 0)",
                [a.code],
            )


@pytest.mark.django_db
def test_a_reference_cannot_cross_tenants(make_tenant: Callable) -> None:
    a, b = make_tenant(), make_tenant()
    with tenant_scope(b.code):
        foreign_household = Household.objects.create(household_no=17, town="x", banchi="1")
    with tenant_scope(a.code):
        person = add_person()
        # The composite key (tenant_id, household_id) → (tenant_id, id) rejects B's household.
        with pytest.raises(IntegrityError), transaction.atomic():
            Person.objects.filter(pk=person.pk).update(household_id=foreign_household.pk)
            connection.check_constraints()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@pytest.mark.django_db
def test_unique_keys_are_per_tenant(make_tenant: Callable) -> None:
    a, b = make_tenant(), make_tenant()
    for tenant in (a, b):
        with tenant_scope(tenant.code):
            Household.objects.create(household_no=42, town="本町", banchi="1")
    with tenant_scope(a.code), pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.create(household_no=42, town="本町", banchi="2")


# --- committed data, seen from independent connections -----------------------------------------


def test_raw_sql_on_a_fresh_connection_sees_only_the_set_tenant(committed_db: None) -> None:
    a = tenant_create(code=new_tenant_code(), name="甲市", population=10)
    b = tenant_create(code=new_tenant_code(), name="乙市", population=10)
    with tenant_scope(a.code):
        add_person(family="甲野")
    with tenant_scope(b.code):
        add_person(family="乙川")
        add_person(family="乙山")
    with app_connection() as conn:
        assert conn.execute("SELECT count(*) FROM atena_person").fetchone() == (0,)
        with conn.transaction():
            conn.execute("SELECT set_config('kyodo.tenant', %s, true)", [b.code])
            names = sorted(r[0] for r in conn.execute("SELECT family_name FROM atena_person"))
            assert names == ["乙山", "乙川"]
            assert conn.execute(
                "SELECT count(*) FROM atena_person WHERE tenant_id = %s", [a.code]
            ).fetchone() == (0,)
        # The setting was transaction-local: gone after commit.
        assert conn.execute("SELECT count(*) FROM atena_person").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
            conn.execute("SELECT set_config('kyodo.tenant', %s, true)", [b.code])
            conn.execute(
                "INSERT INTO atena_numbersequence (tenant_id, name, last_body) VALUES (%s, 'x', 0)",
                [a.code],
            )


def _db_tenant() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('kyodo.tenant', true)")
        return cursor.fetchone()[0] or None


def test_a_scope_leaves_no_tenant_behind_on_its_connection(committed_db: None) -> None:
    a = tenant_create(code=new_tenant_code(), name="甲市", population=10)
    b = tenant_create(code=new_tenant_code(), name="乙市", population=10)
    with tenant_scope(a.code):
        add_person(family="甲野")
        with tenant_scope(b.code):  # a nested scope of another municipality hands A back
            assert _db_tenant() == b.code
        assert _db_tenant() == a.code
        assert Person.objects.count() == 1
    # The outermost scope committed: its transaction-local setting ended with it.
    assert _db_tenant() is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM atena_person")
        assert cursor.fetchone() == (0,)


# --- the HTTP surface: a property test --------------------------------------------------------

names = st.sampled_from(
    [
        ("佐藤", "サトウ"),
        ("鈴木", "スズキ"),
        ("髙橋", "タカハシ"),
        ("渡邉", "ワタナベ"),
        ("葛\U000e0102西", "カサイ"),
    ]
)


def move_in(family: str, kana: str, birth: dt.date) -> int:
    outcome = tenyu(
        TenyuRequest(
            moved_on=dt.date(2026, 4, 1),
            notified_on=dt.date(2026, 4, 1),
            address=Address(town="本町", banchi="1"),
            previous_address="東京都",
            members=[
                MemberInput(
                    family_name=family,
                    given_name="一",
                    family_kana=kana,
                    given_kana="ハジメ",
                    birth_date=birth,
                    sex=1,
                    relationship="世帯主",
                )
            ],
        )
    )
    return outcome.records[0].atena_no


@pytest.mark.django_db
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    layout=st.lists(st.lists(names, min_size=1, max_size=3), min_size=2, max_size=3),
    guessed=st.lists(st.integers(min_value=1, max_value=10**9), max_size=4),
)
def test_a_clerk_reaches_nothing_of_another_municipality(
    make_account: Callable, layout: list[list[tuple[str, str]]], guessed: list[int]
) -> None:
    with transaction.atomic():
        tenants: list[Tenant] = []
        people: dict[str, list[tuple[int, str, str]]] = {}
        for persons in layout:
            tenant = tenant_create(code=new_tenant_code(), name="試験市", population=1)
            tenants.append(tenant)
            with tenant_scope(tenant.code):
                people[tenant.code] = [
                    (move_in(f, k, dt.date(1950 + i, 1, 1)), f, k)
                    for i, (f, k) in enumerate(persons)
                ]
        for tenant in tenants:
            clerk = make_account(tenant, roles=("atena.manage", "juki.manage"))
            client = Client()
            client.force_login(clerk)
            own = {n for n, _f, _k in people[tenant.code]}
            others = [p for code, ps in people.items() if code != tenant.code for p in ps]
            # Listing and searching: only own persons, whatever the query.
            for query in {*(k for _n, _f, k in others), *(f for _n, f, _k in others)}:
                found = client.get("/api/v1/persons", {"q": query}).json()["results"]
                assert {r["atena_no"] for r in found} <= own
            # Reading, changing or issuing for another municipality's person, or any guessed
            # number, by URL: refused.
            for atena_no in [n for n, _f, _k in others] + guessed:
                if atena_no in own:
                    continue
                assert client.get(f"/api/v1/persons/{atena_no}").status_code == 404
                assert client.get(f"/api/v1/persons/{atena_no}/history").status_code == 404
                assert client.get(f"/atena/persons/{atena_no}/").status_code == 404
                death = client.post(
                    f"/api/v1/idou/persons/{atena_no}/death",
                    {"died_on": "2026-05-01"},
                    content_type="application/json",
                )
                assert death.status_code == 422
                issued = client.post(
                    "/api/v1/certificates",
                    {
                        "atena_no": atena_no,
                        "kind": "juminhyo",
                        "requester": "本人",
                        "purpose": "試験",
                    },
                    content_type="application/json",
                )
                assert issued.status_code == 422 and issued["Content-Type"] != "application/pdf"
            # Own persons are readable (the test can fail the other way too).
            for atena_no in own:
                assert client.get(f"/api/v1/persons/{atena_no}").status_code == 200
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_tenant_owned_row_is_tied_to_an_existing_municipality() -> None:
    """Either the table's own tenant_id → municipality key, or (ADR 0015) a composite key on a
    required column to a table that is itself tied — never neither."""
    tied = {"platform_tenant"}
    keys: dict[str, list[tuple[str, bool]]] = {}
    with connection.cursor() as cursor:
        for model in tenant_owned_models():
            table = model._meta.db_table
            cursor.execute(
                """SELECT confrelid::regclass::text, array_length(conkey, 1),
                          bool_and(a.attnotnull)
                     FROM pg_constraint c JOIN pg_attribute a
                       ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)
                    WHERE c.conrelid = %s::regclass AND c.contype = 'f'
                    GROUP BY c.oid, confrelid, conkey""",
                [table],
            )
            keys[table] = [
                (target, notnull)
                for target, width, notnull in cursor.fetchall()
                if (target == "platform_tenant" and width == 1) or width == 2
            ]
    for _ in range(len(keys)):  # resolve chains of composite keys
        tied |= {t for t, ks in keys.items() if any(k in tied and nn for k, nn in ks)}
    assert set(keys) <= tied, sorted(set(keys) - tied)
    assert any("platform_tenant" not in [k for k, _ in ks] for ks in keys.values())  # 0015 ran


@pytest.mark.django_db
def test_a_delivery_cannot_point_at_another_municipalitys_event(make_tenant: Callable) -> None:
    """The composite key that made the delivery's own tenant key redundant still refuses it."""
    from django.db import IntegrityError, transaction

    from kyodo.linkage.models import Delivery, OutboxEvent

    a, b = make_tenant(name="甲市"), make_tenant(name="乙町")
    with tenant_scope(a.code):
        theirs = OutboxEvent.objects.create(name="juki.corrected", atena_no=1, payload={})
    with pytest.raises(IntegrityError), tenant_scope(b.code), transaction.atomic():
        Delivery.objects.create(event_id=theirs.pk, subscriber="kokuho", atena_no=1)
        connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
