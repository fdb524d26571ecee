"""``kyodo audit verify|export``: check the hash chains; export a municipality's trail."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import re
from typing import Any

from django.core.management.base import CommandError, CommandParser

from kyodo.platform.audit import record
from kyodo.platform.audit.verify import verify_all
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.platform.models import AuditRecord, Tenant
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import tenant_scope

CSV_COLUMNS = [
    "seq",
    "occurred_at",
    "tenant",
    "actor",
    "actor_id",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "ip",
    "detail",
    "prev_hash",
    "hash",
]


def _date(text: str) -> dt.date:
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationFailed(
            f"日付は YYYY-MM-DD です (got {text!r})", field="since", source="--since"
        ) from exc


def _csv_row(r: AuditRecord) -> list[object]:
    return [
        r.seq,
        r.occurred_at.isoformat(),
        r.chain,
        r.actor,
        r.actor_id or "",
        r.action,
        r.object_type,
        r.object_id,
        r.purpose,
        r.ip or "",
        json.dumps(r.detail, ensure_ascii=False, sort_keys=True),
        r.prev_hash,
        r.hash,
    ]


class Command(KyodoCommand):
    help = "Verify the audit trail's hash chains, or export one municipality's trail as CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="exit 0 when every chain is intact")
        export = sub.add_parser("export", help="write CSV")
        export.add_argument("--tenant", required=True, help="団体コード")
        export.add_argument("--since", required=True, help="YYYY-MM-DD (inclusive)")
        export.add_argument("--out", help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self._verify()
        else:
            self._export(options["tenant"], _date(options["since"]), options.get("out"))

    def _verify(self) -> None:
        broken = []
        for result in verify_all():
            status = "OK" if result.problem is None else "BROKEN"
            self.stdout.write(f"{status}\tchain {result.chain}\t{result.records} records")
            if result.problem:
                broken.append(result.problem)
        if broken:
            raise CommandError("audit chain broken: " + broken[0])

    def _export(self, code: str, since: dt.date, out: str | None) -> None:
        if not Tenant.objects.filter(code=code).exists():
            raise ValidationFailed(
                f"団体 {code} は登録されていません", field="tenant", source="--tenant"
            )
        start = dt.datetime.combine(since, dt.time.min, tzinfo=dt.timezone(dt.timedelta(hours=9)))
        # Written beside the target and renamed at the end, inside the transaction that
        # records the export: a failed export leaves neither a file nor an EXPORT record.
        partial = f"{out}.partial" if out else None
        count = 0
        try:
            with tenant_scope(code, purpose="監査ログ出力"):
                opened = open(partial, "w", newline="", encoding="utf-8") if partial else None  # noqa: SIM115
                with opened if opened else contextlib.nullcontext(self.stdout) as handle:
                    writer = csv.writer(handle)
                    writer.writerow(CSV_COLUMNS)
                    rows = AuditRecord.objects.filter(chain=code, occurred_at__gte=start)
                    for r in rows.order_by("seq").iterator(chunk_size=5000):
                        writer.writerow(_csv_row(r))
                        count += 1
                    record(
                        AuditAction.EXPORT,
                        object_type="audit",
                        object_id=code,
                        detail={"since": since.isoformat(), "rows": count},
                    )
                if partial and out:
                    os.replace(partial, out)
        except BaseException as exc:
            if partial and os.path.exists(partial):
                os.unlink(partial)
            if isinstance(exc, OSError) and exc.errno is not None:
                raise ValidationFailed(
                    f"書き込めません: {exc.strerror}", field="out", source="--out"
                ) from exc
            raise
        if out:
            self.stderr.write(f"wrote {count} records to {out}")
