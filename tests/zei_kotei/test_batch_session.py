"""The 当初課税 command runs in a tenant session (a transaction per chunk, ADR 0013): on
committed data, as operators run it, it still sees and assesses every owner."""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from tests.zei_kotei.conftest import Town


def test_the_batch_command_assesses_on_committed_data(committed_db: None, town: Town) -> None:
    for path, kind in ((town.land(), "tochi"), (town.houses(), "kaoku")):
        call_command(
            "zei_kotei", "import", str(path), "--kind", kind, "--tenant", town.code,
            "--fiscal-year", "2026", stdout=io.StringIO(), stderr=io.StringIO(),
        )  # fmt: skip
    out = io.StringIO()
    call_command(
        "zei_kotei", "toshokazei", "--tenant", town.code, "--fiscal-year", "2026",
        "--chunk", "2", stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    assert json.loads(out.getvalue())["assessed"] == 5
