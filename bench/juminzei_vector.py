"""Benchmark: 個人住民税 of 1,000,000 taxpayers, vectorised (issue 5).

Target: the computation alone over 1,000,000 taxpayers in < 10 s
(``kyodo.rules.juminzei.vector.calculate_columns``, FY2026 law data).

1,000,000 synthetic taxpayers (default) are generated as columns, roughly like a city's 課税資料:
two thirds of working age, a third 65 or over; salaries log-normal around 400万 with a tail of
part-time work below 160万, pensions around 190万 for nearly everyone from 65, some business or
property income; social insurance about 15% of salary; life-insurance premiums of each kind;
a spouse for about half (most without income or with part-time income), up to four relatives
(children by the taxpayer's age, some students with part-time income, some elderly parents
living with them), and a few percent of 障害者, 寡婦, ひとり親, 勤労学生 and 生活扶助.

Measured (median of 3, all on the same data in the same run):

- **vector**: ``calculate_columns`` over all rows (input checks included);
- **baseline**: a bare read-and-write of the same data: a copy of every input column and the
  filling of as many int64 output columns as the result has. No computation can take less, and
  it moves the same bytes through the same memory, so vector / baseline is what to compare
  across runs on a noisy machine;
- for comparison, the scalar calculator (``calculate_household``, which also builds the trail)
  on the first 10,000 rows (default), with its amounts checked against the vector result.

Pure numpy, no database: ``.venv/bin/python bench/juminzei_vector.py`` (or
``bench/run.sh juminzei_vector``). Environment: KYODO_BENCH_TAXPAYERS (default 1,000,000),
KYODO_BENCH_SCALAR_SAMPLE (default 10,000), KYODO_BENCH_REPEAT (default 3).
"""

from __future__ import annotations

import dataclasses
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np

from kyodo.rules.juminzei import calculate_household
from kyodo.rules.juminzei.household import (
    DISABILITIES,
    Household,
    LifeInsurance,
    Municipality,
    Relative,
    Taxpayer,
)
from kyodo.rules.juminzei.vector import Columns, VectorResult, calculate_columns

TAXPAYERS = int(os.environ.get("KYODO_BENCH_TAXPAYERS", "1000000"))
SAMPLE = int(os.environ.get("KYODO_BENCH_SCALAR_SAMPLE", "10000"))
REPEAT = int(os.environ.get("KYODO_BENCH_REPEAT", "3"))
FISCAL_YEAR = 2026
TARGET_S = 10.0
SLOTS = 4  # relatives per taxpayer, at most
MUNICIPALITY = Municipality(
    designated_city=False,
    kyuchi=1,
    city_rate=Decimal("0.06"),
    pref_rate=Decimal("0.04"),
    city_kintouwari=3000,
    pref_kintouwari=1000,
)


def lognormal(rng: np.random.Generator, median: float, sigma: float, n: int) -> np.ndarray:
    return (median * rng.lognormal(0.0, sigma, n)).astype(np.int64)


def generate(n: int, seed: int = 20261126) -> Columns:
    rng = np.random.default_rng(seed)
    c = Columns.zeros(n, SLOTS)
    age = np.where(rng.random(n) < 0.66, rng.integers(18, 65, n), rng.integers(65, 101, n))
    c.age[:] = age

    # Salaries: most of working age, some up to 75; a part-time tail below 160万.
    salaried = rng.random(n) < np.select([age < 65, age < 75], [0.88, 0.3], 0.04)
    part_time = rng.random(n) < 0.22
    salary = np.where(
        part_time, rng.integers(300_000, 1_600_000, n), lognormal(rng, 4_000_000, 0.55, n)
    )
    c.salary_income[:] = np.where(salaried, salary, 0)
    pensioned = rng.random(n) < np.select([age >= 65, age >= 60], [0.96, 0.15], 0.0)
    c.pension_income[:] = np.where(pensioned, lognormal(rng, 1_900_000, 0.45, n), 0)
    c.other_income[:] = np.where(rng.random(n) < 0.08, lognormal(rng, 1_500_000, 1.0, n), 0)
    c.social_insurance[:] = (
        c.salary_income * rng.uniform(0.13, 0.16, n)
        + c.pension_income * 0.09
        + c.other_income * 0.10
    ).astype(np.int64)
    c.small_business_mutual_aid[:] = np.where(rng.random(n) < 0.02, 240_000, 0)

    def premium(share: float, high: int) -> np.ndarray:
        return np.where(rng.random(n) < share, rng.integers(6_000, high, n), 0)

    c.life_new_general[:] = premium(0.55, 150_000)
    c.life_new_pension[:] = premium(0.25, 120_000)
    c.life_care_medical[:] = premium(0.40, 100_000)
    c.life_old_general[:] = premium(0.20, 150_000)
    c.life_old_pension[:] = premium(0.08, 120_000)

    c.male[:] = rng.random(n) < 0.5
    c.disability[:] = rng.choice([0, 1, 2], n, p=[0.96, 0.03, 0.01])
    status = rng.random(n)
    c.single_parent[:] = (status < 0.015) & (age < 65)
    c.widow[:] = (status >= 0.015) & (status < 0.045) & ~c.male
    c.working_student[:] = (age < 25) & (rng.random(n) < 0.05)
    c.public_assistance[:] = rng.random(n) < 0.01

    # A spouse for about half; most without income or with part-time income.
    c.spouse_present[:] = (rng.random(n) < np.where(age < 30, 0.2, 0.6)) & ~c.single_parent
    c.spouse_age[:] = np.clip(age + rng.integers(-5, 6, n), 18, 100)
    spouse_kind = rng.random(n)
    c.spouse_income[:] = np.select(
        [spouse_kind < 0.45, spouse_kind < 0.75],
        [0, rng.integers(0, 1_400_000, n)],
        lognormal(rng, 2_500_000, 0.5, n),
    )
    c.spouse_disability[:] = rng.choice([0, 1, 2, 3], n, p=[0.97, 0.015, 0.01, 0.005])

    # Relatives: children by the taxpayer's age, sometimes an elderly parent.
    children = np.where(
        (age >= 22) & (age < 65), rng.choice([0, 1, 2, 3, 4], n, p=[0.45, 0.2, 0.25, 0.08, 0.02]), 0
    )
    slot = np.arange(SLOTS)
    child = slot[None, :] < children[:, None]
    child_age = np.clip(age[:, None] - rng.integers(22, 42, (n, SLOTS)), 0, 30)
    parent = ~child & (slot[None, :] == children[:, None]) & (rng.random((n, 1)) < 0.06)
    c.dependent_present[:] = child | parent
    c.dependent_age[:] = np.where(parent, rng.integers(70, 100, (n, SLOTS)), child_age)
    c.dependent_cohabiting_parent[:] = parent & (rng.random((n, SLOTS)) < 0.6)
    working = rng.random((n, SLOTS)) < np.where(c.dependent_age >= 16, 0.3, 0.0)
    c.dependent_income[:] = np.where(working, rng.integers(0, 1_300_000, (n, SLOTS)), 0)
    c.dependent_disability[:] = rng.choice([0, 1, 2, 3], (n, SLOTS), p=[0.98, 0.01, 0.006, 0.004])
    return c


def household_of(c: Columns, i: int) -> Household:
    """Row ``i`` as the scalar calculator's input."""
    spouse = None
    if c.spouse_present[i]:
        spouse = Relative(
            "spouse",
            int(c.spouse_age[i]),
            int(c.spouse_income[i]),
            DISABILITIES[c.spouse_disability[i]],
        )
    dependents = tuple(
        Relative(
            f"dependents[{j}]",
            int(c.dependent_age[i, j]),
            int(c.dependent_income[i, j]),
            DISABILITIES[c.dependent_disability[i, j]],
            bool(c.dependent_cohabiting_parent[i, j]),
        )
        for j in range(c.dependent_present.shape[1])
        if c.dependent_present[i, j]
    )
    taxpayer = Taxpayer(
        age=int(c.age[i]),
        salary_income=int(c.salary_income[i]),
        pension_income=int(c.pension_income[i]),
        other_income=int(c.other_income[i]),
        social_insurance=int(c.social_insurance[i]),
        life_insurance=LifeInsurance(
            int(c.life_old_general[i]),
            int(c.life_old_pension[i]),
            int(c.life_new_general[i]),
            int(c.life_new_pension[i]),
            int(c.life_care_medical[i]),
        ),
        small_business_mutual_aid=int(c.small_business_mutual_aid[i]),
        widow=bool(c.widow[i]),
        single_parent=bool(c.single_parent[i]),
        disability=DISABILITIES[c.disability[i]],
        working_student=bool(c.working_student[i]),
        sex="M" if c.male[i] else "F",
        public_assistance=bool(c.public_assistance[i]),
    )
    return Household(FISCAL_YEAR, MUNICIPALITY, taxpayer, spouse, dependents)


def timed(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median wall time of ``repeat`` runs, and the last run's value."""
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def bare_pass(c: Columns) -> list[np.ndarray]:
    """Read every input column and write as many output columns as the result has."""
    copies = [np.copy(getattr(c, f.name)) for f in dataclasses.fields(Columns)]
    outputs = []
    for _ in dataclasses.fields(VectorResult):
        out = np.empty(len(c), dtype=np.int64)
        out.fill(1)
        outputs.append(out)
    return copies + outputs


def main() -> int:
    start = time.perf_counter()
    columns = generate(TAXPAYERS)
    generation = time.perf_counter() - start
    megabytes = sum(getattr(columns, f.name).nbytes for f in dataclasses.fields(Columns)) / 1e6
    print(f"taxpayers: {TAXPAYERS:,} (generated in {generation:.2f} s, {megabytes:.0f} MB)")
    print(
        f"  with salary {np.count_nonzero(columns.salary_income):,}, pension "
        f"{np.count_nonzero(columns.pension_income):,}, spouse "
        f"{np.count_nonzero(columns.spouse_present):,}, relatives "
        f"{int(columns.dependent_present.sum()):,}"
    )

    vector_s, result = timed(lambda: calculate_columns(columns, MUNICIPALITY, FISCAL_YEAR), REPEAT)
    baseline_s, _ = timed(lambda: bare_pass(columns), REPEAT)
    taxed = int(np.count_nonzero(result.total))
    print(
        f"vector: {vector_s:.3f} s ({TAXPAYERS / vector_s:,.0f} taxpayers/s; median of {REPEAT}); "
        f"{taxed:,} pay something, {int(np.count_nonzero(~result.hikazei_shotokuwari)):,} "
        f"pay 所得割, {int(result.scalar.sum()):,} left to the scalar path"
    )
    print(
        f"baseline (copy of the {len(dataclasses.fields(Columns))} input columns + "
        f"{len(dataclasses.fields(VectorResult))} output columns written): {baseline_s:.3f} s"
    )
    print(f"ratio vector / baseline: {vector_s / baseline_s:.1f}×")
    verdict = "met" if vector_s < TARGET_S else "MISSED"
    print(f"target < {TARGET_S:.0f} s: {verdict} ({TARGET_S / vector_s:.1f}× under)")

    sample = min(SAMPLE, TAXPAYERS)
    households = [household_of(columns, i) for i in range(sample)]
    start = time.perf_counter()
    scalar = [calculate_household(h) for h in households]
    scalar_s = time.perf_counter() - start
    per_row = scalar_s / sample
    print(
        f"scalar calculate_household on {sample:,} rows: {scalar_s:.2f} s "
        f"({per_row * 1000:.3f} ms each; {per_row * TAXPAYERS:,.0f} s for {TAXPAYERS:,}); "
        f"vector is {per_row * TAXPAYERS / vector_s:,.0f}× faster per taxpayer"
    )
    mismatches = sum(
        (
            r["city"]["shotokuwari"],
            r["city"]["kintouwari"],
            r["pref"]["shotokuwari"],
            r["pref"]["kintouwari"],
            r["forest_env_tax"],
            r["total"],
        )
        != (
            int(result.city_shotokuwari[i]),
            int(result.city_kintouwari[i]),
            int(result.pref_shotokuwari[i]),
            int(result.pref_kintouwari[i]),
            int(result.forest_env_tax[i]),
            int(result.total[i]),
        )
        for i, r in enumerate(scalar)
    )
    print(f"scalar vs vector on the sample: {mismatches} rows differ")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:,.0f} MB")
    return 1 if mismatches or verdict != "met" else 0


if __name__ == "__main__":
    sys.exit(main())
