"""住民票コード: the local stand-in source, and drawing again when a code is already used."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kyodo.atena import juminhyo_code
from kyodo.atena.juminhyo_code import LocalJuminhyoCodeSource, is_well_formed
from kyodo.atena.services import new_juminhyo_code
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import tenant_scope
from tests.juki.helpers import member, move_in


def test_the_stand_in_gives_distinct_well_formed_codes_per_municipality() -> None:
    source = LocalJuminhyoCodeSource(seed="test")
    codes = [source.allocate("162116") for _ in range(2000)]
    assert all(is_well_formed(c) for c in codes) and len(set(codes)) == 2000
    again = LocalJuminhyoCodeSource(seed="test")
    assert [again.allocate("162116") for _ in range(5)] == codes[:5]  # reproducible


@pytest.fixture
def scope(db: None, make_tenant) -> Iterator[Tenant]:
    tenant = make_tenant()
    with tenant_scope(tenant.code):
        yield tenant


def test_a_code_already_held_is_skipped(scope: Tenant, monkeypatch: pytest.MonkeyPatch) -> None:
    held = move_in([member()]).records[0].juminhyo_code

    class Replaying:
        name = "replaying"

        def __init__(self) -> None:
            self.codes = iter([held, held, "12345678906"])

        def allocate(self, tenant_code: str) -> str:
            return next(self.codes)

    monkeypatch.setattr(juminhyo_code, "get_source", Replaying)
    assert new_juminhyo_code() == "12345678906"
