"""A real server process (``kyodo runserver``) on the test database, and Debian's chromium.

Browser tests write through the real server, so they use ``committed_db`` and a municipality
of their own; a clerk with the roles the test needs logs in like anyone else.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from kyodo.platform.accounts.services import account_create
from kyodo.platform.tenancy.services import tenant_create
from tests.conftest import PASSWORD, new_tenant_code

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class Server:
    base: str
    username: str
    tenant_code: str
    tenant_name: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(autouse=True)
def _needs_browser_tools() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (scripts/system-deps.sh)")
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed (scripts/system-deps.sh)")


@pytest.fixture
def start_server(committed_db: None, tmp_path: Path) -> Iterator[Callable[..., Server]]:
    """Start a server for a new municipality with one clerk holding ``roles``."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(roles: tuple[str, ...]) -> Server:
        tenant = tenant_create(code=new_tenant_code(), name="試験市", population=1000)
        clerk = account_create(
            username=f"clerk-{tenant.code}",
            password=PASSWORD,
            tenant=tenant,
            roles=roles,
            check_password_strength=False,
        )
        # The server process uses the real hashers (the tests' fast one is not among them).
        hasher = PBKDF2PasswordHasher()
        clerk.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
        clerk.save(update_fields=["password"])
        port = _free_port()
        kyodo = Path(sys.executable).with_name("kyodo")
        process = subprocess.Popen(
            [str(kyodo), "runserver", f"127.0.0.1:{port}", "--noreload"],
            env={**os.environ},
            stdout=(tmp_path / "server.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        return Server(base, clerk.username, tenant.code, tenant.name)

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def log_in(page, server: Server) -> None:
    page.goto(server.base + "/login/")
    page.fill("#id_username", server.username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(server.base + "/")
