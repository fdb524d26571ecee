"""``kyodo kokuho …``: 国民健康保険の資格 from the command line.

show       --tenant CODE --atena-no N [--json]   every 資格, newest first (current first)
end-at-75  --tenant CODE [--on DATE]             the daily 75歳到達 batch (default: today)
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from kyodo.atena import blocks
from kyodo.atena.models import BlockOperation
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import Actor, tenant_scope, tenant_session
from kyodo.units.kokuho.fuka import assess_household, toshofuka
from kyodo.units.kokuho.selectors import shikaku_show
from kyodo.units.kokuho.services import end_at_75, shikaku_json

CLI_PURPOSE = "CLI"


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"日付は YYYY-MM-DD です (got {text!r})", source=option) from None


def _atena_no(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise ValidationFailed(f"宛名番号は数字です (got {text!r})", source="--atena-no")
    return int(text)


class Command(KyodoCommand):
    help = "National Health Insurance (国民健康保険): 資格 show, 75歳到達 batch."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show", help="a person's 資格, current and past (newest first)")
        show.add_argument("--atena-no", required=True)
        show.add_argument("--json", action="store_true", dest="as_json")
        batch = sub.add_parser("end-at-75", help="end 資格 at the 75th birthday (後期へ)")
        batch.add_argument("--on", help="the batch date (default: today)")
        fuka = sub.add_parser("fuka", help="国保税: 当初賦課 of a 年度, or one 世帯")
        fuka.add_argument("--fiscal-year", required=True, type=int)
        fuka.add_argument("--household-no", type=int, help="only this 世帯 (re-assess)")
        for p in (show, batch, fuka):
            p.add_argument("--tenant", required=True, help="団体コード")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["tenant"]
        if not Tenant.objects.filter(code=code).exists():
            raise ValidationFailed(f"団体 {code} は登録されていません", source="--tenant")
        # The 賦課 commits a 世帯 at a time; the rest is one transaction.
        scope = tenant_session if options["action"] == "fuka" else tenant_scope
        with scope(code, actor=Actor(username="cli"), purpose=CLI_PURPOSE):
            if options["action"] == "show":
                atena_no = _atena_no(options["atena_no"])
                blocks.check(atena_no, BlockOperation.SHOKAI, may_see_protected=False)
                rows = shikaku_show(atena_no=atena_no, purpose=CLI_PURPOSE)["history"]
                if not options["as_json"]:
                    for r in rows:
                        self.stdout.write(
                            f"{r['status_label']}\t{r['acquired_on']} {r['acquire_reason_label']}"
                            f"\t{r['lost_on'] or ''} {r['lose_reason_label'] or ''}".rstrip()
                        )
                    return
                self.stdout.write(json.dumps(rows, ensure_ascii=False))
                return
            if options["action"] == "fuka":
                self._fuka(options)
                return
            on = _date(options["on"], "--on") if options.get("on") else timezone.localdate()
            ended = end_at_75(on=on)
            self.stdout.write(
                json.dumps(
                    {"on": on.isoformat(), "ended": [shikaku_json(r) for r in ended]},
                    ensure_ascii=False,
                )
            )

    def _fuka(self, options: dict[str, Any]) -> None:
        year = options["fiscal_year"]
        if options.get("household_no"):
            with tenant_scope(options["tenant"]):
                one = assess_household(options["household_no"], year, reason="再賦課（CLI）")
            rows = [one] if one is not None else []
        else:
            rows = toshofuka(year)
        self.stdout.write(
            json.dumps(
                [
                    {
                        "household_no": r.household_no,
                        "revision": r.revision,
                        "nozei_gimusha": r.nozei_gimusha,
                        "components": r.components,
                        "total": r.total,
                        "installments": r.installments,
                        "months": r.months,
                        "unconfirmed": r.unconfirmed,
                    }
                    for r in rows
                ],
                ensure_ascii=False,
            )
        )
