"""Importing a コンビニ payment-result file (速報・確報): check all, then load in one go.

The file's layout is in ``konbini_file`` and docs/formats/konbini-result.md. What happens to
each kind of bad row — decided so that no yen is ever lost or counted twice:

*Rejected* — the file is refused as a whole and nothing is written (status ``rejected``):
a record that is not ASCII, not 120 characters, a field that is not digits or not a date, a
barcode whose check digit (or AI) is wrong, a zero amount, records out of order, trailer
counts or totals that do not add up. Such a file is damaged or not what it claims to be, and
its amounts cannot be trusted; the collector must send it again. Every problem is reported.

*Held* (保留) — the row is well formed, so a store really took that money: it is recorded as a
``Shuno`` with its reason and *not* applied, and it is reported. The clerk later applies it
(``keshikomi.shuno_assign``). Reasons: the 受付番号 appears twice in the file (the second and
later are held), the barcode's company code is not the header's, the slip belongs to another
municipality (団体コード in the free field), the free field is not Kyodo's or no 調定 has that
通知書番号 and 期別 here, the 収納金額 differs from the barcode's amount, or the 受付番号 was
loaded before with different content.

*Applied* — every other row is a payment of the installment its barcode names, applied as in
``keshikomi`` (a surplus becomes a 過誤納).

Idempotent: a payment's key is ``konbini:<company code>:<受付番号>`` (``#dupN`` for the N-th
occurrence in one file). Re-importing a file finds every key loaded and writes nothing. A 確報
row whose key was loaded from a 速報 with the same content *confirms* it (a ``ShunoKakuho``)
instead of adding money; with different content it is held (``#kakuho`` key). A 速報 arriving
after its 確報 is already loaded.

A dry run plans everything, reports the same, and writes nothing.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from kyodo.platform.audit import record as audit
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import require_tenant_code
from kyodo.units.shuno import freefield, konbini_file
from kyodo.units.shuno.errors import InvalidInput
from kyodo.units.shuno.models import (
    Channel,
    HoldReason,
    Kagono,
    KagonoReason,
    Keshikomi,
    KeshikomiKind,
    PaymentFile,
    Shuno,
    ShunoKakuho,
    TaxKind,
)
from kyodo.units.shuno.services import bulk, ledger, lookups

REJECTED, HELD = "rejected", "held"
SHUNO_COLUMNS = (
    "id", "tenant_id", "key", "channel", "report", "amount", "paid_on", "barcode", "atena_no",
    "held_reason", "held_detail", "source", "source_line", "recorded_at", "recorded_by",
)  # fmt: skip
KESHIKOMI_COLUMNS = (
    "tenant_id", "chotei_id", "kind", "amount", "applied_on", "shuno_id", "recorded_at",
)  # fmt: skip
KAGONO_COLUMNS = (
    "tenant_id", "atena_no", "amount", "arose_on", "reason", "shuno_id", "chotei_id",
    "recorded_at",
)  # fmt: skip
KAKUHO_COLUMNS = ("tenant_id", "shuno_id", "source", "source_line", "recorded_at")


@dataclass(frozen=True)
class Issue:
    """One bad row: where, why, and what was done with it."""

    line: int | None
    field: str
    label: str
    columns: str
    code: str  # "format" for a rejected row, else a HoldReason
    reason: str
    disposition: str  # "rejected" | "held"

    def text(self, source: str, *, recorded: bool) -> str:
        """The line for the clerk; ``recorded`` says whether held rows were written."""
        where = [source]
        if self.line is not None:
            where.append(f"line {self.line}")
        columns = f" {self.columns}桁目" if self.columns else ""
        where.append(f"field '{self.field}' ({self.label}{columns})")
        tail = ""
        if self.disposition == HELD:
            tail = " → 保留（未消込の収納として記録）" if recorded else " → 保留の対象（未登録）"
        elif self.disposition == "reported":  # a 口座振替 振替不能 row naming nothing here
            tail = " → 記録なし（入金なし）"
        return f"{', '.join(where)}: {self.reason}{tail}"


@dataclass
class ImportReport:
    file: str
    sha256: str
    dry_run: bool
    report: str | None = None
    company_code: str | None = None
    rows: int = 0
    applied: int = 0
    held: int = 0
    confirmed: int = 0
    already_loaded: int = 0
    applied_amount: int = 0
    held_amount: int = 0
    kagono_count: int = 0
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
            "report": self.report,
            "company_code": self.company_code,
            "status": self.status,
            "dry_run": self.dry_run,
            "rows": self.rows,
            "counts": {
                "applied": self.applied,
                "held": self.held,
                "confirmed": self.confirmed,
                "already_loaded": self.already_loaded,
                "rejected": len({i.line for i in self.issues if i.disposition == REJECTED}),
            },
            "amounts": {
                "applied": self.applied_amount,
                "held": self.held_amount,
                "kagono": self.kagono_amount,
            },
            "kagono": {"count": self.kagono_count, "amount": self.kagono_amount},
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


@dataclass(slots=True)
class _Entry:
    """One well-formed data row on its way to the ledger."""

    row: konbini_file.Row
    key: str
    notice: tuple[str, int, int, int] | None = None  # 税目, 年度, 通知書番号, 期別 (this tenant's)
    chotei_id: int | None = None
    atena_no: int | None = None
    owes: int = 0  # what the installment still owed before this file
    hold: HoldReason | None = None
    hold_issue: Issue | None = None
    outcome: str = "new"  # new | confirm | loaded
    existing_id: int | None = None
    parts: list[tuple[int, int]] = field(default_factory=list)
    surplus: int = 0

    def held(self, reason: HoldReason, field_name: str, text: str) -> None:
        if self.hold is not None:
            return  # the first reason found is the one reported
        spec = konbini_file.DATA_FIELDS[field_name]
        self.hold = reason
        self.hold_issue = Issue(
            self.row.line, spec.name, spec.label, spec.columns, reason.value, text, HELD
        )


def import_payments(content: bytes, *, name: str, dry_run: bool = False) -> ImportReport:
    """Check ``content`` completely, then (unless rejected or a dry run) load it at once."""
    report = ImportReport(file=name, sha256=hashlib.sha256(content).hexdigest(), dry_run=dry_run)
    parsed = konbini_file.read(content)
    report.rows = parsed.data_records
    for p in parsed.problems:
        report.issues.append(
            Issue(p.line, p.field, p.label, p.columns, "format", p.reason, REJECTED)
        )
    header = parsed.header
    if header is None:
        return report
    report.report, report.company_code = header.report, header.company_code
    writing = not dry_run and not parsed.problems
    if writing:
        ledger.lock()  # what is owed must not change between planning and writing
    entries = _plan(parsed.rows, header)
    _tally(report, entries)
    if writing and any(e.outcome != "loaded" for e in entries):
        _write(entries, header, report, name=name, rows=parsed.data_records)
        report.written = True
    else:
        audit(
            AuditAction.READ,
            object_type="shuno.payment_file",
            detail={"act": "import_check", "file": name, "sha256": report.sha256,
                    "status": report.status, "rows": report.rows},
        )  # fmt: skip
    return report


# --- planning (reads only) -------------------------------------------------------------------


def _plan(rows: list[konbini_file.Row], header: konbini_file.Header) -> list[_Entry]:
    entries = _entries(rows, header)
    _find_loaded(entries, header.report)  # first: rows loaded before need no 調定
    _resolve_notices([e for e in entries if e.outcome == "new"])
    _allocate(entries)
    return entries


def _entries(rows: list[konbini_file.Row], header: konbini_file.Header) -> list[_Entry]:
    tenant = require_tenant_code()
    prefix = f"konbini:{header.company_code}:"
    first_line: dict[str, int] = {}
    seen: dict[str, int] = {}
    entries = []
    for row in rows:
        base = prefix + row.receipt_no
        n = seen[base] = seen.get(base, 0) + 1
        if n == 1:
            first_line[base] = row.line
            entry = _Entry(row=row, key=base)
        else:
            entry = _Entry(row=row, key=f"{base}#dup{n}")
            entry.held(
                HoldReason.DUPLICATE_IN_FILE,
                "receipt_no",
                f"受付番号 {row.receipt_no} が {first_line[base]} 行目と重複しています",
            )
        if row.data[2:8] != header.company_code:
            entry.held(
                HoldReason.COMPANY_MISMATCH,
                "barcode",
                f"バーコードの請求書発行企業コード {row.company_code} がヘッダーの "
                f"{header.company_code} と違います",
            )
        ref = freefield.decode_key(row.data[8:29])
        if ref is None:
            entry.held(HoldReason.UNKNOWN_NOTICE, "barcode", _not_kyodos(row.free))
        elif ref[0] != tenant:
            entry.held(
                HoldReason.OTHER_TENANT,
                "barcode",
                f"団体コード {ref[0]} の納付書です（取込先は {tenant}）",
            )
        else:
            entry.notice = ref[1:]
        entries.append(entry)
    return entries


def _not_kyodos(free: str) -> str:
    try:
        freefield.decode(free)
    except InvalidInput as exc:
        return f"自由使用欄 {free} は Kyodo の納付書の形式ではありません（{exc.reason}）"
    raise AssertionError(free)  # decode_key and decode disagree


def _resolve_notices(entries: list[_Entry]) -> None:
    """Find each row's 調定 (and the person); rows naming none here are held."""
    found = lookups.chotei_by_notice({e.notice for e in entries if e.notice is not None})
    for entry in entries:
        if entry.notice is None:
            continue
        hit = found.get(entry.notice)
        if hit is None:
            kind, year, notice_no, kibetsu = entry.notice
            entry.held(
                HoldReason.UNKNOWN_NOTICE,
                "barcode",
                f"{TaxKind(kind).label} {year}年度 通知書番号 {notice_no} 第{kibetsu}期 "
                "の調定がありません",
            )
            continue
        entry.chotei_id, entry.atena_no, entry.owes = hit
    for entry in entries:
        if entry.row.amount != entry.row.barcode_amount:
            entry.held(
                HoldReason.AMOUNT_MISMATCH,
                "amount",
                f"収納金額 {entry.row.amount:,}円 がバーコードの支払金額 "
                f"{entry.row.barcode_amount:,}円 と違います",
            )


def _find_loaded(entries: list[_Entry], kind: str) -> None:
    """Rows whose key was loaded before: nothing new, a 確報 confirmation, or a conflict."""
    loaded = lookups.shuno_by_key({e.key for e in entries})
    conflicts = []
    for entry in entries:
        before = loaded.get(entry.key)
        if before is None:
            continue
        if _same(before, entry):
            _mark_loaded(entry, before, kind)
            continue
        entry.key = f"{entry.key}#{kind}"
        entry.hold = None  # the conflict is the reason now
        entry.held(
            HoldReason.KEY_CONFLICT,
            "receipt_no",
            f"受付番号 {entry.row.receipt_no} は取込済みの収納（{before['source']} "
            f"{before['source_line']} 行目）と内容（収納日・金額・バーコード）が違います",
        )
        conflicts.append(entry)
    again = lookups.shuno_by_key({e.key for e in conflicts})
    for entry in conflicts:
        if entry.key in again:
            _mark_loaded(entry, again[entry.key], kind)


def _mark_loaded(entry: _Entry, before: dict[str, Any], kind: str) -> None:
    confirms = kind == "kakuho" and before["report"] == "sokuho" and not before["confirmed"]
    entry.outcome = "confirm" if confirms else "loaded"
    entry.existing_id = before["id"]


def _same(before: dict[str, Any], entry: _Entry) -> bool:
    row = entry.row
    return (before["amount"], before["paid_on"], before["barcode"]) == (
        row.amount,
        row.paid_on,
        row.data,
    )


def _allocate(entries: list[_Entry]) -> None:
    """In file order, each new matched row pays its installment up to what it still owes
    (after the rows before it); the surplus is a 過誤納. This is ``allocation.allocate`` for
    a single installment, written out: it runs 100,000 times."""
    remaining: dict[int, int] = {}
    for entry in entries:
        chotei_id = entry.chotei_id
        if entry.outcome != "new" or entry.hold is not None or chotei_id is None:
            continue
        owes = remaining.get(chotei_id, max(entry.owes, 0))
        take = min(entry.row.amount, owes)
        entry.parts = [(chotei_id, take)] if take else []
        entry.surplus = entry.row.amount - take
        remaining[chotei_id] = owes - take


def _tally(report: ImportReport, entries: list[_Entry]) -> None:
    for entry in entries:
        if entry.outcome == "loaded":
            report.already_loaded += 1
        elif entry.outcome == "confirm":
            report.confirmed += 1
        elif entry.hold is not None:
            report.held += 1
            report.held_amount += entry.row.amount
            assert entry.hold_issue is not None
            report.issues.append(entry.hold_issue)
        else:
            report.applied += 1
            report.applied_amount += entry.row.amount
            if entry.surplus:
                report.kagono_count += 1
                report.kagono_amount += entry.surplus
    report.issues.sort(key=lambda i: (i.line or 0, i.disposition))


# --- writing ---------------------------------------------------------------------------------


def _write(
    entries: list[_Entry],
    header: konbini_file.Header,
    report: ImportReport,
    *,
    name: str,
    rows: int,
) -> None:
    tenant, at, by = require_tenant_code(), ledger.now(), ledger.actor()
    payment_file = PaymentFile.objects.create(
        name=name[:255],
        sha256=report.sha256,
        report=header.report,
        company_code=header.company_code,
        created_on=header.created_on,
        rows=rows,
        imported_at=at,
        imported_by=by,
    )
    new = [e for e in entries if e.outcome == "new"]
    # Only payments need their ids beforehand (消込 and 過誤納 point at them).
    shuno_ids = bulk.reserve_ids(Shuno, len(new))
    source = name[:255]
    shuno_rows, keshikomi_rows, kagono_rows = [], [], []
    for entry, shuno_id in zip(new, shuno_ids, strict=True):
        row = entry.row
        held, issue = entry.hold, entry.hold_issue
        shuno_rows.append(
            (
                shuno_id, tenant, entry.key, Channel.KONBINI.value, header.report, row.amount,
                row.paid_on, row.data, entry.atena_no, held.value if held else "",
                issue.reason if issue else "", source, row.line, at, by,
            )
        )  # fmt: skip
        for chotei_id, amount in entry.parts:
            keshikomi_rows.append(
                (tenant, chotei_id, KeshikomiKind.SHUNO.value, amount, row.paid_on, shuno_id, at)
            )
        if entry.surplus:
            kagono_rows.append(
                (
                    tenant, entry.atena_no, entry.surplus, row.paid_on,
                    KagonoReason.OVERPAID.value, shuno_id, entry.chotei_id, at,
                )
            )  # fmt: skip
    kakuho_rows = [
        (tenant, entry.existing_id, source, entry.row.line, at)
        for entry in entries
        if entry.outcome == "confirm"
    ]
    bulk.insert(Shuno, SHUNO_COLUMNS, shuno_rows)
    bulk.insert(Kagono, KAGONO_COLUMNS, kagono_rows)
    bulk.insert(Keshikomi, KESHIKOMI_COLUMNS, keshikomi_rows)
    bulk.insert(ShunoKakuho, KAKUHO_COLUMNS, kakuho_rows)
    audit(
        AuditAction.CHANGE,
        object_type="shuno.payment_file",
        object_id=payment_file.pk,
        detail={
            "act": "import_payments",
            "file": name,
            "sha256": report.sha256,
            "report": header.report,
            "applied": report.applied,
            "held": report.held,
            "confirmed": report.confirmed,
            "already_loaded": report.already_loaded,
            "atena_nos": sorted({e.atena_no for e in new if e.atena_no is not None}),
        },
    )
