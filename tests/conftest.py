"""Shared test set-up.

The database is real PostgreSQL: ``scripts/test.sh`` starts a throwaway cluster, creates the
database and runs ``kyodo migrate`` as the schema owner, so the tests connect exactly as the
application does — as ``kyodo_app``, which owns no table and is subject to row-level security.
Each test runs in a transaction that is rolled back; tests that need committed data (other
connections, subprocesses) use ``committed_db`` and create their own municipalities.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator

import psycopg
import pytest
from django.db import connection

from kyodo.platform.accounts.services import account_create
from kyodo.platform.models import Account, Tenant
from kyodo.platform.tenancy.codes import PREFECTURES, check_digit
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.platform.tenancy.services import tenant_create

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session")
def django_db_setup() -> None:
    """The database was created and migrated by scripts/test.sh as the schema owner."""


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def committed_db(django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """Database access in autocommit mode: what a test writes is visible to other connections.
    Such tests must use municipalities of their own (``new_tenant_code``)."""
    with django_db_blocker.unblock():
        yield
        connection.close()


def new_tenant_code(rng: random.Random | None = None) -> str:
    """A valid, unused 全国地方公共団体コード (tests never reuse a municipality)."""
    rng = rng or random.Random()
    prefectures = sorted(PREFECTURES)
    while True:
        body = rng.choice(prefectures) + f"{rng.randrange(100, 1000):03d}"
        code = body + str(check_digit(body))
        if not Tenant.objects.filter(code=code).exists():
            return code


@pytest.fixture
def make_tenant() -> Callable[..., Tenant]:
    def make(name: str = "試験市", population: int = 1000) -> Tenant:
        return tenant_create(code=new_tenant_code(), name=name, population=population)

    return make


@pytest.fixture
def make_account() -> Callable[..., Account]:
    counter = iter(range(1, 10_000))

    def make(tenant: Tenant | None, roles: tuple[str, ...] = (), **kwargs: object) -> Account:
        username = str(kwargs.pop("username", f"user{next(counter)}-{random.randrange(10**9)}"))
        return account_create(
            username=username,
            password=PASSWORD,
            tenant=tenant,
            roles=roles,
            is_operator=tenant is None,
            check_password_strength=False,
            **kwargs,  # type: ignore[arg-type]
        )

    return make


@pytest.fixture
def in_tenant() -> Callable[[Tenant], object]:
    """``with in_tenant(t): …`` runs the block in the municipality's scope."""
    return lambda tenant: tenant_scope(tenant.code)


def owner_connection() -> psycopg.Connection:
    """A connection as the schema owner (for tampering tests: the app role cannot)."""
    return psycopg.connect(os.environ["DATABASE_OWNER_URL"], autocommit=True)


def app_connection() -> psycopg.Connection:
    """A fresh connection as the application role, outside Django."""
    return psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
