"""Synthetic residents for demos, tests and benchmarks (``kyodo seed``).

Generation is pure (``seeding.generator``); this module only writes. On PostgreSQL the rows go
through COPY into temporary tables and then one INSERT … SELECT each, because COPY FROM is not
allowed on tables with row-level security while a set-based INSERT is (and still passes the
policy's WITH CHECK). On SQLite (the demo) it uses bulk_create. All in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from kyodo.atena.models import Household, Person
from kyodo.atena.numbering import with_check_digit
from kyodo.atena.seeding.generator import SyntheticHousehold, SyntheticPerson, generate
from kyodo.atena.services import number_block
from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Tenant
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import Actor, tenant_scope

MAX_RESIDENTS = 5_000_000
Progress = Callable[[str], None]

HOUSEHOLD_COLUMNS = ("id", "tenant_id", "household_no", "postal_code", "town", "banchi", "katagaki")
PERSON_COLUMNS = (
    "id",
    "tenant_id",
    "atena_no",
    "household_id",
    "family_name",
    "given_name",
    "family_kana",
    "given_kana",
    "birth_date",
    "sex",
    "relationship",
)
SEX_CODES = {"M": 1, "F": 2}


@dataclass(frozen=True)
class SeedResult:
    tenant: str
    households: int
    residents: int


def seed_residents(
    *,
    tenant_code: str,
    residents: int,
    seed: int = 0,
    as_of: dt.date | None = None,
    actor: Actor | None = None,
    progress: Progress = lambda message: None,
) -> SeedResult:
    if (
        isinstance(residents, bool)
        or not isinstance(residents, int)
        or not (1 <= residents <= MAX_RESIDENTS)
    ):
        raise ValidationFailed(f"住民数は1〜{MAX_RESIDENTS:,}です", field="residents")
    if not Tenant.objects.filter(code=tenant_code).exists():
        raise ValidationFailed(f"団体 {tenant_code} は登録されていません", field="tenant")
    as_of = as_of or dt.date.today()  # noqa: DTZ011  (a calendar date in Japan's only zone)
    progress(f"generating {residents:,} residents …")
    households, persons = generate(
        tenant_code=tenant_code, residents=residents, seed=seed, as_of=as_of
    )
    with tenant_scope(tenant_code, actor=actor, purpose="synthetic data"):
        household_nos = [with_check_digit(b) for b in number_block("household", len(households))]
        atena_nos = [with_check_digit(b) for b in number_block("person", len(persons))]
        progress(f"writing {len(households):,} households and {len(persons):,} persons …")
        if connection.vendor == "postgresql":
            _write_copy(tenant_code, households, persons, household_nos, atena_nos)
        else:
            _write_orm(households, persons, household_nos, atena_nos)
        record(
            AuditAction.CHANGE,
            object_type="atena.seed",
            object_id=tenant_code,
            detail={"households": len(households), "residents": len(persons), "seed": seed},
        )
    progress("done")
    return SeedResult(tenant_code, len(households), len(persons))


def _person_values(p: SyntheticPerson) -> tuple[Any, ...]:
    return (
        p.family_name,
        p.given_name,
        p.family_kana,
        p.given_kana,
        p.birth_date,
        SEX_CODES[p.sex],
        p.relationship,
    )


def _write_orm(
    households: Sequence[SyntheticHousehold],
    persons: Sequence[SyntheticPerson],
    household_nos: list[int],
    atena_nos: list[int],
) -> None:
    created = Household.objects.bulk_create(
        [
            Household(
                household_no=no,
                postal_code=h.postal_code,
                town=h.town,
                banchi=h.banchi,
                katagaki=h.katagaki,
                tenant_id=_tenant(),
            )
            for h, no in zip(households, household_nos, strict=True)
        ],
        batch_size=2000,
    )
    rows = []
    for p, no in zip(persons, atena_nos, strict=True):
        fam, giv, fkana, gkana, birth, sex, rel = _person_values(p)
        rows.append(
            Person(
                atena_no=no,
                household_id=created[p.household_index].pk,
                family_name=fam,
                given_name=giv,
                family_kana=fkana,
                given_kana=gkana,
                birth_date=birth,
                sex=sex,
                relationship=rel,
                tenant_id=_tenant(),
            )
        )
    Person.objects.bulk_create(rows, batch_size=2000)


def _tenant() -> str:
    from kyodo.platform.tenancy.context import require_tenant_code

    return require_tenant_code()


def _reserve_ids(cursor: Any, table: str, count: int) -> list[int]:
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, count],
    )
    return [row[0] for row in cursor.fetchall()]


def _copy_then_insert(cursor: Any, table: str, columns: Sequence[str], rows: Any) -> None:
    cols = ", ".join(columns)
    cursor.execute(
        f"CREATE TEMP TABLE seed_{table} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP"
    )
    with cursor.copy(f"COPY seed_{table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    cursor.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM seed_{table}")
    cursor.execute(f"DROP TABLE seed_{table}")  # several seeds may share one transaction


def _write_copy(
    tenant_code: str,
    households: Sequence[SyntheticHousehold],
    persons: Sequence[SyntheticPerson],
    household_nos: list[int],
    atena_nos: list[int],
) -> None:
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg cursor, for COPY
        household_ids = _reserve_ids(cursor, Household._meta.db_table, len(households))
        person_ids = _reserve_ids(cursor, Person._meta.db_table, len(persons))
        _copy_then_insert(
            cursor,
            Household._meta.db_table,
            HOUSEHOLD_COLUMNS,
            (
                (hid, tenant_code, no, h.postal_code, h.town, h.banchi, h.katagaki)
                for hid, no, h in zip(household_ids, household_nos, households, strict=True)
            ),
        )
        _copy_then_insert(
            cursor,
            Person._meta.db_table,
            PERSON_COLUMNS,
            (
                (pid, tenant_code, no, household_ids[p.household_index], *_person_values(p))
                for pid, no, p in zip(person_ids, atena_nos, persons, strict=True)
            ),
        )
