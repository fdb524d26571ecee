"""``kyodo zei_kotei import|jutogai|toshokazei|show|notices``: 固定資産税 from the 課税台帳 to
the 納税通知書."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from kyodo.atena import blocks
from kyodo.atena.models import BlockOperation
from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.platform.models import Tenant
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import Actor, tenant_scope, tenant_session
from kyodo.units.zei_kotei.daicho import ImportReport, import_file, register_jutogai
from kyodo.units.zei_kotei.models import Kazei, KazeiRun
from kyodo.units.zei_kotei.notice_batch import print_notices
from kyodo.units.zei_kotei.toshokazei import Progress, toshokazei

PURPOSE = "固定資産税の賦課"
ENCODINGS = ("utf-8", "cp932")
NEEDS_YEAR = ("toshokazei", "show", "notices")


def _year(text: str | None) -> int | None:
    if text is None:
        return None
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise ValidationFailed(f"年度は西暦4桁です (got {text!r})", source="--fiscal-year")
    return int(text)


class Command(KyodoCommand):
    help = "固定資産税: receive the 課税台帳, run the 当初課税, show a 課税, print the notices."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="土地・家屋の課税台帳 / 所有権の移転 (CSV)")
        imp.add_argument("file")
        imp.add_argument("--kind", required=True, choices=("tochi", "kaoku", "shoyu"))
        jutogai = sub.add_parser("jutogai", help="住登外の所有者を宛名に登録 (CSV)")
        jutogai.add_argument("file")
        for p in (imp, jutogai):
            p.add_argument("--encoding", default="utf-8", choices=ENCODINGS)
            p.add_argument("--dry-run", action="store_true")
            p.add_argument("--report", help="write the problems as JSON here too")
        run = sub.add_parser("toshokazei", help="the 当初課税 batch (resumable)")
        run.add_argument("--resume", action="store_true")
        run.add_argument("--chunk", type=int, default=500)
        show = sub.add_parser("show", help="an owner's 課税, every revision")
        show.add_argument("--atena-no", required=True, type=int)
        notices = sub.add_parser("notices", help="print the 年度's 納税通知書 (resumable)")
        notices.add_argument("--out", required=True, help="a folder for the PDFs and manifest")
        notices.add_argument("--per-file", type=int, default=1000)
        notices.add_argument("--resume", action="store_true")
        for p in (imp, jutogai, run, show, notices):
            p.add_argument("--tenant", required=True, help="団体コード")
            p.add_argument("--fiscal-year", help="年度 (西暦), e.g. 2026")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["tenant"]
        if not Tenant.objects.filter(code=code).exists():
            raise ValidationFailed(f"団体 {code} は登録されていません", source="--tenant")
        year = _year(options.get("fiscal_year"))
        action = options["action"]
        needs_year = action in NEEDS_YEAR or (action == "import" and options["kind"] != "shoyu")
        if needs_year and year is None:
            raise ValidationFailed("--fiscal-year が必要です", source="--fiscal-year")
        # The 当初課税 commits a chunk at a time (resumable); the rest is one transaction.
        scope = tenant_session if action == "toshokazei" else tenant_scope
        with scope(code, actor=Actor(username="cli"), purpose=PURPOSE):
            getattr(self, "_" + action)(options, year)

    def _finish(self, report: ImportReport, options: dict[str, Any]) -> None:
        if options.get("report"):
            Path(options["report"]).write_text(
                json.dumps(report.as_json(), ensure_ascii=False, indent=1), encoding="utf-8"
            )
        for problem in report.problems:
            self.stderr.write(str(problem))
        summary = {k: v for k, v in report.as_json().items() if k != "problems"}
        summary["problems"] = len(report.problems)
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if report.problems:
            sys.exit(1)

    def _import(self, options: dict[str, Any], year: int | None) -> None:
        report = import_file(
            Path(options["file"]),
            kind=options["kind"],
            fiscal_year=year if options["kind"] != "shoyu" else None,
            encoding=options["encoding"],
            dry_run=options["dry_run"],
        )
        self._finish(report, options)

    def _jutogai(self, options: dict[str, Any], _year: int | None) -> None:
        report = register_jutogai(
            Path(options["file"]), encoding=options["encoding"], dry_run=options["dry_run"]
        )
        self._finish(report, options)

    def _toshokazei(self, options: dict[str, Any], year: int) -> None:
        if options["chunk"] < 1:
            raise ValidationFailed("--chunk は1以上です", source="--chunk")

        def show(p: Progress) -> None:
            self.stderr.write(
                f"当初課税 {year}年度: {p.done:,} / {p.total:,} 件 ({p.percent:.1f} %)"
            )

        run = toshokazei(year, resume=options["resume"], chunk=options["chunk"], progress=show)
        for item in run.flagged:
            self.stderr.write(f"要確認: {'、'.join(item['assets'])}: {item['reason']}")
        with tenant_scope(options["tenant"]):  # the batch ran in a session: one per chunk
            assessed = Kazei.objects.filter(run=run).count()
        summary = {
            "fiscal_year": year,
            "run": run.pk,
            "assessed": assessed,
            "flagged": run.flagged,
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))

    def _notices(self, options: dict[str, Any], year: int) -> None:
        if options["per_file"] < 1:
            raise ValidationFailed("--per-file は1以上です", source="--per-file")

        def show(done: int, total: int) -> None:
            self.stderr.write(f"納税通知書 {year}年度: {done:,} / {total:,} 通")

        manifest = print_notices(
            year,
            Path(options["out"]),
            per_file=options["per_file"],
            resume=options["resume"],
            progress=show,
        )
        self.stdout.write(
            json.dumps({"files": len(manifest["files"]), "notices": manifest["total"]})
        )

    def _show(self, options: dict[str, Any], year: int) -> None:
        atena_no = options["atena_no"]
        blocks.check(atena_no, BlockOperation.SHOKAI, may_see_protected=False)
        rows = list(
            Kazei.objects.filter(fiscal_year=year, owner_key__contains=f",{atena_no},").order_by(
                "notice_no", "revision"
            )
        )
        flagged = [
            item
            for run in KazeiRun.objects.filter(fiscal_year=year).order_by("id")
            for item in run.flagged
            if atena_no in item["owners"]
        ]
        record(
            AuditAction.READ,
            object_type="zei_kotei.kazei",
            object_id=atena_no,
            detail={"fiscal_year": year},
        )
        self.stdout.write(
            json.dumps(
                {
                    "assessments": [
                        {
                            "notice_no": r.notice_no,
                            "revision": r.revision,
                            "owners": r.owners,
                            "tax": r.tax,
                            "city_planning_tax": r.city_planning_tax,
                            "total": r.total,
                            "installments": r.installments,
                            "assets": r.assets,
                            "exempt": r.result.get("exempt"),
                            "notes": r.notes,
                            "unconfirmed": r.unconfirmed,
                            "steps": r.result.get("steps", []),
                        }
                        for r in rows
                    ],
                    "flagged": flagged,
                },
                ensure_ascii=False,
            )
        )
