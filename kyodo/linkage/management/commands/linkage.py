"""``kyodo linkage catalog|dispatch|dead|replay|external``: the map of data flows, its delivery,
and the external systems each municipality registers."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from kyodo.linkage.catalogue import catalogue
from kyodo.linkage.dispatch import dispatch_once, replay
from kyodo.linkage.external import external_register, external_set_active
from kyodo.linkage.models import Delivery, ExternalSystem, Status
from kyodo.linkage.webhook import push_once
from kyodo.linkage.webhook import resume as resume_webhook
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import tenant_scope

SHOWN_ONCE = "トークンと署名鍵はこの一度だけ表示されます。安全に保管してください。"


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
        ext = sub.add_parser("external", help="external systems of a municipality")
        ext_sub = ext.add_subparsers(dest="ext_action", required=True)
        reg = ext_sub.add_parser("register", help="register a system (prints its token once)")
        reg.add_argument("--tenant", required=True)
        reg.add_argument("--name", required=True)
        reg.add_argument(
            "--grants",
            required=True,
            help='JSON {"event": ["item", …]}, or @FILE holding it',
        )
        reg.add_argument("--webhook", default="", help="https URL to push events to")
        for action in ("list", "deactivate", "activate", "resume"):
            one = ext_sub.add_parser(action)
            one.add_argument("--tenant", required=True)
            if action != "list":
                one.add_argument("--name", required=True)

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
            pushed = push_once()
            self.stdout.write(
                json.dumps(
                    {
                        "delivered": result.delivered,
                        "failed": result.failed,
                        "dead": result.dead,
                        "waiting": result.waiting,
                        "webhook_events": pushed.events,
                        "webhook_failed": pushed.failed,
                        "webhook_suspended": pushed.suspended,
                    }
                )
            )
            for error in result.errors + pushed.errors:
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

    def _external(self, options: dict[str, Any]) -> None:
        action = options["ext_action"]
        with tenant_scope(self._tenant(options["tenant"]), purpose="外部連携管理"):
            if action == "register":
                registered = external_register(
                    name=options["name"],
                    grants=self._grants(options["grants"]),
                    webhook_url=options["webhook"],
                )
                out: Any = {
                    **_external_json(registered.system),
                    "token": registered.token,
                    "webhook_secret": registered.webhook_secret or None,
                    "notice": SHOWN_ONCE,
                }
            elif action == "list":
                out = [_external_json(s) for s in ExternalSystem.objects.order_by("name")]
            elif action == "resume":
                out = _external_json(resume_webhook(options["name"]))
            else:
                out = _external_json(
                    external_set_active(name=options["name"], active=action == "activate")
                )
        self.stdout.write(json.dumps(out, ensure_ascii=False, default=str))

    def _grants(self, text: str) -> Any:
        source = "--grants"
        if text.startswith("@"):
            source = text[1:]
            try:
                text = Path(source).read_text(encoding="utf-8")
            except OSError as exc:
                raise ValidationFailed(
                    f"ファイルを読めません: {exc.strerror}", source=source
                ) from None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationFailed(
                f"JSON として読めません: {exc.msg}", source=source, line=exc.lineno
            ) from None


def _external_json(system: ExternalSystem) -> dict[str, Any]:
    return {
        "name": system.name,
        "active": system.active,
        "grants": system.grants,
        "webhook_url": system.webhook_url or None,
        "webhook_cursor": system.webhook_cursor,
        "webhook_suspended": system.webhook_suspended,
        "webhook_error": system.webhook_error or None,
    }
