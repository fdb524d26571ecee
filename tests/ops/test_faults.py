"""Fault tests (issue 7 §6): the application killed with SIGKILL in the middle of a 異動
leaves no partial data; PostgreSQL restarted under load makes requests fail cleanly, then
recover without anyone doing anything. (A full disk during a backup: test_backup.py; during
an export: the export writes to a hidden folder it removes, tests/iko.)"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from kyodo.atena.models import Person
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.platform.tenancy.services import tenant_create
from kyodo.units.juki.models import Idou, JuminRecord
from tests.conftest import new_tenant_code
from tests.juki.helpers import family_of_three, move_in
from tests.ops.test_standby import KYODO, ROOT, _primary, _run

STALLED_MOVE_IN = """
import os, sys, time, django
os.environ["DJANGO_SETTINGS_MODULE"] = "kyodo.config.settings"
django.setup()
from kyodo.units.juki import publish as hub
real = hub.publish
def stall(*args, **kwargs):
    real(*args, **kwargs)  # persons, records and the event are written: then stop here
    open(sys.argv[2], "w").write("inside the transaction")
    time.sleep(600)
hub.publish = stall
from kyodo.platform.tenancy.context import tenant_scope
from tests.juki.helpers import family_of_three, member, move_in
with tenant_scope(sys.argv[1]):
    move_in([member("途中", "停止", "トチュウ", "テイシ")])
"""


def test_sigkill_in_the_middle_of_a_move_in_leaves_nothing(
    committed_db: None, tmp_path: Path
) -> None:
    tenant = tenant_create(code=new_tenant_code(), name="強制終了市", population=10)
    database = connection.settings_dict["NAME"]
    env = dict(os.environ)
    head, _, _ = env["DATABASE_URL"].rpartition("/")
    env["DATABASE_URL"] = f"{head}/{database}"  # the test database, not the dev one
    ready = tmp_path / "ready"
    child = subprocess.Popen(
        [sys.executable, "-c", STALLED_MOVE_IN, tenant.code, str(ready)], cwd=ROOT, env=env
    )
    try:
        for _ in range(600):
            if ready.exists() or child.poll() is not None:
                break
            time.sleep(0.05)
        assert ready.exists(), "the move-in never reached its last step"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    with tenant_scope(tenant.code):
        assert not Person.objects.filter(family_name="途中").exists()
        assert JuminRecord.objects.count() == 0 and Idou.objects.count() == 0
        # Nothing is left locked either: the next 異動 goes through at once.
        done = move_in(family_of_three())
        assert len(done.records) == 3


@pytest.mark.skipif(os.geteuid() != 0, reason="starts a PostgreSQL cluster (root)")
def test_requests_fail_cleanly_while_postgresql_restarts_then_recover_by_themselves() -> None:
    import random
    import shutil
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="kyodo-restart-"))
    base.chmod(0o755)
    port = random.randrange(20000, 40000)
    env = _primary(base / "pg", port)
    web_port = port + 7
    server = None
    try:
        assert _run(KYODO, "migrate", "--verbosity", "0", env=env).returncode == 0
        server = subprocess.Popen(
            [KYODO, "runserver", f"127.0.0.1:{web_port}", "--noreload"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        url = f"http://127.0.0.1:{web_port}/readyz"
        statuses: list[int] = []
        stop = threading.Event()

        def load() -> None:
            while not stop.is_set():
                try:
                    statuses.append(urllib.request.urlopen(url, timeout=10).status)
                except urllib.error.HTTPError as exc:
                    statuses.append(exc.code)
                except OSError:
                    statuses.append(0)  # the web server itself not up yet
                time.sleep(0.02)

        worker = threading.Thread(target=load, daemon=True)
        worker.start()
        for _ in range(300):
            if 200 in statuses:
                break
            time.sleep(0.1)
        before = len(statuses)
        restarted = _run(
            "runuser", "-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl",
            "-D", str(base / "pg" / "data"), "-m", "fast", "-w", "restart",
            "-l", str(base / "pg" / "server.log"),
        )  # fmt: skip
        assert restarted.returncode == 0, restarted.stderr
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and statuses[-5:] != [200] * 5:
            time.sleep(0.1)
        stop.set()
        worker.join(timeout=15)
        during = statuses[before:]
        assert statuses[-5:] == [200] * 5  # recovered, nobody restarted the application
        assert set(during) <= {200, 503}, sorted(set(during))  # failed cleanly, never a 500
        assert 503 in during  # the restart was seen: a clean "unavailable", not a hang
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=20)
        _run("scripts/pg-throwaway.sh", "stop", str(base / "pg"))
        shutil.rmtree(base, ignore_errors=True)
