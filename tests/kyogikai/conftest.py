"""Fixtures of the consortium tests: a consortium of three members with their 別表."""

from __future__ import annotations

import datetime as dt

import pytest

from kyodo.kyogikai.models import Member, MemberUnit
from kyodo.platform.models import Consortium
from kyodo.platform.tenancy.services import tenant_create
from tests.conftest import new_tenant_code


@pytest.fixture
def consortium() -> Consortium:
    consortium = Consortium.objects.create(slug=f"c{new_tenant_code()}", name="試験協議会")
    rows = [("射水市", 94_000, 200_000_000, ["juki", "kokuho", "zei_kojin"]),
            ("舟橋村", 3_000, 22_000_000, ["juki"]),
            ("入善町", 26_000, 50_000_000, ["juki", "kokuho"])]  # fmt: skip
    for name, population, cost, units in rows:
        tenant = tenant_create(code=new_tenant_code(), name=name, population=population)
        member = Member.objects.create(
            consortium=consortium,
            tenant_code=tenant.code,
            name=name,
            population=population,
            current_cost=cost,
            joined_on=dt.date(2020, 4, 1),
        )
        for unit in units:
            MemberUnit.objects.create(member=member, unit=unit, start_fy=2020)
    return consortium
