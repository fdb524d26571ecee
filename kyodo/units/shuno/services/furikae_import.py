"""Importing a 口座振替 result file: check all, then load in one go (as the コンビニ import).

Layout: ``furikae_file`` and docs/formats/kouza-furikae.md. Each data row names one installment
by its 顧客番号 (税目・年度・通知書番号・期別) and says whether the bank debited it:

*Rejected* — the file is refused whole, nothing written: a record that is not ASCII or not 120
characters, a field that is not digits or not a date, an unknown 振替結果コード, records out of
order, trailer counts or totals that do not add up, an 引落日 in the future. Every problem is
reported.

*振替済* (code 0) — the bank took the money: a payment (``Shuno``, channel 口座振替, 収納日 = the
引落日) applied to its installment up to what it still owes; more is a 過誤納 (as in
``keshikomi``). A row whose installment cannot be found, or whose 顧客番号 appears twice in the
file, is kept as a held payment (保留) with its reason and reported — the money is never lost.

*振替不能* (any other code) — no money moved: recorded as ``FurikaeFuno`` with the bank's reason
so the clerk sends a 納付書; it is not a payment. One naming no installment here is reported
and not recorded (there is nothing to collect on).

Idempotent: a row's key is ``furikae:<委託者コード>:<引落日>:<顧客番号>``. Loading the file again
finds every key and writes nothing; a key loaded before with different content is held (a
payment) or reported (振替不能). A dry run reports the same and writes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from kyodo.platform.audit import record as audit
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import require_tenant_code
from kyodo.units.shuno import furikae_file
from kyodo.units.shuno.models import (
    Channel,
    FurikaeFile,
    FurikaeFuno,
    FurikaeResult,
    HoldReason,
    Kagono,
    KagonoReason,
    Keshikomi,
    KeshikomiKind,
    Report,
    Shuno,
    TaxKind,
)
from kyodo.units.shuno.services import bulk, ledger, lookups
from kyodo.units.shuno.services.payment_import import (
    HELD,
    KAGONO_COLUMNS,
    KESHIKOMI_COLUMNS,
    REJECTED,
    SHUNO_COLUMNS,
    Issue,
)

REPORTED = "reported"  # a 振替不能 row that names nothing here: reported, not recorded
FUNO_COLUMNS = (
    "tenant_id", "key", "chotei_id", "result_code", "amount", "transfer_on", "source",
    "source_line", "recorded_at", "recorded_by",
)  # fmt: skip


@dataclass
class FurikaeReport:
    file: str
    sha256: str
    dry_run: bool
    itakusha_code: str | None = None
    transfer_on: str | None = None
    rows: int = 0
    applied: int = 0
    applied_amount: int = 0
    funo: int = 0
    funo_amount: int = 0
    held: int = 0
    held_amount: int = 0
    already_loaded: int = 0
    kagono_amount: int = 0
    written: bool = False
    issues: list[Issue] = field(default_factory=list)

    @property
    def rejected(self) -> bool:
        return any(i.disposition == REJECTED for i in self.issues)

    @property
    def status(self) -> str:
        if self.rejected:
            return "rejected"
        if self.dry_run:
            return "dry_run"
        return "loaded" if self.written else "nothing_new"

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "sha256": self.sha256,
            "itakusha_code": self.itakusha_code,
            "transfer_on": self.transfer_on,
            "status": self.status,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "counts": {
                "applied": self.applied,
                "funo": self.funo,
                "held": self.held,
                "already_loaded": self.already_loaded,
                "rejected": len({i.line for i in self.issues if i.disposition == REJECTED}),
            },
            "amounts": {
                "applied": self.applied_amount,
                "funo": self.funo_amount,
                "held": self.held_amount,
                "kagono": self.kagono_amount,
            },
            "issues": [
                {
                    "file": self.file,
                    "line": i.line,
                    "field": i.field,
                    "label": i.label,
                    "columns": i.columns,
                    "code": i.code,
                    "disposition": i.disposition,
                    "reason": i.reason,
                }
                for i in self.issues
            ],
        }


@dataclass
class _Entry:
    row: furikae_file.Row
    key: str
    chotei_id: int | None = None
    atena_no: int | None = None
    owes: int = 0
    issue: Issue | None = None
    hold: HoldReason | None = None
    loaded: bool = False
    take: int = 0
    surplus: int = 0


def _issue(row: furikae_file.Row, code: str, reason: str, disposition: str) -> Issue:
    spec = furikae_file.DATA_FIELDS["customer_no"]
    return Issue(row.line, spec.name, spec.label, spec.columns, code, reason, disposition)


def import_furikae(content: bytes, *, name: str, dry_run: bool = False) -> FurikaeReport:
    """Check ``content`` completely, then (unless rejected or a dry run) load it at once."""
    report = FurikaeReport(file=name, sha256=hashlib.sha256(content).hexdigest(), dry_run=dry_run)
    parsed = furikae_file.read(content)
    report.rows = parsed.data_records
    for p in parsed.problems:
        report.issues.append(
            Issue(p.line, p.field, p.label, p.columns, "format", p.reason, REJECTED)
        )
    header = parsed.header
    if header is None:
        return report
    report.itakusha_code, report.transfer_on = header.itakusha_code, header.transfer_on.isoformat()
    if header.transfer_on > timezone.localdate():
        spec = furikae_file.HEADER_FIELDS["transfer_on"]
        report.issues.append(
            Issue(1, spec.name, spec.label, spec.columns, "format",
                  f"引落日 {header.transfer_on} が未来の日付です", REJECTED)
        )  # fmt: skip
    writing = not dry_run and not report.rejected
    if writing:
        ledger.lock()
    entries = _plan(parsed.rows, header)
    for e in entries:
        if e.loaded:
            report.already_loaded += 1
        elif e.issue is not None:
            report.issues.append(e.issue)
            if e.row.transferred:  # money taken: kept as a held payment
                report.held += 1
                report.held_amount += e.row.amount
        elif e.row.transferred:
            report.applied += 1
            report.applied_amount += e.row.amount
            report.kagono_amount += e.surplus
        else:
            report.funo += 1
            report.funo_amount += e.row.amount
    report.issues.sort(key=lambda i: (i.line or 0, i.disposition))
    todo = [e for e in entries if not e.loaded and (e.row.transferred or e.chotei_id is not None)]
    if writing and todo:
        _write(todo, header, report, name=name, rows=parsed.data_records)
        report.written = True
    else:
        audit(
            AuditAction.READ,
            object_type="shuno.furikae_file",
            detail={"act": "import_check", "file": name, "sha256": report.sha256,
                    "status": report.status, "rows": report.rows},
        )  # fmt: skip
    return report


def _plan(rows: list[furikae_file.Row], header: furikae_file.Header) -> list[_Entry]:
    prefix = f"furikae:{header.itakusha_code}:{header.transfer_on:%Y%m%d}:"
    entries: list[_Entry] = []
    first: dict[str, int] = {}
    for row in rows:
        key = prefix + row.customer_no
        entry = _Entry(row=row, key=key)
        if key in first:
            entry.key = f"{key}#line{row.line}"
            entry.hold = HoldReason.DUPLICATE_IN_FILE
            entry.issue = _issue(
                row,
                entry.hold.value,
                f"顧客番号 {row.customer_no} が {first[key]} 行目と重複しています",
                HELD if row.transferred else REPORTED,
            )
        else:
            first[key] = row.line
        entries.append(entry)
    _find_loaded(entries)
    found = lookups.chotei_by_notice(
        {e.row.notice for e in entries if e.row.notice and not e.loaded}
    )
    for e in entries:
        if e.loaded or e.issue is not None:
            continue
        hit = found.get(e.row.notice) if e.row.notice else None
        if hit is None:
            e.hold = HoldReason.UNKNOWN_NOTICE
            e.issue = _issue(
                e.row, e.hold.value, _unknown(e.row), HELD if e.row.transferred else REPORTED
            )
            continue
        e.chotei_id, e.atena_no, e.owes = hit
    remaining: dict[int, int] = {}
    for e in entries:
        if e.loaded or e.issue is not None or not e.row.transferred or e.chotei_id is None:
            continue
        owes = remaining.get(e.chotei_id, max(e.owes, 0))
        e.take = min(e.row.amount, owes)
        e.surplus = e.row.amount - e.take
        remaining[e.chotei_id] = owes - e.take
    return entries


def _unknown(row: furikae_file.Row) -> str:
    if row.notice is None:
        return (
            f"顧客番号 {row.customer_no} は Kyodo の形式"
            "（00000+税目+年度+通知書番号+期別）ではありません"
        )
    kind, year, notice_no, kibetsu = row.notice
    return (
        f"{TaxKind(kind).label} {year}年度 通知書番号 {notice_no} 第{kibetsu}期 の調定がありません"
    )


def _find_loaded(entries: list[_Entry]) -> None:
    """Rows loaded before: the same content is nothing new; other content is a conflict."""
    paid = lookups.shuno_by_key({e.key for e in entries if e.row.transferred})
    wanted = [e.key for e in entries if not e.row.transferred]
    funo = {
        f.key: f
        for start in range(0, len(wanted), lookups.CHUNK)
        for f in FurikaeFuno.objects.filter(key__in=wanted[start : start + lookups.CHUNK])
    }
    for e in entries:
        if e.row.transferred and e.key in paid:
            before = paid[e.key]
            if before["amount"] == e.row.amount:  # the key holds the 引落日
                e.loaded = True
            else:
                e.key, e.hold = f"{e.key}#conflict", HoldReason.KEY_CONFLICT
                e.issue = _issue(
                    e.row,
                    e.hold.value,
                    f"顧客番号 {e.row.customer_no} は取込済み（{before['source']} "
                    f"{before['source_line']} 行目）と金額が違います",
                    HELD,
                )
        elif not e.row.transferred and e.key in funo:
            f = funo[e.key]
            if (f.amount, f.result_code) == (e.row.amount, e.row.result_code):
                e.loaded = True
            else:
                e.issue = _issue(e.row, HoldReason.KEY_CONFLICT.value,
                                 f"顧客番号 {e.row.customer_no} の振替不能は取込済み（{f.source} "
                                 f"{f.source_line} 行目）と内容が違います", REPORTED)  # fmt: skip
                e.hold = HoldReason.KEY_CONFLICT
    conflicts = lookups.shuno_by_key({e.key for e in entries if e.key.endswith("#conflict")})
    for e in entries:
        if e.key in conflicts:
            e.loaded, e.issue, e.hold = True, None, None


def _write(
    entries: list[_Entry],
    header: furikae_file.Header,
    report: FurikaeReport,
    *,
    name: str,
    rows: int,
) -> None:
    tenant, at, by = require_tenant_code(), ledger.now(), ledger.actor()
    on, source = header.transfer_on, name[:255]
    record = FurikaeFile.objects.create(
        name=source, sha256=report.sha256, itakusha_code=header.itakusha_code,
        transfer_on=on, rows=rows, imported_at=at, imported_by=by,
    )  # fmt: skip
    payments = [e for e in entries if e.row.transferred]
    ids = bulk.reserve_ids(Shuno, len(payments))
    shuno_rows, keshikomi_rows, kagono_rows = [], [], []
    for e, pk in zip(payments, ids, strict=True):
        shuno_rows.append(
            (pk, tenant, e.key, Channel.BANK_TRANSFER.value, Report.KAKUHO.value, e.row.amount, on,
             "", e.atena_no, e.hold.value if e.hold else "", e.issue.reason if e.issue else "",
             source, e.row.line, at, by)
        )  # fmt: skip
        if e.take:
            keshikomi_rows.append(
                (tenant, e.chotei_id, KeshikomiKind.SHUNO.value, e.take, on, pk, at)
            )
        if e.surplus:
            kagono_rows.append(
                (
                    tenant,
                    e.atena_no,
                    e.surplus,
                    on,
                    KagonoReason.OVERPAID.value,
                    pk,
                    e.chotei_id,
                    at,
                )
            )
    funo_rows = [
        (
            tenant,
            e.key,
            e.chotei_id,
            e.row.result_code,
            e.row.amount,
            on,
            source,
            e.row.line,
            at,
            by,
        )
        for e in entries
        if not e.row.transferred and e.chotei_id is not None and e.issue is None
    ]
    bulk.insert(Shuno, SHUNO_COLUMNS, shuno_rows)
    bulk.insert(Kagono, KAGONO_COLUMNS, kagono_rows)
    bulk.insert(Keshikomi, KESHIKOMI_COLUMNS, keshikomi_rows)
    bulk.insert(FurikaeFuno, FUNO_COLUMNS, funo_rows)
    audit(
        AuditAction.CHANGE,
        object_type="shuno.furikae_file",
        object_id=record.pk,
        detail={
            "act": "import_furikae",
            "file": name,
            "sha256": report.sha256,
            "applied": report.applied,
            "funo": len(funo_rows),
            "held": report.held,
            "results": sorted({e.row.result_code for e in entries}),
            "atena_nos": sorted({e.atena_no for e in entries if e.atena_no is not None}),
        },
    )


def funo_label(code: str) -> str:
    return FurikaeResult(code).label
