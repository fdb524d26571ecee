"""``kyodo doctor [--json]``: the self-check — every finding in plain words; exit 1 when
something is broken (異常), 0 otherwise (注意 is printed, for today)."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from kyodo.ops.doctor import FAIL, examine


class Command(BaseCommand):
    help = "Check that Kyodo works: database, schema, each municipality, hub, backups, disks."
    requires_system_checks: list[str] = []  # it must run, and say so, with the database down

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        findings = examine()
        if options["json"]:
            self.stdout.write(json.dumps([f.as_json() for f in findings], ensure_ascii=False))
        else:
            for f in findings:
                self.stdout.write(f"[{f.level}] {f.message}")
        if any(f.level == FAIL for f in findings):
            sys.exit(1)
