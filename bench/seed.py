"""Benchmark: `kyodo seed` of 100,000 residents (target: under 60 s on this 2-core machine).

Reported next to a baseline measured in the same run: a bare COPY of the same rows into an
unindexed table without row-level security. The ratio is the figure that matters on a noisy
machine; the absolute time is checked against the target.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.config.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from bench.common import fresh_code  # noqa: E402
from kyodo.atena.seeding.generator import generate  # noqa: E402
from kyodo.platform.tenancy.services import tenant_create  # noqa: E402
from kyodo.units.juki.seed import seed_residents  # noqa: E402

RESIDENTS = int(os.environ.get("KYODO_BENCH_RESIDENTS", "100000"))
ROUNDS = int(os.environ.get("KYODO_BENCH_ROUNDS", "3"))
AS_OF = dt.date(2026, 11, 26)
TARGET_SECONDS = 60.0


def bare_copy(persons: list, households: list) -> float:
    """COPY the same rows into plain temporary tables: the floor for moving this data."""
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute(
            "CREATE TEMP TABLE bare_h (id bigint, t text, no bigint, pc text, town "
            "text, banchi text, kata text) ON COMMIT DROP"
        )
        cursor.execute(
            "CREATE TEMP TABLE bare_p (id bigint, t text, no bigint, h bigint, fam "
            "text, giv text, fk text, gk text, bd date, sex int, rel text) "
            "ON COMMIT DROP"
        )
        with cursor.copy("COPY bare_h FROM STDIN") as copy:
            for i, h in enumerate(households):
                copy.write_row((i, "000000", i, h.postal_code, h.town, h.banchi, h.katagaki))
        with cursor.copy("COPY bare_p FROM STDIN") as copy:
            for i, p in enumerate(persons):
                copy.write_row(
                    (
                        i,
                        "000000",
                        i,
                        p.household_index,
                        p.family_name,
                        p.given_name,
                        p.family_kana,
                        p.given_kana,
                        p.birth_date,
                        1,
                        p.relationship,
                    )
                )
    return time.perf_counter() - started


def main() -> int:
    rng = random.Random(2026)
    seeds, copies, gens = [], [], []
    for round_no in range(ROUNDS):
        code = fresh_code(rng)
        while True:
            try:
                tenant_create(code=code, name=f"ベンチ{round_no}", population=RESIDENTS)
                break
            except Exception:
                code = fresh_code(rng)
        started = time.perf_counter()
        households, persons = generate(
            tenant_code=code, residents=RESIDENTS, seed=round_no, as_of=AS_OF
        )
        gens.append(time.perf_counter() - started)
        copies.append(bare_copy(persons, households))
        started = time.perf_counter()
        seed_residents(tenant_code=code, residents=RESIDENTS, seed=round_no, as_of=AS_OF)
        seeds.append(time.perf_counter() - started)
        print(
            f"round {round_no + 1}: seed {seeds[-1]:.2f} s, generate only {gens[-1]:.2f} s, "
            f"bare COPY {copies[-1]:.2f} s"
        )
    seed_s, copy_s = statistics.median(seeds), statistics.median(copies)
    print(
        f"kyodo seed, {RESIDENTS:,} residents: median {seed_s:.2f} s "
        f"({RESIDENTS / seed_s:,.0f} residents/s); generation alone {statistics.median(gens):.2f} s"
    )
    print(f"baseline bare COPY of the same rows: median {copy_s:.2f} s")
    print(f"ratio seed / bare COPY: {seed_s / copy_s:.1f}x")
    ok = seed_s < TARGET_SECONDS * RESIDENTS / 100_000
    print(f"target < {TARGET_SECONDS:.0f} s per 100,000: {'MET' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
