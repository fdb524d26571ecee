"""Fixtures of the operations tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from kyodo.platform.models import Tenant


@pytest.fixture
def tenant(db: None, make_tenant: Callable[..., Tenant]) -> Tenant:
    return make_tenant(name="射水市")
