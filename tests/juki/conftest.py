"""Fixtures of the 異動 tests: one fresh municipality per test, entered as a clerk."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import Actor, tenant_scope


@pytest.fixture
def muni(db: None, make_tenant: Callable[..., Tenant]) -> Iterator[Tenant]:
    """A new municipality; the test body runs inside its scope (one transaction)."""
    tenant = make_tenant(name="試験市")
    with tenant_scope(tenant.code, actor=Actor(username="clerk")):
        yield tenant
