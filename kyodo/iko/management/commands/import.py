"""``kyodo import --tenant CODE DIR [--dry-run] [--report FILE]``: a whole municipality from
the standard layouts, into an empty municipality — all of it or nothing."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from kyodo.iko.load import PURPOSE, import_tenant
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.platform.tenancy.context import Actor, tenant_session


class Command(KyodoCommand):
    help = "Import a municipality from standard-layout files (checked first; all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="the folder written by kyodo export (or convert)")
        parser.add_argument("--tenant", required=True, help="団体コード (an empty municipality)")
        parser.add_argument("--dry-run", action="store_true", help="check only, load nothing")
        parser.add_argument("--report", help="write every problem here (JSON lines)")

    def handle(self, *args: Any, **options: Any) -> None:
        def show(file: str, rows: int) -> None:
            self.stderr.write(f"確認 {file}: {rows:,} 件")

        with tenant_session(options["tenant"], actor=Actor(username="cli"), purpose=PURPOSE):
            result = import_tenant(
                options["tenant"],
                Path(options["folder"]),
                dry_run=options["dry_run"],
                report=Path(options["report"]) if options["report"] else None,
                progress=show,
            )
        for problem in result.problems.shown:
            self.stderr.write(str(problem))
        hidden = result.problems.count - len(result.problems.shown)
        if hidden > 0:
            self.stderr.write(f"…ほか {hidden:,} 件（--report のファイルにすべてあります）")
        self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False))
        if result.problems.count:
            self.stderr.write("問題があるため、何も取り込んでいません")
            sys.exit(1)
