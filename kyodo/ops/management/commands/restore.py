"""``kyodo restore --from BACKUP [--tenant CODE] [--database NAME]``: a whole backup into an
empty database (all or nothing); or one municipality — from its own backup or out of a whole
one — into that (empty) municipality of the running deployment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from kyodo.ops.backup.restore import restore
from kyodo.platform.management.commands._base import KyodoCommand


class Command(KyodoCommand):
    help = "Restore a backup (kyodo backup) into an empty database or municipality."
    requires_system_checks: list[str] = []  # the database may still be empty

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", required=True, help="the backup folder")
        parser.add_argument(
            "--tenant",
            help="団体コード: restore this municipality only (from its own backup or a whole one)",
        )
        parser.add_argument("--database", help="restore into this (empty) database instead")

    def handle(self, *args: Any, **options: Any) -> None:
        done = restore(
            Path(options["source"]),
            tenant=options["tenant"],
            database=options["database"],
            progress=self.stderr.write,
        )
        self.stdout.write(json.dumps(done, ensure_ascii=False))
