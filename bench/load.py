"""Load benchmark (issue 7 §5): counter clerks of 20 municipalities holding 2,000,000 residents
together — search, view, move-in, certificate — through the HTTP API for 10 minutes.

Target: ≥ 50 requests/s held for 10 minutes on this 2-core machine with p95 ≤ 150 ms for
reads (search, view), ≤ 300 ms for writes (move-in, certificate) and no errors. The server is
gunicorn (sync workers) in front of the application role; Locust drives it from the same
machine (its CPU counts against the budget). Each clerk sends at random moments (Poisson
arrivals, bench/locustfile.py), so the run holds KYODO_LOAD_RATE requests/s unless the server
falls behind.

Baseline in the same run: the same number of bare ``GET /healthz`` requests per second for a
minute before the load (the server and HTTP stack alone), reported as its p95.

Run: ``bench/run.sh load`` (throwaway PostgreSQL). Environment: KYODO_LOAD_RESIDENTS (default
2,000,000), KYODO_LOAD_TENANTS (20), KYODO_LOAD_RATE (55) or KYODO_LOAD_RATES (several
points after one seeding, e.g. "20,30,40"), KYODO_LOAD_SECONDS (600),
KYODO_LOAD_USERS (60 clerks), KYODO_LOAD_WORKERS (gunicorn workers, 2 × cores + 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.config.settings")
django.setup()

import psycopg  # noqa: E402

from bench.common import fresh_code  # noqa: E402
from kyodo.platform.accounts.services import account_create  # noqa: E402
from kyodo.platform.models import Tenant  # noqa: E402
from kyodo.platform.tenancy.services import tenant_create  # noqa: E402
from kyodo.units.juki.seed import seed_residents  # noqa: E402

RESIDENTS = int(os.environ.get("KYODO_LOAD_RESIDENTS", "2000000"))
TENANTS = int(os.environ.get("KYODO_LOAD_TENANTS", "20"))
# One rate (KYODO_LOAD_RATE) or several against one seeding (KYODO_LOAD_RATES="20,30,40").
RATES = [
    float(r)
    for r in os.environ.get("KYODO_LOAD_RATES", os.environ.get("KYODO_LOAD_RATE", "55")).split(",")
]
SECONDS = int(os.environ.get("KYODO_LOAD_SECONDS", "600"))
USERS = int(os.environ.get("KYODO_LOAD_USERS", "60"))
# gunicorn's own advice for sync workers: 2 × cores + 1, so that one waiting for PostgreSQL
# leaves the CPU to another.
WORKERS = int(os.environ.get("KYODO_LOAD_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
RAMP = 30
PASSWORD = "load-bench-2026-kyodo"  # noqa: S105  (a throwaway database's clerk)
READS, WRITES = ("search", "view"), ("move-in", "certificate")
BIN = Path(sys.executable).parent


def say(message: str) -> None:
    print(message, flush=True)


def seed(rng: random.Random) -> list[dict[str, object]]:
    plan = []
    per = RESIDENTS // TENANTS
    started = time.perf_counter()
    for i in range(TENANTS):
        code = fresh_code(rng)
        tenant_create(code=code, name=f"負荷{i + 1}市", population=per)
        seed_residents(tenant_code=code, residents=per, seed=2026 + i, as_of=dt.date(2026, 4, 1))
        username = f"load.clerk.{code}"
        account_create(
            username=username, password=PASSWORD, tenant=Tenant.objects.get(code=code),
            roles=["atena.view", "juki.manage"], check_password_strength=False,
        )  # fmt: skip
        plan.append({"code": code, "username": username})
        say(f"  seeded {i + 1}/{TENANTS}: {code}, {per:,} residents "
            f"({time.perf_counter() - started:.0f} s)")  # fmt: skip
    with psycopg.connect(os.environ["DATABASE_OWNER_URL"], autocommit=True) as owner:
        owner.execute("VACUUM (ANALYZE)")
    with psycopg.connect(os.environ["DATABASE_URL"]) as db:
        for muni in plan:
            with db.transaction():
                db.execute("SELECT set_config('kyodo.tenant', %s, true)", [muni["code"]])
                rows = db.execute(
                    "SELECT DISTINCT ON (atena_no) atena_no, family_kana, given_kana"
                    " FROM juki_juminrecord ORDER BY atena_no, rireki_no DESC LIMIT 400"
                ).fetchall()
            muni["view"] = [r[0] for r in rows]
            muni["queries"] = [
                f"{f} {g[:2]}" if g and i % 2 else f for i, (_, f, g) in enumerate(rows)
            ]
    return plan


def start_server(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "kyodo.config.wsgi:application", "-b", f"127.0.0.1:{port}",
         "-w", str(WORKERS), "--access-logfile", "-", "--log-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not start")


def baseline(port: int, rate: float) -> float:
    """p95 of bare GET /healthz at the same rate, for 60 s (ms)."""
    times = []
    gap = 1 / rate
    end = time.monotonic() + 60
    while time.monotonic() < end:
        t = time.perf_counter()
        urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10).read()
        took = time.perf_counter() - t
        times.append(took * 1000)
        time.sleep(max(0.0, gap - took))
    times.sort()
    return times[int(len(times) * 0.95)]


def measure(port: int, rate: float, work: Path) -> bool:
    """One point: the baseline, then SECONDS of clerks at ``rate``; prints and returns the
    verdict (every limit met, no errors, ≥ 50/s)."""
    base = baseline(port, rate)
    say(f"baseline GET /healthz at {rate:g}/s: p95 {base:.1f} ms")
    prefix = f"load_{rate:g}"
    env = {**os.environ, "KYODO_LOAD_PLAN": str(work / "plan.json"),
           "KYODO_LOAD_USERS": str(USERS), "KYODO_LOAD_RATE": str(rate)}  # fmt: skip
    subprocess.run(
        # Warm-up: clerks log in over RAMP seconds (password hashing is deliberately slow);
        # the statistics restart when the last one has (bench/locustfile.py), and the
        # measured SECONDS begin.
        [str(BIN / "locust"), "-f", "bench/locustfile.py", "--headless", "--users",
         str(USERS), "--spawn-rate", f"{USERS / RAMP:g}", "--run-time", f"{SECONDS + RAMP}s",
         "--host", f"http://127.0.0.1:{port}", "--csv", str(work / prefix),
         "--only-summary", "--loglevel", "WARNING"],
        env=env, check=False,
    )  # fmt: skip
    with open(work / f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = {r["Name"]: r for r in csv.DictReader(stats)}
    ok = True
    limits_met = True
    for name in (*READS, *WRITES):
        r = rows.get(name)
        if r is None:
            say(f"{name}: no requests")
            ok = limits_met = False
            continue
        limit = 150 if name in READS else 300
        p95 = float(r["95%"])
        failures = int(r["Failure Count"])
        met = p95 <= limit and failures == 0
        limits_met &= met
        verdict = "met" if met else "MISSED"
        say(f"{name:12} {int(r['Request Count']):7,} requests, {float(r['Requests/s']):5.1f}/s, "
            f"p95 {p95:5.0f} ms (≤ {limit}), failures {failures}: {verdict}")  # fmt: skip
    total = rows["Aggregated"]
    held = float(total["Requests/s"])
    failures = int(total["Failure Count"])
    ok = limits_met and held >= 50 and failures == 0
    say(f"at {rate:g}/s asked: {held:.1f} requests/s held for {SECONDS} s, {failures} failures, "
        f"limits {'met' if limits_met else 'MISSED'}; baseline p95 {base:.1f} ms; "
        f"target ≥ 50/s: {'met' if ok else 'NOT met'}")  # fmt: skip
    return ok


def main() -> None:
    rng = random.Random(2026)
    say(f"== load: {TENANTS} municipalities, {RESIDENTS:,} residents, "
        f"{', '.join(f'{r:g}' for r in RATES)} req/s for {SECONDS} s each, {USERS} clerks, "
        f"gunicorn -w {WORKERS}")  # fmt: skip
    plan = seed(rng)
    work = Path(tempfile.mkdtemp(prefix="kyodo-load-"))
    (work / "plan.json").write_text(json.dumps({"password": PASSWORD, "tenants": plan}))
    port = random.randrange(20000, 40000)
    server = start_server(port)
    try:
        for rate in RATES:  # one seeding, one point per rate
            measure(port, rate, work)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
