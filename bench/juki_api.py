"""Benchmark: the resident-registry HTTP API on one tenant of 1,000,000 residents (issue 3).

Targets (one client, after warm-up, through the real app server over loopback HTTP):
kana search p95 ≤ 30 ms; person detail p95 ≤ 50 ms; move-in of a 4-person household p95 ≤ 100 ms;
one certificate p95 ≤ 100 ms; bulk issue ≥ 50 pages/s.

Each API figure is reported next to a baseline measured in the same run, interleaved request by
request with the API calls so both see the same machine noise:
- search: the SELECTs the application's search runs (captured in-process from ``person_find``
  with their values) replayed on a psycopg connection as the application role, in a transaction
  with the same tenant setting (so the same row-level security);
- detail: the bare SELECT of the newest 住民票 snapshot;
- move-in: 4 bare INSERTs of a 住民票-like row into a scratch table, in one transaction;
- certificate: a bare in-process ``render_pdf`` of one prepared 4-person certificate;
- bulk issue: ``render_pdf`` of 500 certificates in one call is the floor for
  ``POST /api/v1/certificates/bulk`` (100 households per request, median of 3; the verdict) and,
  for comparison, an in-process ``issue_certificate`` loop (one PDF per certificate).
The ratio (API p95 / bare p95) is the figure to compare across runs on a noisy machine. After
everything, two proposed fixes are measured bare as "what-if" lines (an ordered prefix index for
the kana search, created and dropped on this throwaway database; the certificate font's tables
read once): they are not the application as shipped.

The server is ``kyodo runserver --noreload --nothreading`` (gunicorn is not a dependency), DEBUG
off, connected as the application role. The client logs in through /login/ (CSRF token from the
form, session cookie) and sends each API POST with ``X-CSRFToken`` and a Referer; it opens one
loopback connection per request. Both choices avoid runserver artefacts that would add a flat
20–40 ms per request (see ``start_server`` and ``HttpClient``).

Run: ``bench/run.sh juki_api`` (a throwaway PostgreSQL; DATABASE_URL, DATABASE_OWNER_URL and
KYODO_VAR_DIR set by run.sh). Environment: KYODO_BENCH_RESIDENTS (default 1,000,000),
KYODO_BENCH_N (measured requests per operation, default 200), KYODO_BENCH_WARMUP (default 20),
KYODO_BENCH_MAX_SECONDS (total time guard, default 1800).
"""

from __future__ import annotations

import datetime as dt
import functools
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from unittest import mock

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.config.settings")
django.setup()

import psycopg  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from psycopg.types.json import Jsonb  # noqa: E402

from bench.common import fresh_code, settle  # noqa: E402
from kyodo.atena.kana import fuzzy_kana  # noqa: E402
from kyodo.atena.search import Query as SearchQuery  # noqa: E402
from kyodo.atena.selectors import person_find  # noqa: E402
from kyodo.platform.accounts.services import account_create  # noqa: E402
from kyodo.platform.models import Tenant  # noqa: E402
from kyodo.platform.tenancy.context import Actor, tenant_scope  # noqa: E402
from kyodo.platform.tenancy.services import tenant_create  # noqa: E402
from kyodo.units.juki import issue as issue_module  # noqa: E402
from kyodo.units.juki.certificates import (  # noqa: E402
    Certificate,
    CertificateKind,
    Layout,
    Options,
    PersonEntry,
    mincho,
    page_count,
    render_pdf,
)
from kyodo.units.juki.issue import IssueRequest, issue_certificate  # noqa: E402
from kyodo.units.juki.seed import seed_residents  # noqa: E402

RESIDENTS = int(os.environ.get("KYODO_BENCH_RESIDENTS", "1000000"))
N = int(os.environ.get("KYODO_BENCH_N", "200"))
WARMUP = int(os.environ.get("KYODO_BENCH_WARMUP", "20"))
MAX_SECONDS = int(os.environ.get("KYODO_BENCH_MAX_SECONDS", "1800"))
BULK_CERTIFICATES = 500
ISSUE_LOOP_HOUSEHOLDS = 100
BULK_ROUNDS = 3
AS_OF = dt.date(2026, 11, 26)
TARGETS_MS = {"search": 30.0, "detail": 50.0, "move_in": 100.0, "certificate": 100.0}
BULK_TARGET_PAGES_S = 50.0
LABELS = {
    "search": "kana search  GET /api/v1/persons?q=",
    "detail": "person detail  GET /api/v1/persons/{atena_no}",
    "move_in": "move-in, 4 persons  POST /api/v1/idou/move-in",
    "certificate": "one certificate  POST /api/v1/certificates",
}
BARE_LABELS = {
    "search": "the app's own search SELECTs replayed on psycopg (app role, RLS)",
    "detail": "bare SELECT newest snapshot",
    "move_in": "bare 4 INSERTs, 1 transaction",
    "certificate": "bare render_pdf, 1 certificate",
}
PASSWORD = "bench-password-2026"  # noqa: S105  # throwaway account in a throwaway database
REQUESTER = "本人"
PURPOSE = "ベンチマーク"
DIGIT_KANJI = "〇一二三四五六七八九"
DIGIT_KANA = ["レイ", "イチ", "ニ", "サン", "ヨン", "ゴ", "ロク", "ナナ", "ハチ", "キュウ"]
# What-if (run after the API measurements, on this throwaway database only): an anchored kana
# search served by an ordered btree range scan. Range operators are LEAKPROOF, so unlike LIKE
# they can use an index under row-level security.
PREFIX_INDEX_SQL = (
    "CREATE INDEX bench_search_kana_prefix ON atena_person "
    '(tenant_id, (search_kana COLLATE "C"), atena_no)'
)
PREFIX_SEARCH_SQL = (
    "SELECT atena_no, kind, family_name, given_name, family_kana, given_kana, birth_date, sex, "
    'household_id FROM atena_person WHERE tenant_id = %s AND (search_kana COLLATE "C") >= %s '
    'AND (search_kana COLLATE "C") < %s || chr(1114111) '
    'ORDER BY (search_kana COLLATE "C"), atena_no LIMIT 100'
)
BARE_DETAIL_SQL = (
    "SELECT * FROM juki_juminrecord WHERE atena_no = %s ORDER BY rireki_no DESC LIMIT 1"
)


class BenchTimeout(Exception):
    """The total time guard (KYODO_BENCH_MAX_SECONDS) ran out."""


def _alarm(signum: int, frame: Any) -> None:
    raise BenchTimeout(f"time guard of {MAX_SECONDS} s reached")


def say(message: str) -> None:
    print(message, flush=True)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p95 of 200 values is the 190th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class Series:
    api: list[float] = field(default_factory=list)  # ms
    bare: list[float] = field(default_factory=list)  # ms
    errors: int = 0
    note: str = ""


# -- HTTP client: http.client with keep-alive and a small cookie jar ------------------------------


class HttpClient:
    """One new loopback connection per request (``Connection: close``), like urllib.

    Not keep-alive: Django's runserver writes the response headers and the body in two small
    sends, so on a kept-alive connection the body waits for the client's delayed ACK (Nagle):
    a flat +40 ms on every request that no production server has (measured: /healthz median
    44 ms kept alive, 3.8 ms with a new connection each time). A loopback connect costs ~0.1 ms.
    """

    def __init__(self, host: str, port: int, timeout: float = 60.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.base = f"http://{host}:{port}"
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        headers = {"Referer": self.base + "/", "Accept": "*/*", "Connection": "close"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET" and "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if content_type:
            headers["Content-Type"] = content_type
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, data

    def get(self, path: str) -> tuple[int, http.client.HTTPMessage, bytes]:
        return self.request("GET", path)

    def post_json(self, path: str, payload: Any) -> tuple[int, http.client.HTTPMessage, bytes]:
        return self.request(
            "POST",
            path,
            body=json.dumps(payload, ensure_ascii=False).encode(),
            content_type="application/json",
        )

    def login(self, username: str, password: str) -> None:
        status, _, page = self.get("/login/")
        if status != 200:
            raise RuntimeError(f"GET /login/ → {status}")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if match is None or "csrftoken" not in self.cookies:
            raise RuntimeError("no CSRF token on the login page")
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": match.group(1).decode(),
                "username": username,
                "password": password,
                "otp_token": "",
                "next": "",
            }
        ).encode()
        status, _, body = self.request(
            "POST", "/login/", body=form, content_type="application/x-www-form-urlencoded"
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login failed: {status} {body[:300]!r}")


# -- the app server -------------------------------------------------------------------------------


def code_version() -> str:
    """The commit measured (the tree changes while benchmarks run)."""
    try:
        return subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).resolve().parent,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int, log_path: Path) -> subprocess.Popen[bytes]:
    kyodo = shutil.which("kyodo")
    command = [kyodo] if kyodo else [sys.executable, "-m", "kyodo"]
    # --nothreading: a threaded runserver serves each connection in a new thread, and Django's
    # database connections are per thread, so every request would open (and authenticate, SCRAM)
    # a new PostgreSQL connection: +20 ms that a production server with persistent connections
    # (CONN_MAX_AGE) does not pay. One thread keeps one connection, as a WSGI worker does.
    command += ["runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"]
    env = dict(os.environ)
    env.pop("KYODO_DEBUG", None)  # DEBUG off, as in production
    env.pop("KYODO_DB_ROLE", None)  # the application role, subject to row-level security
    log = log_path.open("wb")
    say(f"starting {' '.join(command[-4:])} (log: {log_path})")
    return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)


def wait_ready(client: HttpClient, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if server.poll() is not None:
            raise RuntimeError(f"app server exited with {server.returncode}")
        try:
            status, _, _ = client.get("/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("app server did not answer /healthz")


def stop_server(server: subprocess.Popen[bytes] | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)
    say(f"app server (pid {server.pid}) stopped")


# -- set-up ---------------------------------------------------------------------------------------


def seed(rng: random.Random) -> str:
    code = fresh_code(rng)
    tenant_create(code=code, name="ベンチ市", population=RESIDENTS)
    started = time.perf_counter()

    def progress(message: str) -> None:
        say(f"  [{time.perf_counter() - started:7.1f} s] seed: {message}")

    result = seed_residents(
        tenant_code=code, residents=RESIDENTS, seed=2026, as_of=AS_OF, progress=progress
    )
    seeded = time.perf_counter() - started
    say(
        f"seeded tenant {code}: {result.residents:,} residents in {result.households:,} "
        f"households in {seeded:.1f} s ({result.residents / seeded:,.0f} residents/s)"
    )
    settled = settle("atena_household", "atena_person", "juki_juminrecord")
    say(f"VACUUM (ANALYZE) + ANALYZE as the owner role: {settled:.1f} s")
    return code


@dataclass(frozen=True)
class Sample:
    atena_no: int
    household_no: int
    family_kana: str
    given_kana: str
    zokugara: str


def sample_residents(db: psycopg.Connection, code: str, count: int) -> list[Sample]:
    with db.transaction():
        db.execute("SELECT set_config('kyodo.tenant', %s, true)", [code])
        db.execute("SELECT setseed(0.2026)")
        rows = db.execute(
            "SELECT atena_no, household_no, family_kana, given_kana, zokugara "
            "FROM juki_juminrecord ORDER BY random() LIMIT %s",
            [count],
        ).fetchall()
    return [Sample(*row) for row in rows]


def household_sizes(db: psycopg.Connection, code: str, samples: list[Sample]) -> list[Sample]:
    """The sampled residents who live in a 4-person household (like the bare certificate)."""
    with db.transaction():
        db.execute("SELECT set_config('kyodo.tenant', %s, true)", [code])
        sizes: dict[int, int] = dict(
            db.execute(
                "SELECT household_no, count(*) FROM juki_juminrecord "
                "WHERE household_no = ANY(%s) GROUP BY household_no",
                [sorted({s.household_no for s in samples})],
            ).fetchall()
        )
    return [s for s in samples if sizes.get(s.household_no) == 4]


def search_queries(rng: random.Random, samples: list[Sample], count: int) -> list[str]:
    """Real kana from the seeded data: a family reading, half the time followed by the start
    of a given-name reading (what a clerk types)."""
    queries = []
    for _ in range(count):
        s = rng.choice(samples)
        if s.given_kana and rng.random() < 0.5:
            queries.append(f"{s.family_kana} {s.given_kana[: rng.randint(1, len(s.given_kana))]}")
        else:
            queries.append(s.family_kana)
    return queries


def kanji_digits(n: int) -> str:
    return "".join(DIGIT_KANJI[int(d)] for d in str(n))


def kana_digits(n: int) -> str:
    return "".join(DIGIT_KANA[int(d)] for d in str(n))


def move_in_payload(n: int, today: dt.date) -> dict[str, Any]:
    """A 4-person household whose names and birth dates are unique to request ``n``."""
    offset = n % 3000

    def member(role: str, sex: str, given: str, given_kana: str, born: dt.date) -> dict[str, Any]:
        return {
            "family_name": "試験",
            "given_name": f"{given}{kanji_digits(n)}",
            "family_kana": "シケン",
            "given_kana": f"{given_kana}{kana_digits(n)}",
            "birth_date": born.isoformat(),
            "sex": sex,
            "relationship": role,
        }

    return {
        "moved_on": (today - dt.timedelta(days=3)).isoformat(),
        "notified_on": today.isoformat(),
        "address": {
            "town": "本町",
            "banchi": f"{n // 50 + 1}番{n % 50 + 1}号",
            "katagaki": "",
            "postal_code": "939-0000",
        },
        "previous_address": "東京都千代田区千代田1番1号",
        "members": [
            member(
                "世帯主", "M", "太郎", "タロウ", dt.date(1975, 1, 1) + dt.timedelta(days=offset)
            ),
            member("妻", "F", "花子", "ハナコ", dt.date(1977, 1, 1) + dt.timedelta(days=offset)),
            member("子", "M", "一郎", "イチロウ", dt.date(2008, 1, 1) + dt.timedelta(days=offset)),
            member("子", "F", "春子", "ハルコ", dt.date(2011, 1, 1) + dt.timedelta(days=offset)),
        ],
    }


def certificates_from_db(
    db: psycopg.Connection, code: str, count: int, rng: random.Random
) -> list[Certificate]:
    """``count`` 4-person 世帯連記 住民票の写し built from real snapshots (issue-like data)."""
    with db.transaction():
        db.execute("SELECT set_config('kyodo.tenant', %s, true)", [code])
        db.execute("SELECT setseed(0.7)")
        rows = db.execute(
            "SELECT family_name, given_name, family_kana, given_kana, birth_date, sex, "
            "jumin_date, address_date, zokugara, previous_address, town, banchi, katagaki, "
            "setainushi_name FROM juki_juminrecord ORDER BY random() LIMIT %s",
            [count * 4],
        ).fetchall()
    name = Tenant.objects.get(code=code).name
    today = timezone.localdate()
    certificates = []
    for i in range(count):
        group = rows[i * 4 : i * 4 + 4]
        head = group[0]
        certificates.append(
            Certificate(
                kind=CertificateKind.JUMINHYO,
                layout=Layout.SETAI_RENKI,
                options=Options(),
                municipality=f"富山県{name}",
                mayor=f"{name}長",
                address=f"富山県{name}{head[10]}{head[11]}"
                + (f"\u3000{head[12]}" if head[12] else ""),
                setainushi=head[13],
                persons=[
                    PersonEntry(
                        name=f"{r[0]}\u3000{r[1]}",
                        name_kana=f"{r[2]}\u3000{r[3]}",
                        birth_date=r[4],
                        sex={1: "男", 2: "女"}.get(r[5], ""),
                        became_resident_on=r[6],
                        address_fixed_on=r[7],
                        zokugara=r[8],
                        previous_address=r[9],
                    )
                    for r in group
                ],
                issue_no=f"{today.year}-{900000 + i:06d}",
                issued_on=today,
            )
        )
    rng.shuffle(certificates)
    return certificates


# -- the bare baselines -------------------------------------------------------------------------


class Bare:
    """Bare work on a psycopg connection as the application role (row-level security on)."""

    def __init__(self, db: psycopg.Connection, code: str) -> None:
        self.db, self.code = db, code
        self.columns: list[str] = []
        self.row: list[Any] = []

    def tenant(self) -> None:
        self.db.execute("SELECT set_config('kyodo.tenant', %s, true)", [self.code])

    def replay(self, statements: list[str]) -> int:
        """The application's own SQL (captured with its literal values), nothing else."""
        rows = 0
        with self.db.transaction():
            self.tenant()
            for sql in statements:
                rows += len(self.db.execute(sql.encode()).fetchall())
        return rows

    def prefix_search(self, key: str) -> int:
        with self.db.transaction():
            self.tenant()
            return len(self.db.execute(PREFIX_SEARCH_SQL, [self.code, key, key]).fetchall())

    def detail(self, atena_no: int) -> int:
        with self.db.transaction():
            self.tenant()
            return len(self.db.execute(BARE_DETAIL_SQL, [atena_no]).fetchall())

    def prepare_insert(self) -> None:
        with self.db.transaction():
            self.tenant()
            cursor = self.db.execute("SELECT * FROM juki_juminrecord LIMIT 1")
            row = cursor.fetchone()
            assert cursor.description is not None and row is not None
            self.columns = [d.name for d in cursor.description]
            self.row = [Jsonb(v) if isinstance(v, dict | list) else v for v in row]
        self.db.execute(
            "CREATE TEMP TABLE bench_scratch (LIKE juki_juminrecord INCLUDING DEFAULTS)"
        )
        self.db.commit()
        cols = ", ".join(f'"{c}"' for c in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        self.insert_sql = f"INSERT INTO bench_scratch ({cols}) VALUES ({marks})"
        self.id_index = self.columns.index("id")
        self.atena_index = self.columns.index("atena_no")
        self.next_id = 10**12

    def insert4(self) -> None:
        with self.db.transaction():
            for _ in range(4):
                self.next_id += 1
                row = list(self.row)
                row[self.id_index] = row[self.atena_index] = self.next_id
                self.db.execute(self.insert_sql, row)


# -- measurement --------------------------------------------------------------------------------


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return (time.perf_counter() - started) * 1000.0, value


def bulk_api(client: HttpClient, heads: list[Sample]) -> dict[str, float]:
    """POST /api/v1/certificates/bulk: BULK_ROUNDS requests of ISSUE_LOOP_HOUSEHOLDS households
    each (世帯連記, one PDF per request) after a small warm-up; the median round counts."""

    def post(group: list[Sample]) -> tuple[int, float, int]:
        body = [
            {
                "atena_no": s.atena_no,
                "kind": "juminhyo",
                "household": True,
                "requester": REQUESTER,
                "purpose": PURPOSE,
            }
            for s in group
        ]
        started = time.perf_counter()
        status, headers, pdf = client.post_json("/api/v1/certificates/bulk", body)
        seconds = time.perf_counter() - started
        if status != 200 or not pdf.startswith(b"%PDF"):
            say(f"    bulk → {status} {pdf[:200]!r}")
            return status, seconds, 0
        return status, seconds, int(headers.get("X-Kyodo-Pages", "0"))

    say("measuring bulk issue through the API …")
    status, _, _ = post(heads[:5])
    if status in (404, 405):
        say("  POST /api/v1/certificates/bulk is not in this version: skipped")
        return {}
    rounds = []
    for r in range(BULK_ROUNDS):
        group = heads[r * ISSUE_LOOP_HOUSEHOLDS : (r + 1) * ISSUE_LOOP_HOUSEHOLDS]
        if len(group) < ISSUE_LOOP_HOUSEHOLDS:
            break
        status, seconds, pages = post(group)
        if status == 200:
            rounds.append((pages / seconds, seconds, pages))
            say(f"  round {r + 1}: {pages} pages in {seconds:.2f} s, {pages / seconds:.0f} pages/s")
    if not rounds:
        return {"api_failed": 1.0}
    rate, seconds, pages = sorted(rounds)[len(rounds) // 2]
    return {"api_rate": rate, "api_s": seconds, "api_pages": pages, "api_rounds": len(rounds)}


def measure(
    name: str,
    api: Callable[[int], bool],
    bare: Callable[[int], Any],
    deadline: float,
) -> Series:
    """Warm-up, then N interleaved (API, bare) pairs; API failures are counted, not timed."""
    series = Series()
    for i in range(WARMUP):
        api(-1 - i)
        bare(-1 - i)
    for i in range(N):
        if time.monotonic() > deadline:
            series.note = f"stopped after {i} of {N} requests (time guard)"
            break
        started = time.perf_counter()
        ok = api(i)
        ms = (time.perf_counter() - started) * 1000.0
        if ok:
            series.api.append(ms)
        else:
            series.errors += 1
        started = time.perf_counter()
        bare(i)
        series.bare.append((time.perf_counter() - started) * 1000.0)
    say(f"  {name}: {len(series.api)} ok, {series.errors} failed {series.note}")
    return series


def capture_search_sql(code: str, texts: list[str]) -> list[list[str]]:
    """The SELECTs on atena_person that the API's search (``person_find``) runs for each text,
    captured in-process with their literal values, so the bare baseline replays exactly the
    application's queries (and follows them as the application changes)."""
    captured_all = []
    with tenant_scope(code, actor=Actor(username="bench.clerk"), purpose=PURPOSE):
        for text in texts:
            with CaptureQueriesContext(connection) as captured:
                person_find(query=SearchQuery(text=text), purpose=PURPOSE)
            captured_all.append(
                [
                    q["sql"]
                    for q in captured.captured_queries
                    if q["sql"].lstrip().upper().startswith("SELECT")
                    and '"atena_person"' in q["sql"]
                ]
            )
        transaction.set_rollback(True)  # no audit records for the capture
    return captured_all


def explain(db: psycopg.Connection, code: str, sql: str, params: list[Any] | None = None) -> str:
    with db.transaction():
        db.execute("SELECT set_config('kyodo.tenant', %s, true)", [code])
        if params is None:  # a captured statement with its values inline
            rows = db.execute(("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql).encode())
        else:
            rows = db.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        lines = rows.fetchall()
    return "\n".join("    " + r[0] for r in lines)


# -- main -----------------------------------------------------------------------------------------


def main() -> int:  # noqa: PLR0915  # one linear script, phase by phase
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(MAX_SECONDS)
    deadline = time.monotonic() + MAX_SECONDS - 60  # keep a minute for the report
    run_started = time.perf_counter()
    rng = random.Random(2026)
    server = None
    results: dict[str, Series] = {}
    bulk: dict[str, float] = {}
    diagnostics: list[str] = []
    whatif: dict[str, str] = {}
    try:
        say(
            f"== resident registry API benchmark: {RESIDENTS:,} residents, N={N}, "
            f"warm-up {WARMUP}, code {code_version()}, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
        )
        code = seed(rng)
        account_create(
            username="bench.clerk",
            password=PASSWORD,
            tenant=Tenant.objects.get(code=code),
            roles=["atena.view", "juki.manage"],
            check_password_strength=False,
        )
        # prepare_threshold=None: plan every statement with its values, as Django's client-side
        # binding does (no generic plans of prepared statements).
        db = psycopg.connect(os.environ["DATABASE_URL"], prepare_threshold=None)
        samples = sample_residents(db, code, 2000)
        say(f"sampled {len(samples)} residents for queries")

        port = free_port()
        var_dir = Path(os.environ.get("KYODO_VAR_DIR", "var"))
        var_dir.mkdir(parents=True, exist_ok=True)
        server = start_server(port, var_dir / "bench-juki-api-server.log")
        client = HttpClient("127.0.0.1", port)
        wait_ready(client, server)
        client.login("bench.clerk", PASSWORD)
        say(f"app server up on 127.0.0.1:{port}, logged in as bench.clerk")
        bare = Bare(db, code)

        # kana search -----------------------------------------------------------------------
        queries = search_queries(rng, samples, WARMUP + N)
        say("capturing the application's search SQL for the bare baseline …")
        search_sql = capture_search_sql(code, queries)
        hits: list[int] = []

        api_ms_by_query: list[tuple[float, str]] = []

        def search_api(i: int) -> bool:
            q = queries[i]
            started = time.perf_counter()
            status, _, body = client.get("/api/v1/persons?q=" + urllib.parse.quote(q))
            api_ms_by_query.append(((time.perf_counter() - started) * 1000, q))
            if status != 200:
                say(f"    search {q!r} → {status} {body[:200]!r}")
                return False
            if i >= 0:
                hits.append(len(json.loads(body)["results"]))
            return True

        def search_bare(i: int) -> int:
            return bare.replay(search_sql[i])

        say("measuring kana search …")
        results["search"] = measure("search", search_api, search_bare, deadline)
        if hits:
            results["search"].note += (
                f"results/query: median {statistics.median(hits):.0f}, "
                f"{sum(h == 100 for h in hits)} of {len(hits)} hit the 100 limit"
            )

        # person detail ---------------------------------------------------------------------
        detail_ids = [rng.choice(samples).atena_no for _ in range(WARMUP + N)]

        def detail_api(i: int) -> bool:
            status, _, body = client.get(f"/api/v1/persons/{detail_ids[i]}")
            if status != 200:
                say(f"    detail {detail_ids[i]} → {status} {body[:200]!r}")
            return status == 200

        say("measuring person detail …")
        results["detail"] = measure(
            "detail", detail_api, lambda i: bare.detail(detail_ids[i]), deadline
        )

        # move-in -----------------------------------------------------------------------------
        bare.prepare_insert()
        today = timezone.localdate()
        counter = iter(range(1, 10**9))

        def move_in_api(i: int) -> bool:
            status, _, body = client.post_json(
                "/api/v1/idou/move-in", move_in_payload(next(counter), today)
            )
            if status != 201:
                say(f"    move-in → {status} {body[:300]!r}")
            return status == 201

        say("measuring move-in of a 4-person household …")
        results["move_in"] = measure("move_in", move_in_api, lambda i: bare.insert4(), deadline)

        # one certificate ---------------------------------------------------------------------
        prepared = certificates_from_db(db, code, BULK_CERTIFICATES, rng)
        four = household_sizes(db, code, samples)
        cert_ids = [rng.choice(four).atena_no for _ in range(WARMUP + N)]
        pages: list[int] = []

        def certificate_api(i: int) -> bool:
            status, headers, body = client.post_json(
                "/api/v1/certificates",
                {
                    "atena_no": cert_ids[i],
                    "kind": "juminhyo",
                    "household": True,
                    "requester": REQUESTER,
                    "purpose": PURPOSE,
                },
            )
            if status != 200 or not body.startswith(b"%PDF"):
                say(f"    certificate {cert_ids[i]} → {status} {body[:200]!r}")
                return False
            if i >= 0:
                pages.append(int(headers.get("X-Kyodo-Pages", "0")))
            return True

        say("measuring one certificate …")
        results["certificate"] = measure(
            "certificate",
            certificate_api,
            lambda i: render_pdf([prepared[i % len(prepared)]]),
            deadline,
        )
        if pages:
            results["certificate"].note += (
                f"pages/certificate: mean {statistics.mean(pages):.2f} (household=true, "
                f"residents of 4-person households, like the bare render)"
            )
        # bulk issue through the API (one request, one PDF), if this version has it -------------
        heads = [s for s in samples if s.zokugara == "世帯主"]
        bulk.update(bulk_api(client, heads[ISSUE_LOOP_HOUSEHOLDS:]))
        stop_server(server)  # the in-process part runs alone
        server = None

        # bulk issue ----------------------------------------------------------------------------
        say("measuring bulk issue …")
        sheet_count = sum(page_count(c) for c in prepared)
        render_pdf(prepared[:5])  # warm the font
        ms, pdf = timed(lambda: render_pdf(prepared))
        bulk["render_pages"] = sheet_count
        bulk["render_s"] = ms / 1000
        bulk["render_bytes"] = len(pdf)
        say(
            f"  render_pdf of {len(prepared)} certificates: {sheet_count} pages in "
            f"{ms / 1000:.2f} s → {sheet_count / (ms / 1000):.0f} pages/s, {len(pdf):,} bytes"
        )
        heads = heads[:ISSUE_LOOP_HOUSEHOLDS]
        issued_pages = 0
        actor = Actor(username="bench.clerk")
        render_seconds = [0.0]

        def timed_render(certificates: Sequence[Certificate]) -> bytes:
            started = time.perf_counter()
            try:
                return render_pdf(certificates)
            finally:
                render_seconds[0] += time.perf_counter() - started

        started = time.perf_counter()
        # render_pdf timed inside the loop: it splits into rendering and the rest (DB, audit)
        with (
            mock.patch.object(issue_module, "render_pdf", timed_render),
            tenant_scope(code, actor=actor, purpose=PURPOSE),
        ):
            for s in heads:
                outcome = issue_certificate(
                    IssueRequest(
                        atena_no=s.atena_no,
                        kind="juminhyo",
                        requester=REQUESTER,
                        purpose=PURPOSE,
                        household=True,
                    )
                )
                issued_pages += outcome.pages
        loop_s = time.perf_counter() - started
        bulk["issue_render_s"] = render_seconds[0]
        bulk["issue_pages"] = issued_pages
        bulk["issue_count"] = len(heads)
        bulk["issue_s"] = loop_s
        say(
            f"  issue_certificate × {len(heads)} households in one tenant scope: "
            f"{issued_pages} pages in {loop_s:.2f} s → {issued_pages / loop_s:.0f} pages/s "
            f"(render_pdf {render_seconds[0]:.2f} s, the rest {loop_s - render_seconds[0]:.2f} s)"
        )

        # diagnostics: the plans of the slowest bare search and of one detail ---------------------
        if api_ms_by_query:
            slow_ms, slow_q = max(api_ms_by_query)
            statements = search_sql[queries.index(slow_q)]
            diagnostics.append(
                f"slowest API search {slow_q!r} ({slow_ms:.1f} ms): the application's "
                f"{len(statements)} search statement(s), as the app role:\n"
                + "\n".join(
                    "    " + sql[:300] + " …\n" + explain(db, code, sql) for sql in statements
                )
            )
        diagnostics.append(
            "bare detail, as the app role:\n" + explain(db, code, BARE_DETAIL_SQL, [detail_ids[0]])
        )
        whatif.update(what_if(code, bare=bare, queries=queries, prepared=prepared, heads=heads))
        db.close()
    except BenchTimeout as exc:
        say(f"!! {exc}; reporting what was measured")
    finally:
        signal.alarm(0)
        stop_server(server)
    return report(results, bulk, diagnostics, whatif, time.perf_counter() - run_started)


def what_if(
    code: str,
    *,
    bare: Bare,
    queries: list[str],
    prepared: list[Certificate],
    heads: list[Sample],
) -> dict[str, str]:
    """Bare measurements of the two fixes proposed in RESULTS.md, after everything else."""
    found: dict[str, str] = {}
    # 1. kana search as an anchored prefix on an ordered btree (needs an index: owner role).
    with psycopg.connect(os.environ["DATABASE_OWNER_URL"], autocommit=True) as owner:
        started = time.perf_counter()
        owner.execute(PREFIX_INDEX_SQL)
        owner.execute("ANALYZE atena_person")
        built = time.perf_counter() - started
        try:
            for q in queries[:WARMUP]:
                bare.prefix_search(fuzzy_kana(q))
            times, rows = [], []
            for q in queries[WARMUP:]:
                started = time.perf_counter()
                rows.append(bare.prefix_search(fuzzy_kana(q)))
                times.append((time.perf_counter() - started) * 1000)
            found['kana search as a prefix range on (tenant_id, search_kana COLLATE "C")'] = (
                f"p50 {percentile(times, 50):.2f} ms, p95 {percentile(times, 95):.2f} ms, "
                f"max {max(times):.2f} ms over {len(times)} queries (rows/query median "
                f"{statistics.median(rows):.0f}); index built in {built:.1f} s"
            )
        finally:
            owner.execute("DROP INDEX IF EXISTS bench_search_kana_prefix")
    # 2. the certificate font's tables read once, not copied for every PDF.
    face = mincho().face
    original = face.get_table
    face.get_table = functools.cache(original)
    try:
        render_pdf([prepared[0]])
        times = []
        for cert in prepared[:N]:
            started = time.perf_counter()
            render_pdf([cert])
            times.append((time.perf_counter() - started) * 1000)
        found["render_pdf of 1 certificate with the font tables cached"] = (
            f"p50 {percentile(times, 50):.2f} ms, p95 {percentile(times, 95):.2f} ms"
        )
        pages = 0
        started = time.perf_counter()
        with tenant_scope(code, actor=Actor(username="bench.clerk"), purpose=PURPOSE):
            for s in heads:
                pages += issue_certificate(
                    IssueRequest(
                        atena_no=s.atena_no,
                        kind="juminhyo",
                        requester=REQUESTER,
                        purpose=PURPOSE,
                        household=True,
                    )
                ).pages
        loop_s = time.perf_counter() - started
        found["issue_certificate loop with the font tables cached"] = (
            f"{pages / loop_s:.0f} pages/s ({len(heads)} households, {pages} pages, "
            f"{1000 * loop_s / len(heads):.1f} ms per issue)"
        )
    finally:
        face.get_table = original
    return found


def report_bulk(bulk: dict[str, float], rows: list[str]) -> bool:
    """Bulk issue: through the API when the version has it (the verdict), else the in-process
    loop; the bare baseline is one render_pdf of 500 certificates."""
    target = BULK_TARGET_PAGES_S
    render_rate = bulk["render_pages"] / bulk["render_s"]
    say(
        f"bulk issue\n    bare: render_pdf, {BULK_CERTIFICATES} certificates in one call: "
        f"{render_rate:.0f} pages/s ({bulk['render_pages']:.0f} pages in {bulk['render_s']:.2f} s)"
    )
    verdicts = []
    if "api_rate" in bulk:
        rate = bulk["api_rate"]
        met = rate >= target
        verdicts.append(met)
        say(
            f"    API  POST /api/v1/certificates/bulk, {ISSUE_LOOP_HOUSEHOLDS} households per "
            f"request (median of {bulk['api_rounds']:.0f}): {rate:.0f} pages/s "
            f"({bulk['api_pages']:.0f} pages in {bulk['api_s']:.2f} s)\n"
            f"    ratio bare / API {render_rate / rate:.1f}x   target ≥ {target:.0f} pages/s: "
            f"{'MET' if met else 'MISSED'}"
        )
        rows.append(
            f"| bulk issue `POST /api/v1/certificates/bulk` ({ISSUE_LOOP_HOUSEHOLDS} households, "
            f"one PDF) | {rate:.0f} pages/s ({bulk['api_pages']:.0f} pages in "
            f"{bulk['api_s']:.2f} s) | {render_rate:.0f} pages/s (bare `render_pdf` of "
            f"{BULK_CERTIFICATES} certificates) | {render_rate / rate:.1f}× | ≥ {target:.0f} "
            f"pages/s | {'met' if met else '**missed**'} |"
        )
    elif "api_failed" in bulk:
        verdicts.append(False)
        say("    API  POST /api/v1/certificates/bulk failed: MISSED")
    if "issue_s" in bulk:
        rate = bulk["issue_pages"] / bulk["issue_s"]
        counted = not verdicts  # the verdict only when there is no bulk API to measure
        if counted:
            verdicts.append(rate >= target)
        say(
            f"    in-process issue_certificate one at a time, {bulk['issue_count']:.0f} "
            f"households: {rate:.0f} pages/s; {1000 * bulk['issue_s'] / bulk['issue_count']:.1f}"
            f" ms per issue, of which render_pdf "
            f"{1000 * bulk['issue_render_s'] / bulk['issue_count']:.1f} ms (one PDF each)"
            + (
                f"   target ≥ {target:.0f}: {'MET' if rate >= target else 'MISSED'}"
                if counted
                else " (for comparison)"
            )
        )
        rows.append(
            f"| single issues in a row, `issue_certificate` × {bulk['issue_count']:.0f} "
            f"(in-process, one PDF each) | {rate:.0f} pages/s | {render_rate:.0f} pages/s | "
            f"{render_rate / rate:.1f}× | "
            + (
                f"≥ {target:.0f} pages/s | {'met' if rate >= target else '**missed**'} |"
                if counted
                else "(for comparison) | – |"
            )
        )
    return all(verdicts)


def report(
    results: dict[str, Series],
    bulk: dict[str, float],
    diagnostics: list[str],
    whatif: dict[str, str],
    total_s: float,
) -> int:
    say("")
    say(f"== results ({RESIDENTS:,} residents, N={N} after {WARMUP} warm-up, one client)")
    ok_all = True
    rows = []
    for name, series in results.items():
        if not series.api:
            say(f"{LABELS[name]}: no successful request")
            ok_all = False
            continue
        api95, bare95 = percentile(series.api, 95), percentile(series.bare, 95)
        target = TARGETS_MS[name]
        met = api95 <= target and series.errors == 0
        ok_all &= met
        say(
            f"{LABELS[name]}\n"
            f"    API  p50 {percentile(series.api, 50):7.1f}  p95 {api95:7.1f}  "
            f"max {max(series.api):7.1f} ms   ({len(series.api)} ok, {series.errors} failed)\n"
            f"    bare p50 {percentile(series.bare, 50):7.2f}  p95 {bare95:7.2f}  "
            f"max {max(series.bare):7.2f} ms   [{BARE_LABELS[name]}]\n"
            f"    ratio p95 {api95 / bare95:6.1f}x   target p95 ≤ {target:.0f} ms: "
            f"{'MET' if met else 'MISSED'}" + (f"\n    {series.note}" if series.note else "")
        )
        rows.append(
            f"| {LABELS[name].split('  ')[0]} | {percentile(series.api, 50):.1f} / {api95:.1f} / "
            f"{max(series.api):.1f} | {percentile(series.bare, 50):.2f} / {bare95:.2f} "
            f"({BARE_LABELS[name]}) | {api95 / bare95:.1f}× | ≤ {target:.0f} ms | "
            f"{'met' if met else '**missed**'} |"
        )
    if "render_s" in bulk:
        ok_all &= report_bulk(bulk, rows)
    for text in diagnostics:
        say("")
        say(text)
    if whatif:
        say("")
        say("what-if (NOT the application as shipped; bare measurements of the proposed fixes):")
        for name, text in whatif.items():
            say(f"    {name}: {text}")
    say("")
    say(
        "markdown rows (operation | API p50 / p95 / max ms | bare p50 / p95 ms | ratio p95 | "
        "target | verdict):"
    )
    for row in rows:
        say(row)
    say(f"total benchmark time {total_s:.0f} s; verdict: {'ALL MET' if ok_all else 'MISSED'}")
    return 0 if ok_all else 1


if __name__ == "__main__":
    sys.exit(main())
