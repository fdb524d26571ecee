"""``kyodo params set|show|history``: a municipality's ordinance choices, effective-dated."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from kyodo.platform.errors import ValidationFailed
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.platform.models import Tenant
from kyodo.platform.parameters import declared, parameter_history, parameter_set, parameters_as_of
from kyodo.platform.tenancy.context import Actor, tenant_scope

PURPOSE = "団体パラメータ管理"


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"日付は YYYY-MM-DD です (got {text!r})", source=option) from None


class Command(KyodoCommand):
    help = "A municipality's parameters (条例で定める税率・均等割・納期 …), effective-dated."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        setting = sub.add_parser("set", help="a value from a date on (never overwrites history)")
        setting.add_argument("--key", required=True, help="<unit>.<name>, e.g. zei_kojin.city_rate")
        setting.add_argument("--value", required=True, help='JSON, e.g. 0.061 or ["06-30"]')
        setting.add_argument("--from", required=True, dest="effective_from", help="YYYY-MM-DD")
        setting.add_argument("--source", required=True, help="根拠, e.g. 市税条例第33条")
        show = sub.add_parser("show", help="the values in force on a date")
        show.add_argument("--as-of", help="YYYY-MM-DD (default: today)")
        show.add_argument("--prefix", default="", help="only keys starting with this")
        history = sub.add_parser("history", help="every value a key has had")
        history.add_argument("--key", required=True)
        for p in (setting, show, history):
            p.add_argument("--tenant", required=True, help="団体コード")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["tenant"]
        if not Tenant.objects.filter(code=code).exists():
            raise ValidationFailed(f"団体 {code} は登録されていません", source="--tenant")
        with tenant_scope(code, actor=Actor(username="cli"), purpose=PURPOSE):
            out = getattr(self, "_" + options["action"])(options)
        self.stdout.write(json.dumps(out, ensure_ascii=False, default=str))

    def _set(self, options: dict[str, Any]) -> dict[str, Any]:
        try:
            value = json.loads(options["value"])
        except json.JSONDecodeError as exc:
            raise ValidationFailed(f"JSON として読めません: {exc.msg}", source="--value") from None
        row = parameter_set(
            key=options["key"],
            value=value,
            effective_from=_date(options["effective_from"], "--from"),
            source=options["source"],
        )
        return {"key": row.key, "value": row.value, "from": row.effective_from.isoformat()}

    def _show(self, options: dict[str, Any]) -> dict[str, Any]:
        on = _date(options["as_of"], "--as-of") if options.get("as_of") else timezone.localdate()
        prefixes = sorted({s.key.partition(".")[0] for s in declared(options["prefix"])})
        return {
            "as_of": on.isoformat(),
            "parameters": {
                f"{unit}.{name}": value
                for unit in prefixes
                for name, value in parameters_as_of(on, prefix=unit + ".").items()
                if f"{unit}.{name}".startswith(options["prefix"])
            },
        }

    def _history(self, options: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {
                "value": r.value,
                "from": r.effective_from.isoformat(),
                "source": r.source,
                "recorded_by": r.recorded_by,
                "recorded_at": r.recorded_at.isoformat(),
            }
            for r in parameter_history(options["key"])
        ]
