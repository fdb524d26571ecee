"""The 当初課税 command runs in a tenant session (a transaction per chunk, ADR 0013): on
committed data, as operators run it, it still sees and assesses every vehicle."""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from tests.zei_kei.test_toshokazei import Town


def test_the_batch_command_assesses_on_committed_data(committed_db: None, town: Town) -> None:
    call_command(
        "zei_kei", "import", str(town.vehicles()), "--tenant", town.code,
        stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    out = io.StringIO()
    call_command(
        "zei_kei", "toshokazei", "--tenant", town.code, "--fiscal-year", "2026",
        "--chunk", "2", stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert json.loads(out.getvalue())["assessed"] == 6
