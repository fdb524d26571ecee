"""Benchmark: export and import of a municipality of 1,000,000 residents (issue 6: each within
2× a bare PostgreSQL COPY of the same rows, measured in the same run; peak memory < 1 GB).

Setup (not timed): a fresh municipality seeded with N residents in their households
(``seed_residents``: 宛名, 住民票, search keys), a second 住民票 snapshot (a 転居) for every
fifth resident, so the history has more rows than the people.

Timed, in the same run:
- **bare export**: ``COPY (SELECT every column …) TO STDOUT (FORMAT csv, HEADER)`` of every
  layout table of the municipality into files;
- **export**: ``kyodo export`` (a subprocess: its peak memory is its own);
- **bare import**: ``COPY … FROM`` each exported file straight into its table (the same
  indexes, keys and foreign keys), as the schema owner with row-level security off for the
  moment, rolled back;
- **import**: ``kyodo import`` into a second, empty municipality (every row checked).

Run: ``bench/run.sh iko`` (throwaway PostgreSQL). Environment: KYODO_BENCH_RESIDENTS
(default 1,000,000).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import django
import psycopg

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.config.settings")
django.setup()

from django.db import connection, transaction  # noqa: E402

from bench.common import fresh_code  # noqa: E402
from kyodo.iko.registry import registry  # noqa: E402
from kyodo.platform.tenancy.context import tenant_scope  # noqa: E402
from kyodo.platform.tenancy.services import tenant_create  # noqa: E402
from kyodo.units.juki.seed import seed_residents  # noqa: E402

N = int(os.environ.get("KYODO_BENCH_RESIDENTS", "1000000"))
RATIO = 2.0
MEMORY_MB = 1024


def setup(code: str) -> None:
    seed_residents(tenant_code=code, residents=N, seed=2026)
    with tenant_scope(code), connection.cursor() as cursor:
        columns = [
            f.column
            for f in registry().by_file("12_juki_jumin_rireki.csv").model._meta.concrete_fields  # type: ignore[union-attr]
            if f.column != "id"
        ]
        moved = ", ".join(
            {"rireki_no": "rireki_no + 1", "idou_kind": "'tenkyo'", "banchi": "banchi || '-2'"}.get(
                c, f'"{c}"'
            )
            for c in columns
        )
        quoted = ", ".join(f'"{c}"' for c in columns)
        cursor.execute(
            f"INSERT INTO juki_juminrecord ({quoted}) "
            f"SELECT {moved} FROM juki_juminrecord WHERE tenant_id = %s AND atena_no %% 5 = 0",
            [code],
        )


def bare_export(code: str, folder: Path) -> float:
    start = time.perf_counter()
    with transaction.atomic(), tenant_scope(code), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        for layout in registry().layouts:
            sql = f"SELECT * FROM {layout.table} WHERE tenant_id = %s ORDER BY id"
            with (
                (folder / layout.file).open("wb") as out,
                cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv, HEADER)", [code]) as copy,
            ):
                for block in copy:
                    out.write(block)
    return time.perf_counter() - start


def bare_import(folder: Path, tenant: str) -> float:
    """COPY each exported file straight into its own table — the same indexes, keys and
    foreign keys as the import meets — as the schema owner, who may switch row-level security
    off for the moment (COPY FROM refuses tables under it); all rolled back."""
    url = os.environ["DATABASE_OWNER_URL"]
    start = time.perf_counter()
    with psycopg.connect(url) as owner, owner.cursor() as cursor:
        for layout in registry().layouts:
            table = layout.table
            columns = ", ".join(f'"{i.column}"' for i in layout.items)
            cursor.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
            cursor.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
            cursor.execute(f"ALTER TABLE {table} ALTER tenant_id SET DEFAULT '{tenant}'")
            for index_column in layout.index:  # computed by the import, absent from the file
                cursor.execute(f"ALTER TABLE {table} ALTER {index_column} SET DEFAULT ''")
            with (
                (folder / layout.file).open("rb") as data,
                cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT csv, HEADER)") as copy,
            ):
                while block := data.read(1 << 20):
                    copy.write(block)
        took = time.perf_counter() - start
        owner.rollback()
    return took


# A small launcher measures the command's peak memory: a child forked straight from this
# process would count this process's pages (several GB after the setup) as its own.
LAUNCHER = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def kyodo(*args: str) -> tuple[float, float]:
    """(seconds, peak RSS in MiB) of ``kyodo ARGS``."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, sys.executable, "-m", "kyodo", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - start, int(done.stdout.split()[-1]) / 1024


def main() -> None:
    rng = random.Random()
    source, target, spare = fresh_code(rng), fresh_code(rng), fresh_code(rng)
    tenant_create(code=source, name="移行元市", population=N)
    tenant_create(code=target, name="移行先市", population=N)
    tenant_create(code=spare, name="比較用市", population=N)  # the bare COPY's (rolled back)
    setup(source)
    with tenant_scope(source), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM juki_juminrecord WHERE tenant_id = %s", [source])
        history = cursor.fetchone()[0]
    print(f"setup: {N:,} residents, {history:,} 住民票 snapshots", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare"
        bare.mkdir()
        out = Path(tmp) / "export"
        base_out = bare_export(source, bare)
        took_out, peak_out = kyodo("export", "--tenant", source, "--out", str(out))
        size = sum(p.stat().st_size for p in out.iterdir()) / 1e6
        base_in = bare_import(out, spare)
        took_in, peak_in = kyodo("import", "--tenant", target, str(out))
        peak = max(peak_out, peak_in)
    for name, took, base in (("export", took_out, base_out), ("import", took_in, base_in)):
        verdict = "met" if took <= RATIO * base else "NOT met"
        print(
            f"{name}: {took:.1f} s; bare COPY {base:.1f} s; ratio {took / base:.2f}× "
            f"(target ≤ {RATIO:.0f}×): {verdict}",
            flush=True,
        )
    print(
        f"files: {size:,.0f} MB; peak RSS export {peak_out:,.0f} MiB, import {peak_in:,.0f} MiB "
        f"(target < {MEMORY_MB} MiB): {'met' if peak < MEMORY_MB else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
