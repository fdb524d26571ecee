"""``kyodo iko convert --mapping MAP.json SOURCE --out DIR``: another vendor's export into the
standard layouts (then ``kyodo import`` checks and loads it)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from kyodo.iko.mapping import convert
from kyodo.platform.management.commands._base import KyodoCommand


class Command(KyodoCommand):
    help = "移行: convert another vendor's files to the standard layouts with a mapping."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        conv = sub.add_parser("convert", help="a foreign export → standard-layout files")
        conv.add_argument("source", help="the folder of the foreign files")
        conv.add_argument("--mapping", required=True, help="the mapping (JSON)")
        conv.add_argument("--out", required=True, help="a new or empty folder")
        conv.add_argument("--report", help="write every problem here (JSON lines)")

    def handle(self, *args: Any, **options: Any) -> None:
        def show(file: str, rows: int) -> None:
            self.stderr.write(f"変換 {file}: {rows:,} 件")

        problems = convert(
            Path(options["mapping"]),
            Path(options["source"]),
            Path(options["out"]),
            report=Path(options["report"]) if options["report"] else None,
            progress=show,
        )
        for problem in problems.shown:
            self.stderr.write(str(problem))
        self.stdout.write(json.dumps({"problems": problems.count}, ensure_ascii=False))
        if problems.count:
            sys.exit(1)
