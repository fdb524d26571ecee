"""``kyodo kyogikai``: the consortium secretariat's commands.

    kyodo kyogikai member list --consortium S
    kyodo kyogikai member join --consortium S --code C --name N --population P \
        --joined-on D --units juki,zei_kojin:2027 [--current-cost Y] [--from FOLDER]
    kyodo kyogikai member units --code C --units …
    kyodo kyogikai member leave --code C --export-to NEW_FOLDER [--left-on D]
    kyodo kyogikai member purge-check --code C
    kyodo kyogikai formula add --consortium S --name N --equal 0.3 --population 0.7 \
        [--units-ratio R] [--unit-weights juki=3,…] [--min-saving 0.3] [--one-off-outside]
    kyodo kyogikai period add --consortium S --label L --start D --end D --total Y \
        --formula N [--one-off JSON]
    kyodo kyogikai period compare --consortium S --label L --with FORMULA
    kyodo kyogikai period issue --consortium S --label L
    kyodo kyogikai invoice --consortium S --label L (--pdf FILE | --csv FILE)
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.db import transaction
from django.utils import timezone

from kyodo.kyogikai import billing, members, pdf
from kyodo.kyogikai.models import BillingPeriod, Formula, Member
from kyodo.kyogikai.purge import check
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.platform.models import Consortium
from kyodo.platform.tenancy.context import Actor

ACTOR = Actor(username="cli")


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"日付は YYYY-MM-DD で指定してください（{text!r}）") from None


def _ratio(text: str | None, field: str) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationFailed(f"{text!r} は数値ではありません", field=field) from None
    if not 0 <= value <= 1:
        raise ValidationFailed(f"0以上1以下で指定してください（{text}）", field=field)
    return value


def _consortium(slug: str) -> Consortium:
    found = Consortium.objects.filter(slug=slug).first()
    if found is None:
        raise ValidationFailed(f"協議会 {slug!r} はありません", field="consortium")
    return found


def _member(code: str) -> Member:
    found = Member.objects.filter(tenant_code=code, left_on__isnull=True).first()
    if found is None:
        raise ValidationFailed(f"団体 {code} は参加団体ではありません", field="code")
    return found


def _period(slug: str, label: str) -> BillingPeriod:
    found = BillingPeriod.objects.filter(consortium=_consortium(slug), label=label).first()
    if found is None:
        raise ValidationFailed(f"請求期間 {label!r} はありません", field="label")
    return found


def _formula(consortium: Consortium, name: str) -> Formula:
    found = Formula.objects.filter(consortium=consortium, name=name).first()
    if found is None:
        raise ValidationFailed(f"負担割合 {name!r} はありません", field="formula")
    return found


class Command(KyodoCommand):
    help = "協議会: 参加団体（参加・業務・脱退と消去確認）、負担割合、請求"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="area", required=True)
        member = sub.add_parser("member").add_subparsers(dest="action", required=True)
        listing = member.add_parser("list")
        listing.add_argument("--consortium", required=True)
        join = member.add_parser("join")
        join.add_argument("--consortium", required=True)
        join.add_argument("--code", required=True)
        join.add_argument("--name", required=True)
        join.add_argument("--population", type=int, required=True)
        join.add_argument("--joined-on", required=True)
        join.add_argument("--units", required=True, help="juki,zei_kojin:2027,kokuho:2026-2030")
        join.add_argument("--current-cost", type=int)
        join.add_argument("--from", dest="folder", help="standard-layout folder to load")
        units = member.add_parser("units")
        units.add_argument("--code", required=True)
        units.add_argument("--units", required=True)
        leave = member.add_parser("leave")
        leave.add_argument("--code", required=True)
        leave.add_argument("--export-to", required=True, help="a new or empty folder")
        leave.add_argument("--left-on", help="default: today")
        purge_check = member.add_parser("purge-check")
        purge_check.add_argument("--code", required=True)

        formula = sub.add_parser("formula").add_subparsers(dest="action", required=True)
        add = formula.add_parser("add")
        add.add_argument("--consortium", required=True)
        add.add_argument("--name", required=True)
        add.add_argument("--equal", default="0")
        add.add_argument("--population", default="0")
        add.add_argument("--units-ratio", default="0")
        add.add_argument("--unit-weights", default="", help="juki=3,zei_kojin=2")
        add.add_argument("--min-saving")
        add.add_argument("--one-off-outside", action="store_true", help="保障は経常分のみ")

        period = sub.add_parser("period").add_subparsers(dest="action", required=True)
        padd = period.add_parser("add")
        for name in ("--consortium", "--label", "--start", "--end", "--formula"):
            padd.add_argument(name, required=True)
        padd.add_argument("--total", type=int, required=True)
        padd.add_argument("--one-off", default="[]", help='[{"name":…,"amount":…,"key":…}]')
        for action in ("show", "issue", "compare"):
            p = period.add_parser(action)
            p.add_argument("--consortium", required=True)
            p.add_argument("--label", required=True)
            if action == "compare":
                p.add_argument("--with", dest="other", required=True, help="another formula")

        invoice = sub.add_parser("invoice")
        invoice.add_argument("--consortium", required=True)
        invoice.add_argument("--label", required=True)
        invoice.add_argument("--pdf")
        invoice.add_argument("--csv")

    def _out(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str))

    def handle(self, *args: Any, **o: Any) -> None:
        getattr(self, f"_{o['area']}_{o.get('action') or 'run'}".replace("-", "_"))(o)

    # --- members ----------------------------------------------------------------------------

    def _member_list(self, o: dict[str, Any]) -> None:
        consortium = _consortium(o["consortium"])
        rows = Member.objects.filter(consortium=consortium).prefetch_related("units")
        self._out(
            [
                {
                    "code": m.tenant_code,
                    "name": m.name,
                    "joined_on": m.joined_on,
                    "left_on": m.left_on,
                    "purged": bool(m.purged_at),
                    "units": [
                        {"unit": u.unit, "start_fy": u.start_fy, "end_fy": u.end_fy}
                        for u in m.units.all()
                    ],
                }
                for m in rows
            ]
        )

    def _member_join(self, o: dict[str, Any]) -> None:
        joined_on = _date(o["joined_on"])
        start = billing.fiscal_year(joined_on)

        def show(file: str, rows: int) -> None:
            self.stderr.write(f"取込 {file}: {rows:,} 件")

        try:
            member = members.join(
                consortium=_consortium(o["consortium"]),
                code=o["code"],
                name=o["name"],
                population=o["population"],
                joined_on=joined_on,
                units=members.parse_units(o["units"], default_start=start),
                current_cost=o["current_cost"],
                folder=Path(o["folder"]) if o["folder"] else None,
                actor=ACTOR,
                progress=show,
            )
        except members.ImportRefused as refused:
            for problem in refused.result.problems.shown:
                self.stderr.write(str(problem))
            raise
        self._out({"joined": member.tenant_code, "name": member.name})

    def _member_units(self, o: dict[str, Any]) -> None:
        member = _member(o["code"])
        start = billing.fiscal_year(member.joined_on)
        members.set_units(member, members.parse_units(o["units"], default_start=start), actor=ACTOR)
        self._out({"code": member.tenant_code, "units": o["units"]})

    def _member_leave(self, o: dict[str, Any]) -> None:
        member = _member(o["code"])
        left_on = _date(o["left_on"]) if o["left_on"] else timezone.localdate()

        def show(file: str, rows: int) -> None:
            self.stderr.write(f"出力 {file}: {rows:,} 件")

        report = members.leave(
            member, export_to=Path(o["export_to"]), left_on=left_on, actor=ACTOR, progress=show
        )
        for line in report.lines():
            self.stderr.write(line)
        self._out(report.as_json())
        if not report.clean:
            sys.exit(1)

    def _member_purge_check(self, o: dict[str, Any]) -> None:
        member = (
            Member.objects.filter(tenant_code=o["code"], purged_at__isnull=False)
            .order_by("-purged_at")
            .first()
        )
        if member is None or member.purged_at is None:
            raise ValidationFailed(f"団体 {o['code']} は脱退・消去されていません", field="code")
        report = check(member.tenant_code, left_at=member.purged_at)
        for line in report.lines():
            self.stderr.write(line)
        self._out(report.as_json())
        if not report.clean:
            sys.exit(1)

    # --- formulas and periods ---------------------------------------------------------------

    def _formula_add(self, o: dict[str, Any]) -> None:
        weights = billing.parse_unit_weights(o["unit_weights"])
        formula = Formula(
            consortium=_consortium(o["consortium"]),
            name=o["name"],
            equal_ratio=_ratio(o["equal"], "equal"),
            population_ratio=_ratio(o["population"], "population"),
            units_ratio=_ratio(o["units_ratio"], "units_ratio"),
            unit_weights=weights,
            min_saving=_ratio(o["min_saving"], "min_saving"),
            guarantee_covers_one_off=not o["one_off_outside"],
        )
        billing.check_formula(formula)
        formula.save()
        self._out({"formula": formula.name})

    def _period_add(self, o: dict[str, Any]) -> None:
        consortium = _consortium(o["consortium"])
        try:
            one_off = json.loads(o["one_off"])
        except json.JSONDecodeError as error:
            raise ValidationFailed(
                f"JSONとして読めません（{error.msg}）", field="one-off"
            ) from None
        with transaction.atomic():
            period = BillingPeriod.objects.create(
                consortium=consortium,
                label=o["label"],
                start=_date(o["start"]),
                end=_date(o["end"]),
                total=o["total"],
                one_off=one_off,
                formula=_formula(consortium, o["formula"]),
            )
            billing.preview(period)  # refuse a period the formula cannot split
        self._out({"period": period.label})

    def _period_show(self, o: dict[str, Any]) -> None:
        period = _period(o["consortium"], o["label"])
        self._out(period.result if period.issued_at else billing.preview(period))

    def _period_compare(self, o: dict[str, Any]) -> None:
        period = _period(o["consortium"], o["label"])
        other = _formula(period.consortium, o["other"])
        self._out(billing.compare(period, period.formula, other))

    def _period_issue(self, o: dict[str, Any]) -> None:
        period = _period(o["consortium"], o["label"])
        invoices = billing.issue(period, actor=ACTOR)
        self._out([{"number": i.number, "amount": i.amount} for i in invoices])

    def _invoice_run(self, o: dict[str, Any]) -> None:
        period = _period(o["consortium"], o["label"])
        if period.issued_at is None:
            raise ValidationFailed(f"{period.label} の請求はまだ確定していません", field="label")
        invoices = list(period.invoices.select_related("member", "period__consortium"))
        if not (o["pdf"] or o["csv"]):
            raise ValidationFailed("--pdf か --csv を指定してください", field="pdf")
        if o["pdf"]:
            Path(o["pdf"]).write_bytes(pdf.render(invoices))
        if o["csv"]:
            Path(o["csv"]).write_text(billing.invoice_csv(invoices), encoding="utf-8")
        self._out({"invoices": len(invoices), "pdf": o["pdf"], "csv": o["csv"]})
