"""The warm standby (issue 7 §2): a PostgreSQL streaming replica of the primary, promoted by
the documented procedure (docs/operations/standby.md) when the primary is lost — against two
local clusters of its own, with Kyodo's real schema."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KYODO = str(Path(sys.executable).with_name("kyodo"))

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="starts PostgreSQL clusters (root)")


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        list(args), env=env, capture_output=True, text=True, check=False, timeout=300, cwd=ROOT
    )


def _primary(path: Path, port: int) -> dict[str, str]:
    started = _run("scripts/pg-throwaway.sh", "start", str(path), str(port))
    assert started.returncode == 0, started.stderr
    env = {**os.environ, "KYODO_VAR_DIR": str(path / "var")}
    for line in started.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        env[name] = value
    return env


def _on(env: dict[str, str], port: int) -> dict[str, str]:
    moved = dict(env)
    for name in ("DATABASE_URL", "DATABASE_OWNER_URL", "KYODO_BACKUP_DATABASE_URL"):
        head, _, _ = env[name].rpartition(":")
        moved[name] = f"{head}:{port}/kyodo"
    return moved


def _reader_sees(env: dict[str, str], sql: str) -> str:
    done = _run("psql", env["KYODO_BACKUP_DATABASE_URL"], "-XAtc", sql)
    return done.stdout.strip() if done.returncode == 0 else f"ERROR {done.stderr.strip()}"


def test_the_standby_follows_the_primary_and_takes_over_when_promoted() -> None:
    port = random.randrange(20000, 40000)
    # Not pytest's tmp_path: its folders are private to root, and PostgreSQL runs as postgres.
    base = Path(tempfile.mkdtemp(prefix="kyodo-standby-"))
    base.chmod(0o755)
    primary, standby = base / "primary", base / "standby"
    env = _primary(primary, port)
    try:
        assert _run(KYODO, "migrate", "--verbosity", "0", env=env).returncode == 0
        made = _run(KYODO, "tenant", "create", "--code", "162116", "--name", "射水市",
                    "--population", "94000", env=env)  # fmt: skip
        assert made.returncode == 0, made.stderr
        copied = _run(
            "scripts/pg-standby.sh", "start", "127.0.0.1", str(port), str(standby), str(port + 1)
        )
        assert copied.returncode == 0, copied.stderr
        replica = _on(env, port + 1)
        # Written on the primary after the base backup: it streams over.
        assert _run(KYODO, "tenant", "create", "--code", "162027", "--name", "高岡市",
                    "--population", "160000", env=env).returncode == 0  # fmt: skip
        count = "SELECT count(*) FROM platform_tenant"
        for _ in range(100):
            if _reader_sees(replica, count) == "2":
                break
            time.sleep(0.1)
        assert _reader_sees(replica, count) == "2"
        refused = _run("psql", replica["DATABASE_OWNER_URL"], "-XAtc",
                       "CREATE TABLE nope (id int)")  # fmt: skip
        assert refused.returncode != 0 and "read-only" in refused.stderr

        # The primary is lost; the procedure: promote, point the application at it.
        _run("scripts/pg-throwaway.sh", "stop", str(primary))
        assert _run("scripts/pg-standby.sh", "promote", str(standby)).returncode == 0
        doctor = _run(KYODO, "doctor", env=replica)
        assert "[正常] データベースに接続できます" in doctor.stdout, doctor.stdout + doctor.stderr
        assert "[正常] スキーマは最新です" in doctor.stdout
        assert "射水市（162116）" in doctor.stdout and "高岡市（162027）" in doctor.stdout
        later = _run(KYODO, "tenant", "create", "--code", "162051", "--name", "氷見市",
                     "--population", "44000", env=replica)  # fmt: skip
        assert later.returncode == 0, later.stderr  # writable: it is the primary now
    finally:
        _run("scripts/pg-standby.sh", "stop", str(standby))
        _run("scripts/pg-throwaway.sh", "stop", str(primary))
        shutil.rmtree(base, ignore_errors=True)
