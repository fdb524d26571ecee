"""Seeding synthetic residents into PostgreSQL (COPY through a temporary table)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

import pytest

from kyodo.atena.models import Household, Person
from kyodo.atena.numbering import is_valid
from kyodo.atena.seeding.generator import generate
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.juki.models import JuminRecord
from kyodo.units.juki.seed import seed_residents

AS_OF = dt.date(2026, 11, 26)


@pytest.mark.django_db
def test_seed_writes_coherent_households(make_tenant: Callable) -> None:
    tenant = make_tenant()
    result = seed_residents(tenant_code=tenant.code, residents=500, seed=7, as_of=AS_OF)
    assert result.residents == 500
    with tenant_scope(tenant.code):
        assert Person.objects.count() == 500
        assert Household.objects.count() == result.households
        heads = Counter(
            Person.objects.filter(relationship="世帯主").values_list("household_id", flat=True)
        )
        assert set(heads.values()) == {1}
        assert len(heads) == result.households
        assert all(is_valid(n) for n in Person.objects.values_list("atena_no", flat=True))
        assert all(is_valid(n) for n in Household.objects.values_list("household_no", flat=True))
        assert not Person.objects.filter(birth_date__gt=AS_OF).exists()
        # Each person has a first 住民票 snapshot matching the 宛名 projection.
        records = {r.atena_no: r for r in JuminRecord.objects.all()}
        assert len(records) == 500
        for person in Person.objects.select_related("household"):
            snapshot = records[person.atena_no]
            assert snapshot.rireki_no == 1 and snapshot.status == "jumin"
            assert snapshot.household_no == person.household.household_no
            assert (
                snapshot.juminhyo_code == person.juminhyo_code and len(person.juminhyo_code) == 11
            )
            assert snapshot.birth_date <= snapshot.jumin_date <= AS_OF
            assert person.search_kana and person.search_name


@pytest.mark.django_db
def test_seed_writes_exactly_what_the_generator_made_and_adds_to_existing(
    make_tenant: Callable,
) -> None:
    tenant = make_tenant()
    seed_residents(tenant_code=tenant.code, residents=50, seed=3, as_of=AS_OF)
    _, expected = generate(tenant_code=tenant.code, residents=50, seed=3, as_of=AS_OF)

    def people() -> list[tuple]:
        with tenant_scope(tenant.code):
            return list(
                Person.objects.order_by("atena_no").values_list(
                    "atena_no", "family_name", "given_name", "birth_date"
                )
            )

    rows = people()
    assert [r[1:] for r in rows] == [(p.family_name, p.given_name, p.birth_date) for p in expected]
    seed_residents(tenant_code=tenant.code, residents=10, seed=4, as_of=AS_OF)
    more = people()
    assert len(more) == 60 and len({row[0] for row in more}) == 60  # numbers continue
    assert more[:50] == rows


@pytest.mark.django_db
@pytest.mark.parametrize("residents", [0, -1, 5_000_001])
def test_seed_rejects_bad_counts(make_tenant: Callable, residents: int) -> None:
    tenant = make_tenant()
    with pytest.raises(ValidationFailed, match="住民数"):
        seed_residents(tenant_code=tenant.code, residents=residents)
    with tenant_scope(tenant.code):
        assert not Person.objects.exists()


@pytest.mark.django_db
def test_seed_rejects_an_unknown_municipality() -> None:
    with pytest.raises(ValidationFailed, match="登録されていません"):
        seed_residents(tenant_code="131016", residents=5)
