"""The 当初課税 commits a chunk at a time — in one process or several — so a run that stops
keeps what it finished and a resume assesses nobody twice. These tests need committed data
(the worker processes have connections of their own): ``committed_db``."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command

from kyodo.linkage.models import OutboxEvent
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import tenant_scope, tenant_session
from kyodo.units.zei_kojin.models import Kazei, KazeiRun
from kyodo.units.zei_kojin.shiryo import import_file
from kyodo.units.zei_kojin.toshokazei import Progress, toshokazei
from tests.zei_kojin.test_toshokazei import YEAR, _files


class Stop(Exception):
    pass


def _stop_after_first(progress: Progress) -> None:
    raise Stop(progress)


def test_a_killed_run_keeps_its_finished_chunks_and_parallel_workers_finish_it(
    committed_db: None, tenant: Tenant, tmp_path: Path
) -> None:
    kyuyo, nenkin = _files(tmp_path)
    with tenant_scope(tenant.code):
        import_file(kyuyo, kind="kyuyo", fiscal_year=YEAR)
        import_file(nenkin, kind="nenkin", fiscal_year=YEAR)
    with tenant_session(tenant.code), pytest.raises(Stop):
        toshokazei(YEAR, chunk=1, progress=_stop_after_first)
    with tenant_scope(tenant.code):
        assert Kazei.objects.count() == 1  # committed on its own, before the stop
        assert KazeiRun.objects.get().done == 1

    out = io.StringIO()
    call_command(
        "zei_kojin", "toshokazei", "--tenant", tenant.code, "--fiscal-year", str(YEAR),
        "--resume", "--chunk", "1", "--workers", "2", stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert json.loads(out.getvalue())["assessed"] == 3
    with tenant_scope(tenant.code):
        run = KazeiRun.objects.get()
        assert run.finished_at is not None and run.done == run.total == 3
        numbers = list(Kazei.objects.values_list("atena_no", flat=True))
        assert len(numbers) == len(set(numbers)) == 3  # nobody twice
        assert OutboxEvent.objects.filter(name="zei_kojin.assessed").count() == 3


def test_workers_need_to_run_outside_a_transaction(
    committed_db: None, make_tenant: Callable[..., Tenant]
) -> None:
    code = make_tenant().code
    with tenant_scope(code), pytest.raises(ValidationFailed, match="並列"):
        toshokazei(YEAR, workers=2)
