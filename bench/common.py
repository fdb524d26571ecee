"""Shared by the benchmarks (import after ``django.setup()``)."""

from __future__ import annotations

import os
import random
import time

import psycopg

from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.codes import check_digit


def fresh_code(rng: random.Random) -> str:
    """A valid 全国地方公共団体コード no municipality of this database uses yet."""
    while True:
        body = f"{rng.randrange(1, 48):02d}{rng.randrange(100, 1000):03d}"
        code = body + str(check_digit(body))
        if not Tenant.objects.filter(code=code).exists():
            return code


def settle(*tables: str) -> float:
    """VACUUM (ANALYZE) freshly loaded ``tables`` and ANALYZE the rest, as the owner role, and
    return the seconds it took. VACUUM sets the visibility map and hint bits now, so autovacuum
    does not start on them in the middle of a measurement — in production such rows were
    loaded days before — and ANALYZE gives the planner their statistics."""
    started = time.perf_counter()
    with psycopg.connect(os.environ["DATABASE_OWNER_URL"], autocommit=True) as owner:
        for table in tables:
            owner.execute(f"VACUUM (ANALYZE) {table}")
        owner.execute("ANALYZE")
    return time.perf_counter() - started
