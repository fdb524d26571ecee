"""The 賦課 command runs in a tenant session (a transaction per 世帯, ADR 0013): on committed
data, as operators run it, it still sees every household."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

from django.core.management import call_command

from kyodo.platform.models import Tenant
from tests.kokuho.test_fuka import _household


def test_the_fuka_command_assesses_on_committed_data(
    committed_db: None, make_tenant: Callable[..., Tenant]
) -> None:
    tenant = make_tenant()
    household_no, _head, _spouse = _household(tenant.code)
    out = io.StringIO()
    call_command("kokuho", "fuka", "--tenant", tenant.code, "--fiscal-year", "2026", stdout=out)
    [row] = json.loads(out.getvalue())
    assert row["household_no"] == household_no and row["total"] > 0
    out = io.StringIO()
    call_command(
        "kokuho", "fuka", "--tenant", tenant.code, "--fiscal-year", "2026",
        "--household-no", str(household_no), stdout=out,
    )  # fmt: skip
    assert json.loads(out.getvalue())[0]["revision"] == 1  # unchanged: no new revision
