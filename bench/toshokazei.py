"""Benchmark: 個人住民税の当初課税 of 1,000,000 taxpayers end to end (issue 5: < 120 s).

Setup (not timed): a fresh municipality with N persons (宛名 only: the batch reads birth dates)
and their 課税資料 — a 給与支払報告書 for about 75 % (families with spouses and dependants, some
switched to 普通徴収) and a 公的年金等支払報告書 for about 30 % — written with COPY, then
VACUUM (ANALYZE)d: in production the 課税資料 are loaded weeks before the batch, so autovacuum
does not start on them in the middle of it.

Timed, in the same run:
- **baseline**: a bare read-and-write of the same rows — every 課税資料 row read through the ORM
  (values_list) and as many rows of the assessments' width written with COPY into a temporary
  copy of the assessment table;
- **toshokazei**: the production batch (`toshokazei(year)`, vectorised chunks): read, compute,
  decide 徴収方法 and 期別, write the assessments with COPY, publish one hub event per
  taxpayer (with a delivery per subscriber), audit each chunk, record progress.

Run: `bench/run.sh toshokazei` (throwaway PostgreSQL). Environment: KYODO_BENCH_TAXPAYERS
(default 1,000,000), KYODO_BENCH_CHUNK (default 50,000), KYODO_BENCH_WORKERS (default 2: the
machine's two cores; ``--workers`` of ``kyodo zei_kojin toshokazei``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import faulthandler

import django

if os.environ.get("KYODO_BENCH_WATCHDOG"):
    faulthandler.dump_traceback_later(int(os.environ["KYODO_BENCH_WATCHDOG"]), exit=True)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.config.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from bench.common import fresh_code, settle  # noqa: E402
from kyodo.atena.models import Person  # noqa: E402
from kyodo.platform.bulk import copy_insert, with_ids  # noqa: E402
from kyodo.platform.tenancy.context import tenant_scope, tenant_session  # noqa: E402
from kyodo.platform.tenancy.services import tenant_create  # noqa: E402
from kyodo.units.zei_kojin.models import Kazei, KazeiShiryo  # noqa: E402
from kyodo.units.zei_kojin.toshokazei import Progress, toshokazei  # noqa: E402

N = int(os.environ.get("KYODO_BENCH_TAXPAYERS", "1000000"))
CHUNK = int(os.environ.get("KYODO_BENCH_CHUNK", "50000"))
WORKERS = int(os.environ.get("KYODO_BENCH_WORKERS", "2"))
YEAR = 2026
TARGET_SECONDS = 120.0


def setup(code: str, rng: random.Random) -> None:
    now = dt.datetime.now(dt.UTC)
    with tenant_scope(code), transaction.atomic():
        persons = []
        shiryo = []
        for n in range(N):
            birth = dt.date(rng.randint(1936, 2005), rng.randint(1, 12), rng.randint(1, 28))
            persons.append(
                {
                    "tenant_id": code, "atena_no": 10_000 + n, "household_id": None,
                    "kind": "jumin", "family_name": "試験", "given_name": f"{n}",
                    "family_kana": "シケン", "given_kana": "タロウ", "alpha_name": "",
                    "tsusho": "", "birth_date": birth, "sex": 1 + n % 2,
                    "relationship": "世帯主", "outside_address": "", "search_kana": "",
                    "search_name": "", "search_address": "", "juminhyo_code": "",
                    "my_number": "", "my_number_index": "",
                }
            )  # fmt: skip
            base = {
                "tenant_id": code, "fiscal_year": YEAR, "atena_no": 10_000 + n,
                "source": "bench", "line": n + 2, "received_at": now, "received_by": "bench",
            }  # fmt: skip
            if birth.year > 1960 or rng.random() < 0.2:
                salary = int(rng.lognormvariate(15.2, 0.6)) // 1000 * 1000
                deps = [
                    {"birth_date": f"{rng.randint(2003, 2024)}-04-01", "income": 0,
                     "cohabiting": False}
                    for _ in range(rng.choice([0, 0, 1, 2, 3]))
                ]  # fmt: skip
                data = {
                    "name": "", "birth_date": birth.isoformat(), "salary_income": salary,
                    "social_insurance": salary * 15 // 100, "dependents": deps,
                    "new_general": rng.choice([0, 40000, 80000]),
                }  # fmt: skip
                if rng.random() < 0.45:
                    data["spouse_birth_date"] = f"{birth.year + rng.randint(-3, 3)}-06-01"
                    data["spouse_income"] = rng.choice([0, 0, 500000, 1200000])
                shiryo.append(
                    base
                    | {
                        "kind": "kyuyo", "payer_no": f"{1000 + n % 5000}", "payer_name": "会社",
                        "data": data, "futsu_reason": "退職" if rng.random() < 0.1 else "",
                    }
                )  # fmt: skip
            if birth.year <= 1961:
                shiryo.append(
                    base
                    | {
                        "kind": "nenkin", "payer_no": "0001", "payer_name": "年金機構",
                        "data": {
                            "name": "", "birth_date": birth.isoformat(),
                            "pension_income": rng.choice([780000, 1500000, 2400000, 3600000]),
                            "social_insurance": 60000,
                        },
                        "futsu_reason": "",
                    }
                )  # fmt: skip
        copy_insert(Person, with_ids(Person, persons))
        copy_insert(KazeiShiryo, with_ids(KazeiShiryo, shiryo))
    print(f"setup: {N:,} persons, {len(shiryo):,} 課税資料 rows", flush=True)


def baseline(code: str) -> float:
    """Read every 課税資料 row and write as many assessment-wide rows with COPY, in the same
    slices of 宛名番号 as the batch (a server-side cursor cannot stay open across a COPY)."""
    start = time.perf_counter()
    with tenant_scope(code), transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute("CREATE TEMP TABLE bench_out (atena_no bigint, calc jsonb, inst jsonb)")
        for low in range(10_000, 10_000 + N, CHUNK):
            rows = list(
                KazeiShiryo.objects.filter(
                    fiscal_year=YEAR, atena_no__gte=low, atena_no__lt=low + CHUNK
                ).values_list("atena_no", "id", "kind", "data", "payer_no", "futsu_reason")
            )
            with cursor.copy("COPY bench_out FROM STDIN") as copy:
                for atena_no, _pk, _kind, data, _payer, _reason in rows:
                    copy.write_row([atena_no, json.dumps(data), json.dumps([data] * 2)])
        cursor.execute("DROP TABLE bench_out")
    return time.perf_counter() - start


def main() -> None:
    rng = random.Random(2026)
    code = fresh_code(random.Random())  # a new municipality each run; the data is seeded
    tenant_create(code=code, name="試験市", population=N)
    setup(code, rng)
    settled = settle("atena_person", "zei_kojin_kazeishiryo")
    print(f"VACUUM (ANALYZE) of the seeded tables (not timed): {settled:.1f} s", flush=True)
    base = baseline(code)
    print(f"baseline (read every 課税資料 row, COPY as many rows out): {base:.1f} s", flush=True)
    start = time.perf_counter()
    progress = []

    def report(step: Progress) -> None:
        progress.append(step)
        print(f"  {time.perf_counter() - start:6.1f} s  {step.done:>9,}", flush=True)

    with tenant_session(code):  # a transaction per chunk, as the CLI runs it
        run = toshokazei(YEAR, chunk=CHUNK, workers=WORKERS, progress=report)
    took = time.perf_counter() - start
    with tenant_scope(code):
        assessed = Kazei.objects.count()
        taxed = Kazei.objects.filter(total__gt=0).count()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"toshokazei: {assessed:,} assessed ({taxed:,} with tax) in {took:.1f} s "
        f"({assessed / took:,.0f}/s), {len(progress)} chunks, {WORKERS} workers; "
        f"peak RSS {peak:,.0f} MiB (this process), {worker_peak:,.0f} MiB (largest worker)",
        flush=True,
    )
    verdict = "met" if took < TARGET_SECONDS else "NOT met"
    print(
        f"ratio toshokazei/baseline: {took / base:.1f}x; target < {TARGET_SECONDS:.0f} s: {verdict}"
    )
    assert run.done == assessed


if __name__ == "__main__":
    main()
