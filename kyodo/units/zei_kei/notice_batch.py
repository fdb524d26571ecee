"""Bulk printing of the 年度's 軽自動車税 納税通知書 (one per vehicle): print-ready PDFs in a
stable order for the printer (the owner's 郵便番号, 宛名番号, then 標識番号), a fixed number of
notices per file, resumable, with progress.

``plan.json`` fixes which notices go in which file, so a resumed run prints exactly the same
set; ``manifest.json`` lists each finished file with its count and SHA-256; a file is written
under a temporary name and renamed when complete. Every file is audit-logged as an issue with
the 宛名番号 it holds.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import timezone

from kyodo.atena.models import Person
from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Tenant
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import require_tenant_code
from kyodo.printing.batch import PrintPlanError, print_in_files, split_into_files
from kyodo.units.zei_kei.layouts import USES
from kyodo.units.zei_kei.models import Kazei
from kyodo.units.zei_kei.notices import Notice, installment_rows, render
from kyodo.units.zei_kei.sharyo import KIND_NAMES

USE_NAMES = {code: name for name, code in USES.items()}


def latest(fiscal_year: int, notice_nos: list[int] | None = None) -> dict[int, Kazei]:
    """The latest revision of each vehicle's 課税 (by 通知書番号)."""
    rows = Kazei.objects.filter(fiscal_year=fiscal_year)
    if notice_nos is not None:
        rows = rows.filter(notice_no__in=notice_nos)
    out: dict[int, Kazei] = {}
    for row in rows.order_by("notice_no", "revision"):
        out[row.notice_no] = row  # the latest revision wins
    return out


def plan(fiscal_year: int, *, per_file: int) -> dict[str, Any]:
    """Who gets a notice (a 年税額 above 0, latest revision), in the printer's order."""
    rows = {n: r for n, r in latest(fiscal_year).items() if r.total > 0}
    postal = dict(
        Person.objects.filter(atena_no__in={r.atena_no for r in rows.values()})
        .select_related("household")
        .values_list("atena_no", "household__postal_code")
    )
    order = sorted(
        (postal.get(r.atena_no) or "", r.atena_no, r.hyoshiki_no, n) for n, r in rows.items()
    )
    numbers = [item[-1] for item in order]
    return {
        "fiscal_year": fiscal_year,
        "order": "郵便番号, 宛名番号, 標識番号",
        "per_file": per_file,
        "total": len(numbers),
        "files": split_into_files(numbers, per_file, "notice_nos"),
    }


def notice_of(row: Kazei, person: Person | None, tenant: Tenant) -> Notice:
    postal_code, address, name = "", "", ""
    if person is not None:
        name = f"{person.family_name}　{person.given_name}".strip() or person.alpha_name
        household = person.household
        if household is None:
            address = person.outside_address
        else:
            postal_code = household.postal_code
            address = f"{tenant.prefecture}{tenant.name}{household.town}{household.banchi}"
            if household.katagaki:
                address += f"　{household.katagaki}"
    vehicle = row.vehicle
    return Notice(
        notice_no=row.notice_no,
        fiscal_year=row.fiscal_year,
        municipality=tenant.name,
        prefecture=tenant.prefecture,
        postal_code=postal_code,
        address=address,
        name=name,
        atena_no=row.atena_no,
        hyoshiki_no=row.hyoshiki_no,
        kind=KIND_NAMES.get(row.kind, row.kind),
        use=USE_NAMES.get(vehicle.get("use", ""), ""),
        first_inspection=vehicle.get("first_inspection", ""),
        rate_kind=row.rate_kind,
        green=bool(row.result.get("green")),
        total=row.total,
        installments=installment_rows(row.installments),
        issued_on=timezone.localdate(),
    )


def print_notices(
    fiscal_year: int,
    out: Path,
    *,
    per_file: int = 1000,
    resume: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Print (or finish printing) the 年度's notices into ``out``; returns the manifest
    (plan, manifest and resume: kyodo.printing.batch)."""
    tenant = Tenant.objects.get(code=require_tenant_code())
    owners: dict[str, list[int]] = {}

    def render_file(notice_nos: list[int]) -> bytes:
        rows = latest(fiscal_year, notice_nos)
        atena_nos = {r.atena_no for r in rows.values()}
        people = {
            p.atena_no: p
            for p in Person.objects.filter(atena_no__in=atena_nos).select_related("household")
        }
        owners["last"] = sorted(atena_nos)
        return render(notice_of(rows[n], people.get(rows[n].atena_no), tenant) for n in notice_nos)

    def audited(entry: dict[str, Any]) -> None:
        record(
            AuditAction.ISSUE,
            object_type="zei_kei.notices",
            object_id=entry["name"],
            detail={
                "fiscal_year": fiscal_year,
                "notice_nos": entry["notice_nos"],
                "atena_nos": owners["last"],
            },
        )

    try:
        return print_in_files(
            out,
            fiscal_year=fiscal_year,
            key="notice_nos",
            make_plan=lambda: plan(fiscal_year, per_file=per_file),
            render_file=render_file,
            printed_file=audited,
            resume=resume,
            progress=progress,
        )
    except PrintPlanError as exc:
        raise ValidationFailed(str(exc), source="--out") from None
