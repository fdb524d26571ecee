"""Benchmark: importing a コンビニ payment-result file (issue 5: 100,000 rows matched in < 10 s).

Each round uses a fresh municipality: 25,000 synthetic residents, each with a 個人住民税 notice
of four installments (100,000 調定), and a 速報 file paying every installment once (100,000
rows, each matched by its barcode to its 調定). Timed end to end in-process: reading and
checking every record (check digits included), finding the 調定, the idempotency lookup, 消込,
writing the 収納 and 消込 rows, the audit record and the commit.

Baseline in the same run: a bare COPY of the same 100,000 payment rows (the same columns as
``shuno_shuno``) into an unindexed temporary table without row-level security, committed.
Also shown: re-importing the same file (everything already loaded, nothing written) and the
確報 that confirms the 速報.
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
from django.db.models import Sum  # noqa: E402
from django.utils import timezone  # noqa: E402

from kyodo.atena.models import Person  # noqa: E402
from kyodo.platform.models import Tenant  # noqa: E402
from kyodo.platform.tenancy.codes import check_digit  # noqa: E402
from kyodo.platform.tenancy.context import tenant_scope  # noqa: E402
from kyodo.platform.tenancy.services import tenant_create  # noqa: E402
from kyodo.units.juki.seed import seed_residents  # noqa: E402
from kyodo.units.shuno import konbini_file  # noqa: E402
from kyodo.units.shuno.barcode import build  # noqa: E402
from kyodo.units.shuno.freefield import NoticeRef, encode  # noqa: E402
from kyodo.units.shuno.models import Keshikomi, ShunoKakuho  # noqa: E402
from kyodo.units.shuno.services.chotei import (  # noqa: E402
    ChoteiRequest,
    KibetsuInput,
    chotei_create_many,
)
from kyodo.units.shuno.services.payment_import import import_payments  # noqa: E402

ROWS = int(os.environ.get("KYODO_BENCH_ROWS", "100000"))
ROUNDS = int(os.environ.get("KYODO_BENCH_ROUNDS", "3"))
TARGET_SECONDS = 10.0
COMPANY = "912345"
FY = 2026
DUES = (dt.date(2026, 6, 30), dt.date(2026, 8, 31), dt.date(2026, 10, 31), dt.date(2027, 2, 1))
CREATED = dt.date(2026, 6, 30)


def new_tenant(rng: random.Random, residents: int) -> str:
    while True:
        body = f"{rng.randrange(1, 48):02d}{rng.randrange(100, 1000):03d}"
        code = body + str(check_digit(body))
        if not Tenant.objects.filter(code=code).exists():
            tenant_create(code=code, name="収納ベンチ", population=residents)
            return code


def ledger(code: str, rng: random.Random) -> tuple[list[konbini_file.Payment], float]:
    """100,000 調定 (25,000 notices × 4 installments) and a 速報 paying each installment."""
    with tenant_scope(code):
        atena_nos = sorted(Person.objects.values_list("atena_no", flat=True))
    requests, payments = [], []
    for notice_no, atena_no in enumerate(atena_nos, start=1):
        annual = rng.randrange(40, 4_000) * 100
        amounts = [annual - 3 * (annual // 4)] + [annual // 4] * 3  # the remainder in 第1期
        requests.append(
            ChoteiRequest(
                tax_kind="juminzei_futsu",
                fiscal_year=FY,
                notice_no=notice_no,
                atena_no=atena_no,
                assessed_on=dt.date(2026, 6, 1),
                installments=tuple(
                    KibetsuInput(kibetsu=k, amount=a, due_date=d)
                    for k, (a, d) in enumerate(zip(amounts, DUES, strict=True), start=1)
                ),
            )
        )
        for kibetsu, (amount, due) in enumerate(zip(amounts, DUES, strict=True), start=1):
            free = encode(NoticeRef(code, "juminzei_futsu", FY, notice_no, kibetsu))
            payments.append(
                konbini_file.Payment(
                    receipt_no=str(len(payments) + 1),
                    paid_on=dt.date(2026, 6, 1) + dt.timedelta(days=rng.randrange(29)),
                    paid_time=f"{rng.randrange(24):02d}{rng.randrange(60):02d}",
                    store_code=f"{rng.randrange(10**8):08d}",
                    data=build(
                        company_code=COMPANY,
                        free=free,
                        reissue=0,
                        due_date=due,
                        stamp=0,
                        amount=amount,
                    ),
                    amount=amount,
                )
            )
    started = time.perf_counter()
    with tenant_scope(code):
        chotei_create_many(requests, source="bench")
    return payments, time.perf_counter() - started


def bare_copy(code: str, payments: list[konbini_file.Payment]) -> float:
    """COPY the same payment rows into a plain temporary table and commit: the floor."""
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        cursor.execute(
            "CREATE TEMP TABLE bare_shuno (id bigint, tenant_id text, key text, channel text, "
            "report text, amount bigint, paid_on date, barcode text, atena_no bigint, "
            "held_reason text, held_detail text, "
            "source text, source_line int, recorded_at timestamptz, recorded_by text) "
            "ON COMMIT DROP"
        )
        with cursor.copy("COPY bare_shuno FROM STDIN") as copy:
            for line, p in enumerate(payments, start=2):
                copy.write_row(
                    (
                        line,
                        code,
                        f"konbini:{COMPANY}:{p.receipt_no.rjust(20, '0')}",
                        "konbini",
                        "sokuho",
                        p.amount,
                        p.paid_on,
                        p.data,
                        None,
                        "",
                        "",
                        "bench.txt",
                        line,
                        now,
                        "bench",
                    )
                )
    return time.perf_counter() - started


def timed_import(code: str, content: bytes, name: str) -> tuple[float, object]:
    started = time.perf_counter()
    with tenant_scope(code):  # commit (and the audit append) included
        report = import_payments(content, name=name)
    return time.perf_counter() - started, report


def main() -> int:
    rng = random.Random(2026)
    residents = ROWS // len(DUES)
    imports, copies, parses, reimports, kakuhos = [], [], [], [], []
    for round_no in range(ROUNDS):
        code = new_tenant(rng, residents)
        started = time.perf_counter()
        seed_residents(tenant_code=code, residents=residents, seed=round_no, as_of=CREATED)
        seeded = time.perf_counter() - started
        payments, chotei_s = ledger(code, rng)
        content = konbini_file.render(
            report="sokuho", company_code=COMPANY, created_on=CREATED, payments=payments
        )
        started = time.perf_counter()
        konbini_file.read(content)
        parses.append(time.perf_counter() - started)
        copies.append(bare_copy(code, payments))
        seconds, report = timed_import(code, content, "sokuho.txt")
        imports.append(seconds)
        assert report.applied == len(payments) and not report.issues, report.as_json()["counts"]
        with tenant_scope(code):
            applied = Keshikomi.objects.aggregate(total=Sum("amount"))["total"]
        assert applied == sum(p.amount for p in payments), (applied, "yen lost or doubled")
        seconds, again = timed_import(code, content, "sokuho.txt")
        reimports.append(seconds)
        assert again.already_loaded == len(payments) and not again.written
        kakuho = konbini_file.render(
            report="kakuho",
            company_code=COMPANY,
            created_on=CREATED,
            payments=[
                konbini_file.Payment(**{**vars(p), "transfer_on": dt.date(2026, 7, 7)})
                for p in payments
            ],
        )
        seconds, confirmed = timed_import(code, kakuho, "kakuho.txt")
        kakuhos.append(seconds)
        with tenant_scope(code):
            assert ShunoKakuho.objects.count() == confirmed.confirmed == len(payments)
            assert Keshikomi.objects.aggregate(total=Sum("amount"))["total"] == applied
        print(
            f"round {round_no + 1}: import {imports[-1]:.2f} s (read alone {parses[-1]:.2f} s), "
            f"bare COPY {copies[-1]:.2f} s, re-import {reimports[-1]:.2f} s, "
            f"確報 {kakuhos[-1]:.2f} s; setup: seed {seeded:.1f} s, 調定 {chotei_s:.1f} s"
        )
    import_s, copy_s = statistics.median(imports), statistics.median(copies)
    print(
        f"import-payments, {ROWS:,} rows matched: median {import_s:.2f} s "
        f"({ROWS / import_s:,.0f} rows/s); reading and checking the file alone "
        f"{statistics.median(parses):.2f} s"
    )
    print(f"baseline bare COPY of the same rows: median {copy_s:.2f} s")
    print(f"ratio import / bare COPY: {import_s / copy_s:.1f}x")
    print(
        f"re-import (all already loaded): median {statistics.median(reimports):.2f} s; "
        f"確報 confirming the 速報: median {statistics.median(kakuhos):.2f} s"
    )
    ok = import_s < TARGET_SECONDS * ROWS / 100_000
    print(f"target < {TARGET_SECONDS:.0f} s per 100,000 rows: {'MET' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
