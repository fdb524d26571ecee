"""``kyodo linkage catalog|dispatch|dead|replay``: the map of data flows and its delivery."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import CommandParser

from kyodo.linkage.catalogue import catalogue
from kyodo.linkage.dispatch import dispatch_once, replay
from kyodo.linkage.models import Delivery, Status
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import tenant_scope


class Command(KyodoCommand):
    help = "The linkage hub: list the catalogue, dispatch events, see and replay dead letters."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        listing = sub.add_parser("catalog", help="every event type, publisher, subscribers")
        listing.add_argument("--json", action="store_true", dest="as_json")
        run = sub.add_parser("dispatch", help="deliver pending events")
        run.add_argument("--once", action="store_true", help="deliver what is due, then exit")
        run.add_argument("--interval", type=float, default=1.0, help="seconds between rounds")
        dead = sub.add_parser("dead", help="the dead-letter list")
        dead.add_argument("--tenant", required=True)
        again = sub.add_parser("replay", help="queue a dead-lettered delivery again")
        again.add_argument("--tenant", required=True)
        again.add_argument("--id", required=True, type=int, dest="delivery_id")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "_" + options["action"])(options)

    def _catalog(self, options: dict[str, Any]) -> None:
        rows = [
            {
                "name": e.name,
                "publisher": e.publisher,
                "subscribers": sorted(e.subscribers),
                "items": e.items,
                "description": e.description,
            }
            for e in catalogue()
        ]
        if options["as_json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            subscribers = ", ".join(row["subscribers"]) or "—"
            self.stdout.write(f"{row['name']}\t{row['publisher']} → {subscribers}")

    def _dispatch(self, options: dict[str, Any]) -> None:
        while True:
            result = dispatch_once()
            self.stdout.write(
                json.dumps(
                    {
                        "delivered": result.delivered,
                        "failed": result.failed,
                        "dead": result.dead,
                        "waiting": result.waiting,
                    }
                )
            )
            for error in result.errors:
                self.stderr.write(error)
            if options["once"]:
                return
            time.sleep(options["interval"])

    def _tenant(self, code: str) -> str:
        if not Tenant.objects.filter(code=code).exists():
            raise ValidationFailed(f"団体 {code} は登録されていません", source="--tenant")
        return code

    def _dead(self, options: dict[str, Any]) -> None:
        with tenant_scope(self._tenant(options["tenant"]), purpose="データ連携"):
            rows = [
                {
                    "id": d.pk,
                    "event": d.event.name,
                    "event_id": d.event_id,
                    "subscriber": d.subscriber,
                    "atena_no": d.atena_no,
                    "attempts": d.attempts,
                    "error": d.last_error,
                }
                for d in Delivery.objects.select_related("event")
                .filter(status=Status.DEAD)
                .order_by("id")
            ]
        self.stdout.write(json.dumps(rows, ensure_ascii=False))

    def _replay(self, options: dict[str, Any]) -> None:
        with tenant_scope(self._tenant(options["tenant"]), purpose="データ連携"):
            if not Delivery.objects.filter(pk=options["delivery_id"], status=Status.DEAD).exists():
                raise ValidationFailed("配信不能リストにありません", field="id", source="--id")
            delivery = replay(options["delivery_id"])
        self.stdout.write(json.dumps({"id": delivery.pk, "status": delivery.status}))
