"""Synthetic residents for demos, tests and benchmarks (``kyodo seed``).

Generation is pure (``kyodo.atena.seeding``); this module writes what a real registry holds for
each person: the 宛名 projection with its search keys, the 世帯, and the first 住民票 snapshot,
all under one 職権記載 異動 ("synthetic data"). On PostgreSQL the rows go through COPY into
temporary tables and then one INSERT … SELECT per table, because COPY FROM is refused on
tables with row-level security while a set-based INSERT is allowed (and still passes the
policy's WITH CHECK). On SQLite (the demo) it uses bulk_create. All in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
from django.utils import timezone

from kyodo.atena.itaiji import canonical
from kyodo.atena.juminhyo_code import get_source
from kyodo.atena.models import Household, Person, PersonKind, SearchKey
from kyodo.atena.names import full_name
from kyodo.atena.numbering import with_check_digit
from kyodo.atena.search import name_keys
from kyodo.atena.seeding.generator import SyntheticHousehold, SyntheticPerson, generate
from kyodo.atena.services import number_block
from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Tenant
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import Actor, tenant_scope
from kyodo.units.juki.models import IDOU_GROUPS, Idou, IdouKind, JuminRecord, Status

MAX_RESIDENTS = 5_000_000
Row = dict[str, Any]
SEX_CODES = {"M": 1, "F": 2}
Progress = Callable[[str], None]


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
    as_of = as_of or timezone.localdate()
    progress(f"generating {residents:,} residents …")
    households, persons = generate(
        tenant_code=tenant_code, residents=residents, seed=seed, as_of=as_of
    )
    with tenant_scope(tenant_code, actor=actor, purpose="synthetic data"):
        writer = _Writer(tenant_code, households, persons, as_of)
        progress(f"writing {len(households):,} households and {len(persons):,} persons …")
        writer.write()
        record(
            AuditAction.CHANGE,
            object_type="juki.seed",
            object_id=tenant_code,
            detail={"households": len(households), "residents": len(persons), "seed": seed},
        )
    progress("done")
    return SeedResult(tenant_code, len(households), len(persons))


class _Writer:
    def __init__(
        self,
        tenant: str,
        households: Sequence[SyntheticHousehold],
        persons: Sequence[SyntheticPerson],
        as_of: dt.date,
    ) -> None:
        self.tenant, self.households, self.persons, self.as_of = tenant, households, persons, as_of
        self.household_nos = [
            with_check_digit(b) for b in number_block("household", len(households))
        ]
        self.atena_nos = [with_check_digit(b) for b in number_block("person", len(persons))]
        source = get_source()
        self.codes = [source.allocate(tenant) for _ in persons]
        self.idou = Idou.objects.create(
            kind=IdouKind.SHOKKEN_KISAI, idou_date=as_of, processed_by="seed", note="synthetic data"
        )

    def _moved_in(self, index: int) -> dt.date:
        """A deterministic date the household settled here (0–39 years before as_of)."""
        return self.as_of - dt.timedelta(days=(index * 7919) % (40 * 365))

    def _values(self) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
        households: list[Row] = []
        persons: list[Row] = []
        records: list[Row] = []
        search_keys: list[Row] = []
        heads = {}
        for i, h in enumerate(self.households):
            households.append(
                {
                    "tenant_id": self.tenant,
                    "household_no": self.household_nos[i],
                    "postal_code": h.postal_code,
                    "town": h.town,
                    "banchi": h.banchi,
                    "katagaki": h.katagaki,
                }
            )
            head = self.persons[h.head_index]
            heads[i] = full_name(head.family_name, head.given_name)
        for j, p in enumerate(self.persons):
            h = self.households[p.household_index]
            address = f"{h.town}{h.banchi}" + (f"\u3000{h.katagaki}" if h.katagaki else "")
            jumin = max(p.birth_date, self._moved_in(p.household_index))
            keys = name_keys(p.family_name, p.given_name, p.family_kana, p.given_kana)
            search_keys += [
                {"tenant_id": self.tenant, "atena_no": self.atena_nos[j], "kind": kind, "key": key}
                for kind, values in ((SearchKey.KANA, keys.kana), (SearchKey.NAME, keys.name))
                for key in values
            ]
            persons.append(
                {
                    "tenant_id": self.tenant,
                    "atena_no": self.atena_nos[j],
                    "household_index": p.household_index,
                    "kind": PersonKind.JUMIN,
                    "family_name": p.family_name,
                    "given_name": p.given_name,
                    "family_kana": p.family_kana,
                    "given_kana": p.given_kana,
                    "alpha_name": "",
                    "tsusho": "",
                    "birth_date": p.birth_date,
                    "sex": SEX_CODES[p.sex],
                    "relationship": p.relationship,
                    "outside_address": "",
                    "search_kana": " ".join(keys.kana),
                    "search_name": " ".join(keys.name),
                    "search_address": canonical(address),
                    "my_number": "",
                    "my_number_index": "",
                    "juminhyo_code": self.codes[j],
                }
            )
            records.append(
                {
                    "tenant_id": self.tenant,
                    "atena_no": self.atena_nos[j],
                    "rireki_no": 1,
                    "idou_id": self.idou.pk,
                    "idou_kind": IdouKind.SHOKKEN_KISAI,
                    "idou_group": IDOU_GROUPS[IdouKind.SHOKKEN_KISAI],
                    "idou_date": jumin,
                    "notified_on": None,
                    "status": Status.JUMIN,
                    "household_no": self.household_nos[p.household_index],
                    "setainushi_name": heads[p.household_index],
                    "zokugara": p.relationship,
                    "family_name": p.family_name,
                    "given_name": p.given_name,
                    "family_kana": p.family_kana,
                    "given_kana": p.given_kana,
                    "kana_confirmed": False,
                    "kyuuji": "",
                    "kyuuji_kana": "",
                    "birth_date": p.birth_date,
                    "sex": SEX_CODES[p.sex],
                    "postal_code": h.postal_code,
                    "town": h.town,
                    "banchi": h.banchi,
                    "katagaki": h.katagaki,
                    "jumin_date": jumin,
                    "address_date": jumin,
                    "previous_address": "",
                    "before_move_address": "",
                    "honseki": "",
                    "hittousha": "",
                    "juminhyo_code": self.codes[j],
                    "nationality": "JP",
                    "alpha_name": "",
                    "tsusho": "",
                    "foreign": "{}",
                    "flags": "{}",
                    "tenshutsu_yotei_date": None,
                    "destination_address": "",
                    "shojo_date": None,
                    "shojo_reason": "",
                }
            )
        return households, persons, records, search_keys

    def write(self) -> None:
        households, persons, records, keys = self._values()
        if connection.vendor == "postgresql":
            self._write_copy(households, persons, records, keys)
        else:
            self._write_orm(households, persons, records, keys)

    def _write_orm(
        self, households: list[Row], persons: list[Row], records: list[Row], keys: list[Row]
    ) -> None:
        created = Household.objects.bulk_create(
            [Household(**h) for h in households], batch_size=2000
        )
        rows = []
        for p in persons:
            index = p.pop("household_index")
            rows.append(Person(household_id=created[index].pk, **p))
        Person.objects.bulk_create(rows, batch_size=2000)
        for r in records:
            r["foreign"], r["flags"] = {}, {}
        JuminRecord.objects.bulk_create([JuminRecord(**r) for r in records], batch_size=2000)
        SearchKey.objects.bulk_create([SearchKey(**k) for k in keys], batch_size=5000)

    def _write_copy(
        self, households: list[Row], persons: list[Row], records: list[Row], keys: list[Row]
    ) -> None:
        with connection.cursor() as django_cursor:
            cursor = django_cursor.cursor  # the psycopg cursor, for COPY
            household_ids = _reserve_ids(cursor, Household, len(households))
            for h, pk in zip(households, household_ids, strict=True):
                h["id"] = pk
            _copy_then_insert(cursor, Household, households)
            for p, pk in zip(persons, _reserve_ids(cursor, Person, len(persons)), strict=True):
                p["id"] = pk
                p["household_id"] = household_ids[p.pop("household_index")]
            _copy_then_insert(cursor, Person, persons)
            for table, rows in ((JuminRecord, records), (SearchKey, keys)):
                for row, pk in zip(rows, _reserve_ids(cursor, table, len(rows)), strict=True):
                    row["id"] = pk
                _copy_then_insert(cursor, table, rows)


def _reserve_ids(cursor: Any, model: type[models.Model], count: int) -> list[int]:
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [model._meta.db_table, count],
    )
    return [row[0] for row in cursor.fetchall()]


def _copy_then_insert(
    cursor: Any, model: type[models.Model], rows: Iterable[dict[str, Any]]
) -> None:
    table = model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields]
    cols = ", ".join(f'"{c}"' for c in columns)  # quoted: "foreign" is a reserved word
    cursor.execute(f"CREATE TEMP TABLE seed_{table} (LIKE {table}) ON COMMIT DROP")
    with cursor.copy(f"COPY seed_{table} ({cols}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])
    cursor.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM seed_{table}")
    cursor.execute(f"DROP TABLE seed_{table}")  # several seeds may share one transaction
