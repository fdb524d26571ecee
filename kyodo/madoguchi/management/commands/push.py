"""``kyodo push --json FILE``: the 総合窓口 PUSH list for one household and event (issue 4).

FILE holds ``{"event", "date", "municipality", "single_parent", "members": [...]}``; the command
prints a JSON array of ``{"procedure", "member", "reason"}`` (``member`` indexes ``members``, or
is null for a household-level procedure). Bad input exits non-zero with a message naming the
file, the JSON path (e.g. ``members[1].birth_date``) and the reason. Reads no database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from kyodo.madoguchi.push import load_overrides, parse_request, push_list, read_json
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.management.commands._base import KyodoCommand


class Command(KyodoCommand):
    help = "Print the 総合窓口 PUSH list (procedures a household likely needs) as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", required=True, dest="file", help="request JSON file")
        parser.add_argument(
            "--overrides",
            help="per-municipality overrides JSON (default: kyodo/madoguchi/municipalities.json)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["file"]
        data = read_json(Path(source))
        request = parse_request(data, source=source)
        overrides = None
        if options.get("overrides"):
            overrides = load_overrides(options["overrides"])
        try:
            suggestions = push_list(**request, overrides=overrides)
        except ValidationFailed as exc:
            if exc.source is None:  # name the file the bad input came from
                raise ValidationFailed(exc.reason, field=exc.field, source=source) from exc
            raise
        self.stdout.write(
            json.dumps([s.as_json() for s in suggestions], ensure_ascii=False, indent=2)
        )
