"""``kyodo backup``: take, verify, list, prune and ship backups (issue 7, ADR 0016).

kyodo backup [--to DIR] [--tenant CODE] [--prune] [--ship DEST]   take one (the schedule
                                                                  runs this daily)
kyodo backup verify --from BACKUP        restore into a scratch database and compare
kyodo backup list [--to DIR] [--tenant CODE]
kyodo backup prune [--to DIR] [--tenant CODE]   keep 7 daily and 4 weekly generations
kyodo backup ship --from BACKUP --dest DEST     copy to a second place, verified
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from kyodo.ops.backup.catalogue import generations, prune
from kyodo.ops.backup.restore import verify
from kyodo.ops.backup.ship import ship
from kyodo.ops.backup.take import Backup, read_manifest, take
from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import Actor

ACTIONS = ("take", "verify", "list", "prune", "ship")


class Command(KyodoCommand):
    help = "Back up the deployment (or one municipality), encrypted, in generations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", nargs="?", default="take", choices=ACTIONS)
        parser.add_argument("--to", help="the backup folder (default KYODO_BACKUP_DIR)")
        parser.add_argument("--tenant", help="団体コード: one municipality only")
        parser.add_argument("--from", dest="source", help="a backup (verify, ship)")
        parser.add_argument(
            "--from-latest", action="store_true", help="verify, ship: the newest generation"
        )
        parser.add_argument("--dest", help="ship: a directory or host:path (rsync over ssh)")
        parser.add_argument("--ship", help="take: then ship it to this place")
        parser.add_argument("--prune", action="store_true", help="take: then prune")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        root = Path(options["to"]) if options["to"] else None
        out: dict[str, Any]
        if action == "take":
            backup = take(
                to=root,
                tenant=options["tenant"],
                taken_by="cli",
                progress=self.stderr.write,
            )
            out = {"backup": str(backup.path), "files": backup.manifest["files"]}
            _audit("ops.backup", backup.path.name, options["tenant"], out)
            if options["ship"]:
                out["shipped"] = str(ship(backup, options["ship"]))
            if options["prune"]:
                out["pruned"] = [str(p) for p in prune(root, tenant=options["tenant"])]
        elif action == "verify":
            result = verify(self._source(options), progress=self.stderr.write)
            out = {"backup": str(result.backup), "ok": result.ok, "tables": result.tables,
                   "rows": result.rows, "problems": result.problems}  # fmt: skip
            for problem in result.problems:
                self.stderr.write(problem)
            _audit("ops.backup.verify", result.backup.name, None,
                   {"backup": str(result.backup), "ok": result.ok})  # fmt: skip
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            if not result.ok:
                sys.exit(1)
            return
        elif action == "list":
            out = {
                "backups": [
                    {"path": str(b.path), "taken_at": b.manifest["taken_at"],
                     "kind": b.manifest["kind"],
                     "bytes": sum(f["bytes"] for f in b.manifest["files"].values())}
                    for b in generations(root, tenant=options["tenant"])
                ]
            }  # fmt: skip
        elif action == "prune":
            out = {"pruned": [str(p) for p in prune(root, tenant=options["tenant"])]}
        else:
            if not options["dest"]:
                raise ValidationFailed("送り先（--dest）を指定してください", field="dest")
            source = self._source(options)
            shipped = ship(Backup(source, read_manifest(source)), options["dest"])
            out = {"shipped": str(shipped)}
        self.stdout.write(json.dumps(out, ensure_ascii=False))

    @staticmethod
    def _source(options: dict[str, Any]) -> Path:
        if options["from_latest"]:
            found = generations(Path(options["to"]) if options["to"] else None,
                                tenant=options["tenant"])  # fmt: skip
            if not found:
                raise ValidationFailed("バックアップがまだありません", field="from")
            return found[-1].path
        if not options["source"]:
            raise ValidationFailed("バックアップ（--from）を指定してください", field="from")
        return Path(options["source"])


def _audit(kind: str, path: str, tenant: str | None, detail: dict[str, Any]) -> None:
    record(
        AuditAction.EXPORT if kind == "ops.backup" else AuditAction.READ,
        actor=Actor(username="cli"),
        tenant_code=tenant,
        object_type=kind,
        object_id=path,
        detail=detail,
    )
