"""``kyodo zei_kojin import|shinkoku|toshokazei|show``: 個人住民税 from 課税資料 to 課税."""

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
from kyodo.rules import juminzei
from kyodo.units.zei_kojin.models import Kazei
from kyodo.units.zei_kojin.notice_batch import print_employer_notices, print_notices
from kyodo.units.zei_kojin.shiryo import ImportReport, import_file, register_shinkoku
from kyodo.units.zei_kojin.toshokazei import Progress, toshokazei

PURPOSE = "個人住民税の賦課"
ENCODINGS = ("utf-8", "cp932")


def _year(text: str) -> int:
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise ValidationFailed(f"年度は西暦4桁です (got {text!r})", source="--fiscal-year")
    return int(text)


class Command(KyodoCommand):
    help = "個人住民税: receive 課税資料, run the 当初課税, show a taxpayer's 課税."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="給与支払報告書 / 公的年金等支払報告書 (CSV)")
        imp.add_argument("file")
        imp.add_argument("--kind", required=True, choices=("kyuyo", "nenkin"))
        imp.add_argument("--encoding", default="utf-8", choices=ENCODINGS)
        shin = sub.add_parser("shinkoku", help="住民税申告書 (JSON list)")
        shin.add_argument("file")
        for p in (imp, shin):
            p.add_argument("--dry-run", action="store_true")
            p.add_argument("--report", help="write the problems as JSON here too")
        run = sub.add_parser("toshokazei", help="the 当初課税 batch (resumable)")
        run.add_argument("--resume", action="store_true")
        # 50,000 a transaction: about 400 MB per worker; fewer, larger chunks measured ~10 %
        # faster than 25,000 over a million taxpayers (bench/RESULTS.md).
        run.add_argument("--chunk", type=int, default=50_000)
        run.add_argument("--trail", action="store_true", help="store every step (scalar, slower)")
        run.add_argument(
            "--workers", type=int, default=1, help="processes assessing chunks at once"
        )
        show = sub.add_parser("show", help="a taxpayer's 課税, every revision")
        show.add_argument("--atena-no", required=True, type=int)
        notices = sub.add_parser("notices", help="print the 年度's 通知書 (resumable)")
        notices.add_argument("--out", required=True, help="a folder for the PDFs and manifest")
        notices.add_argument("--per-file", type=int, default=1000)
        notices.add_argument("--resume", action="store_true")
        employers = sub.add_parser("employer-notices", help="特別徴収義務者用の決定通知書 (PDF)")
        employers.add_argument("--out", required=True, help="the PDF file to write")
        for p in (imp, shin, run, show, notices, employers):
            p.add_argument("--tenant", required=True, help="団体コード")
            p.add_argument("--fiscal-year", required=True, help="年度 (西暦), e.g. 2026")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["tenant"]
        if not Tenant.objects.filter(code=code).exists():
            raise ValidationFailed(f"団体 {code} は登録されていません", source="--tenant")
        year = _year(options["fiscal_year"])
        # The 当初課税 commits a chunk at a time (resumable); the rest is one transaction.
        scope = tenant_session if options["action"] == "toshokazei" else tenant_scope
        with scope(code, actor=Actor(username="cli"), purpose=PURPOSE):
            getattr(self, "_" + options["action"].replace("-", "_"))(options, year)

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

    def _import(self, options: dict[str, Any], year: int) -> None:
        report = import_file(
            Path(options["file"]),
            kind=options["kind"],
            fiscal_year=year,
            encoding=options["encoding"],
            dry_run=options["dry_run"],
        )
        self._finish(report, options)

    def _shinkoku(self, options: dict[str, Any], year: int) -> None:
        report = register_shinkoku(
            Path(options["file"]), fiscal_year=year, dry_run=options["dry_run"]
        )
        self._finish(report, options)

    def _toshokazei(self, options: dict[str, Any], year: int) -> None:
        if options["chunk"] < 1:
            raise ValidationFailed("--chunk は1以上です", source="--chunk")
        if options["workers"] < 1:
            raise ValidationFailed("--workers は1以上です", source="--workers")

        def show(p: Progress) -> None:
            self.stderr.write(
                f"当初課税 {year}年度: {p.done:,} / {p.total:,} 人 ({p.percent:.1f} %)"
            )

        run = toshokazei(
            year,
            resume=options["resume"],
            chunk=options["chunk"],
            progress=show,
            vectorised=not options["trail"],
            workers=options["workers"],
        )
        summary = {
            "fiscal_year": year,
            "run": run.pk,
            "assessed": run.done - len(run.excluded),
            "excluded": run.excluded,
        }
        self.stdout.write(json.dumps(summary, ensure_ascii=False))

    def _notices(self, options: dict[str, Any], year: int) -> None:
        if options["per_file"] < 1:
            raise ValidationFailed("--per-file は1以上です", source="--per-file")

        def show(done: int, total: int) -> None:
            self.stderr.write(f"通知書 {year}年度: {done:,} / {total:,} 通")

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

    def _employer_notices(self, options: dict[str, Any], year: int) -> None:
        count = print_employer_notices(year, Path(options["out"]))
        self.stdout.write(json.dumps({"employers": count, "file": options["out"]}))

    def _show(self, options: dict[str, Any], year: int) -> None:
        atena_no = options["atena_no"]
        blocks.check(atena_no, BlockOperation.SHOKAI, may_see_protected=False)
        rows = list(Kazei.objects.filter(fiscal_year=year, atena_no=atena_no).order_by("revision"))
        record(
            AuditAction.READ,
            object_type="zei_kojin.kazei",
            object_id=atena_no,
            detail={"fiscal_year": year},
        )
        self.stdout.write(
            json.dumps(
                [
                    {
                        "revision": r.revision,
                        "total": r.total,
                        "city": {
                            "shotokuwari": r.city_shotokuwari,
                            "kintouwari": r.city_kintouwari,
                        },
                        "pref": {
                            "shotokuwari": r.pref_shotokuwari,
                            "kintouwari": r.pref_kintouwari,
                        },
                        "forest_env_tax": r.forest_env_tax,
                        "choshu": r.choshu,
                        "tokucho_payer_no": r.tokucho_payer_no or None,
                        "installments": r.installments,
                        "unconfirmed": _unconfirmed(r),
                        "steps": _steps(r),
                    }
                    for r in rows
                ],
                ensure_ascii=False,
            )
        )


def _recomputed(row: Kazei) -> dict[str, Any]:
    """A vectorised assessment keeps no trail: the scalar calculator recomputes it from the
    stored input (same law data, same yen)."""
    if "steps" in row.result:
        return row.result
    return juminzei.calculate(row.calc_input)


def _steps(row: Kazei) -> list[dict[str, Any]]:
    return list(_recomputed(row)["steps"])


def _unconfirmed(row: Kazei) -> list[str]:
    return list(_recomputed(row).get("unconfirmed", []))
