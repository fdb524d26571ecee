"""``kyodo zei_kei import|toshokazei|show|notices``: 軽自動車税 種別割 from the vehicles on record
to the 納税通知書."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.db.models import Q

from kyodo.atena import blocks
from kyodo.atena.models import BlockOperation
from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.platform.models import Tenant
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import Actor, tenant_scope, tenant_session
from kyodo.units.zei_kei.models import Idou, Kazei, KazeiRun, Sharyo
from kyodo.units.zei_kei.notice_batch import print_notices
from kyodo.units.zei_kei.sharyo import import_file
from kyodo.units.zei_kei.toshokazei import Progress, toshokazei

PURPOSE = "軽自動車税の賦課"
ENCODINGS = ("utf-8", "cp932")


def _year(text: str | None) -> int:
    if text is None or not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise ValidationFailed(f"年度は西暦4桁です (got {text!r})", source="--fiscal-year")
    return int(text)


class Command(KyodoCommand):
    help = "軽自動車税: receive vehicles, run the 当初課税, show a 課税, print the notices."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="車両の登録・廃車 (CSV)")
        imp.add_argument("file")
        imp.add_argument("--encoding", default="utf-8", choices=ENCODINGS)
        imp.add_argument("--dry-run", action="store_true")
        imp.add_argument("--report", help="write the problems as JSON here too")
        run = sub.add_parser("toshokazei", help="the 当初課税 batch (resumable)")
        run.add_argument("--resume", action="store_true")
        run.add_argument("--chunk", type=int, default=1000)
        show = sub.add_parser("show", help="an owner's vehicles and 課税, every revision")
        show.add_argument("--atena-no", required=True, type=int)
        notices = sub.add_parser("notices", help="print the 年度's 納税通知書 (resumable)")
        notices.add_argument("--out", required=True, help="a folder for the PDFs and manifest")
        notices.add_argument("--per-file", type=int, default=1000)
        notices.add_argument("--resume", action="store_true")
        imp.add_argument("--tenant", required=True, help="団体コード")
        for p in (run, show, notices):
            p.add_argument("--tenant", required=True, help="団体コード")
            p.add_argument("--fiscal-year", required=True, help="年度 (西暦), e.g. 2026")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["tenant"]
        if not Tenant.objects.filter(code=code).exists():
            raise ValidationFailed(f"団体 {code} は登録されていません", source="--tenant")
        action = options["action"]
        year = _year(options.get("fiscal_year")) if action != "import" else 0
        # The 当初課税 commits a chunk at a time (resumable); the rest is one transaction.
        scope = tenant_session if action == "toshokazei" else tenant_scope
        with scope(code, actor=Actor(username="cli"), purpose=PURPOSE):
            getattr(self, "_" + action)(options, year)

    def _import(self, options: dict[str, Any], _year: int) -> None:
        report = import_file(
            Path(options["file"]), encoding=options["encoding"], dry_run=options["dry_run"]
        )
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

    def _toshokazei(self, options: dict[str, Any], year: int) -> None:
        if options["chunk"] < 1:
            raise ValidationFailed("--chunk は1以上です", source="--chunk")

        def show(p: Progress) -> None:
            self.stderr.write(
                f"当初課税 {year}年度: {p.done:,} / {p.total:,} 台 ({p.percent:.1f} %)"
            )

        run = toshokazei(year, resume=options["resume"], chunk=options["chunk"], progress=show)
        for item in run.flagged:
            self.stderr.write(f"要確認: {item['hyoshiki_no']}: {item['reason']}")
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
        history = Sharyo.objects.filter(atena_no=atena_no).values_list("hyoshiki_no", flat=True)
        numbers = set(history)
        vehicles = [
            {
                "hyoshiki_no": r.hyoshiki_no,
                "idou": r.idou,
                "on": r.on.isoformat(),
                "kind": r.kind,
                "atena_no": r.atena_no,
            }
            for r in Sharyo.objects.filter(
                Q(atena_no=atena_no) | Q(hyoshiki_no__in=numbers, idou=Idou.HAISHA)
            ).order_by("hyoshiki_no", "on", "id")
        ]
        rows = Kazei.objects.filter(fiscal_year=year, atena_no=atena_no).order_by(
            "hyoshiki_no", "revision"
        )
        flagged = [
            item
            for run in KazeiRun.objects.filter(fiscal_year=year).order_by("id")
            for item in run.flagged
            if item["atena_no"] == atena_no
        ]
        record(
            AuditAction.READ,
            object_type="zei_kei.kazei",
            object_id=atena_no,
            detail={"fiscal_year": year},
        )
        self.stdout.write(
            json.dumps(
                {
                    "vehicles": vehicles,
                    "assessments": [
                        {
                            "notice_no": r.notice_no,
                            "hyoshiki_no": r.hyoshiki_no,
                            "revision": r.revision,
                            "rate_kind": r.rate_kind,
                            "total": r.total,
                            "installments": r.installments,
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
