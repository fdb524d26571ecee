"""``kyodo juki …``: the resident registry from the command line.

move-in     --tenant CODE --json FILE
move-out    --tenant CODE --atena-no N --moved-on DATE --to ADDRESS [--notified-on DATE]
move-out-confirm --tenant CODE --atena-no N --moved-in-on DATE
death       --tenant CODE --atena-no N --died-on DATE
show        --tenant CODE --atena-no N [--as-of DATE] --json
certificate --tenant CODE --atena-no N --kind juminhyo|kisaijiko|josho|tenshutsu
            [--household] [--with honseki,zokugara,kojin_bango,juminhyo_code] --out FILE.pdf
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from kyodo.atena import blocks
from kyodo.atena.models import BlockOperation
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import Actor, tenant_scope
from kyodo.units.juki.selectors import person_record, record_json
from kyodo.units.juki.services.shussei_shibou import shibou
from kyodo.units.juki.services.tenshutsu import tenshutsu_kakutei, tenshutsu_yotei
from kyodo.units.juki.services.tenyu import TenyuRequest, read_move_in_data, tenyu

CLI_PURPOSE = "CLI"
BLOCKED_OPERATION = {
    "show": BlockOperation.SHOKAI,
    "move-out": BlockOperation.IDOU,
    "move-out-confirm": BlockOperation.IDOU,
    "death": BlockOperation.IDOU,
}


def _date(text: str | None, option: str) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"日付は YYYY-MM-DD です (got {text!r})", source=option) from None


def _atena_no(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise ValidationFailed(f"宛名番号は数字です (got {text!r})", source="--atena-no")
    return int(text)


def read_move_in(path: str) -> TenyuRequest:
    """Parse a move-in JSON file; every error names the file and the JSON path."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationFailed("ファイルがありません", source=path) from None
    except UnicodeDecodeError:
        raise ValidationFailed("UTF-8 のJSONではありません", source=path) from None
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            f"JSONとして読めません: {exc.msg} (column {exc.colno})", source=path, line=exc.lineno
        ) from None
    return read_move_in_data(data, source=path)


class Command(KyodoCommand):
    help = "Resident registry (住民記録): 異動, show, certificates."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        move_in = sub.add_parser("move-in", help="転入 of one household from a JSON file")
        move_in.add_argument("--json", required=True, dest="json_file")
        move_out = sub.add_parser("move-out", help="転出届 (planned move-out)")
        move_out.add_argument("--atena-no", required=True)
        move_out.add_argument("--moved-on", required=True)
        move_out.add_argument("--notified-on")
        move_out.add_argument("--to", required=True, dest="destination")
        move_out.add_argument("--abroad", action="store_true")
        confirm = sub.add_parser("move-out-confirm", help="転出確定 on the 転入通知")
        confirm.add_argument("--atena-no", required=True)
        confirm.add_argument("--moved-in-on", required=True)
        death = sub.add_parser("death", help="死亡 (職権消除)")
        death.add_argument("--atena-no", required=True)
        death.add_argument("--died-on", required=True)
        death.add_argument("--notified-on")
        show = sub.add_parser("show", help="a person's 住民票 now or as of a date")
        show.add_argument("--atena-no", required=True)
        show.add_argument("--as-of")
        show.add_argument("--json", action="store_true", dest="as_json")
        cert = sub.add_parser("certificate", help="issue a certificate as PDF")
        cert.add_argument("--atena-no", required=True)
        cert.add_argument(
            "--kind", required=True, choices=["juminhyo", "kisaijiko", "josho", "tenshutsu"]
        )
        cert.add_argument("--household", action="store_true")
        cert.add_argument("--with", default="", dest="with_items")
        cert.add_argument("--layout", choices=["setai_renki", "kojin"])
        cert.add_argument("--requester", default="本人")
        cert.add_argument("--purpose", default="CLI発行")
        cert.add_argument("--out", required=True)
        for p in (move_in, move_out, confirm, death, show, cert):
            p.add_argument("--tenant", required=True, help="団体コード")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["tenant"]
        if not Tenant.objects.filter(code=code).exists():
            raise ValidationFailed(f"団体 {code} は登録されていません", source="--tenant")
        action = options["action"]
        request = read_move_in(options["json_file"]) if action == "move-in" else None
        with tenant_scope(code, actor=Actor(username="cli"), purpose=CLI_PURPOSE):
            if action in BLOCKED_OPERATION:
                # The command line has no 支援措置 role: protected persons stay protected.
                blocks.check(
                    _atena_no(options["atena_no"]),
                    BLOCKED_OPERATION[action],
                    may_see_protected=False,
                )
            result = getattr(self, "_" + action.replace("-", "_"))(options, request)
        if action == "show" and not options["as_json"]:
            for key, value in result.items():
                self.stdout.write(f"{key}\t{json.dumps(value, ensure_ascii=False)}")
            return
        self.stdout.write(json.dumps(result, ensure_ascii=False))

    def _move_in(self, options: dict[str, Any], request: TenyuRequest) -> dict[str, Any]:
        outcome = tenyu(request, source=options["json_file"])
        return {
            "household_no": outcome.records[0].household_no,
            "members": [
                {"atena_no": r.atena_no, "juminhyo_code": r.juminhyo_code} for r in outcome.records
            ],
        }

    def _move_out(self, options: dict[str, Any], _: object) -> dict[str, Any]:
        moved_on = _date(options["moved_on"], "--moved-on")
        assert moved_on is not None
        outcome = tenshutsu_yotei(
            atena_nos=[_atena_no(options["atena_no"])],
            moved_on=moved_on,
            notified_on=_date(options.get("notified_on"), "--notified-on")
            or min(moved_on, timezone.localdate()),
            destination=options["destination"],
            abroad=options["abroad"],
            source="kyodo juki move-out",
        )
        return {"idou": outcome.idou.pk, "status": outcome.records[0].status}

    def _move_out_confirm(self, options: dict[str, Any], _: object) -> dict[str, Any]:
        moved_in_on = _date(options["moved_in_on"], "--moved-in-on")
        assert moved_in_on is not None
        outcome = tenshutsu_kakutei(
            atena_no=_atena_no(options["atena_no"]), moved_in_on=moved_in_on
        )
        record = outcome.records[0]
        return {
            "idou": outcome.idou.pk,
            "status": record.status,
            "shojo_date": record.shojo_date.isoformat() if record.shojo_date else None,
        }

    def _death(self, options: dict[str, Any], _: object) -> dict[str, Any]:
        died_on = _date(options["died_on"], "--died-on")
        assert died_on is not None
        outcome = shibou(
            atena_no=_atena_no(options["atena_no"]),
            died_on=died_on,
            notified_on=_date(options.get("notified_on"), "--notified-on"),
        )
        return {
            "idou": outcome.idou.pk,
            "status": outcome.records[0].status,
            "notices": outcome.notices,
        }

    def _show(self, options: dict[str, Any], _: object) -> dict[str, Any]:
        record = person_record(
            atena_no=_atena_no(options["atena_no"]),
            as_of=_date(options.get("as_of"), "--as-of"),
            purpose=CLI_PURPOSE,
        )
        return record_json(record)

    def _certificate(self, options: dict[str, Any], _: object) -> dict[str, Any]:
        from kyodo.units.juki.issue import IssueRequest, issue_certificate

        outcome = issue_certificate(
            IssueRequest(
                atena_no=_atena_no(options["atena_no"]),
                kind=options["kind"],
                household=options["household"],
                layout=options.get("layout"),
                with_items=[w.strip() for w in options["with_items"].split(",") if w.strip()],
                requester=options["requester"],
                purpose=options["purpose"],
            ),
            source="--with",
        )
        out = Path(options["out"])
        partial = out.with_name(out.name + ".partial")
        partial.write_bytes(outcome.pdf)
        partial.replace(out)
        return {"issue_no": outcome.issue_no, "pages": outcome.pages, "out": str(out)}
