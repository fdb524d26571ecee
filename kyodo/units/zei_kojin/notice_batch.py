"""Bulk printing of 通知書 for a 年度: print-ready PDFs in a stable order for the printer
(郵便番号, then 宛名番号), a fixed number of notices per file, resumable, with progress.

The first run writes ``plan.json`` (who, in which order, in which file) so a resumed run prints
exactly the same set even if someone's address changed meanwhile; ``manifest.json`` lists each
finished file with its count and SHA-256. Each file is written to a temporary name and renamed
when complete, so a run killed mid-file leaves no half file under a final name; a resumed run
checks the finished files against the manifest and starts at the first missing one. Every file
is audit-logged as an issue with the 宛名番号 it holds.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db.models import Max
from django.utils import timezone

from kyodo.atena.models import Person
from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Tenant
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import require_tenant_code
from kyodo.printing.batch import PrintPlanError, print_in_files, split_into_files
from kyodo.units.zei_kojin.employer_notices import Employee, EmployerNotice
from kyodo.units.zei_kojin.employer_notices import render as render_employers
from kyodo.units.zei_kojin.models import Kazei, KazeiShiryo
from kyodo.units.zei_kojin.notices import Notice, installment_rows, render


def _latest(fiscal_year: int) -> dict[int, Kazei]:
    latest = dict(
        Kazei.objects.filter(fiscal_year=fiscal_year)
        .values("atena_no")
        .annotate(last=Max("revision"))
        .values_list("atena_no", "last")
    )
    rows = Kazei.objects.filter(fiscal_year=fiscal_year, total__gt=0).only("atena_no", "revision")
    return {r.atena_no: r for r in rows if latest.get(r.atena_no) == r.revision}


def plan(fiscal_year: int, *, per_file: int) -> dict[str, Any]:
    """Who gets a notice (a 年税額 above 0, latest revision), in the printer's order."""
    latest = _latest(fiscal_year)
    people = (
        Person.objects.filter(atena_no__in=list(latest))
        .select_related("household")
        .only("atena_no", "household__postal_code")
    )
    order = sorted(
        ((p.household.postal_code if p.household else "", p.atena_no) for p in people),
    )
    atena_nos = [n for _postal, n in order]
    return {
        "fiscal_year": fiscal_year,
        "order": "郵便番号, 宛名番号",
        "per_file": per_file,
        "total": len(atena_nos),
        "files": split_into_files(atena_nos, per_file, "atena_nos"),
    }


def _notice(row: Kazei, person: Person, tenant: Tenant) -> Notice:
    household = person.household
    address = ""
    if household is not None:
        address = f"{tenant.prefecture}{tenant.name}{household.town}{household.banchi}"
        if household.katagaki:
            address += f"　{household.katagaki}"
    tokucho_only = row.choshu.get("kyuyo_tokucho", 0) == row.total
    kind = "tokucho" if tokucho_only else "futsu"
    steps = {s["id"]: s["value"] for s in row.result.get("steps", [])}
    figures = row.result.get("figures", {})  # a vectorised assessment keeps these, no trail
    steps.setdefault("so_shotoku", figures.get("so_shotoku", 0))
    steps.setdefault("kojo.gokei", figures.get("kojo", 0))
    steps.setdefault("kazei_shotoku", figures.get("kazei_shotoku", 0))
    return Notice(
        kind=kind,
        notice_no=f"{row.fiscal_year}{row.atena_no:012d}",
        fiscal_year=row.fiscal_year,
        municipality=tenant.name,
        prefecture=tenant.prefecture,
        postal_code=household.postal_code if household else "",
        address=address,
        name=f"{person.family_name}　{person.given_name}".strip() or person.alpha_name,
        atena_no=row.atena_no,
        so_shotoku=int(steps.get("so_shotoku", 0)),
        kojo=int(steps.get("kojo.gokei", 0)),
        kazei_hyojun=int(steps.get("kazei_shotoku", 0)),
        city_shotokuwari=row.city_shotokuwari,
        city_kintouwari=row.city_kintouwari,
        pref_shotokuwari=row.pref_shotokuwari,
        pref_kintouwari=row.pref_kintouwari,
        forest_env_tax=row.forest_env_tax,
        total=row.total,
        installments=installment_rows(row.installments, kind),
        issued_on=timezone.localdate(),
        payer_name=row.tokucho_payer_no,
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

    def audited(entry: dict[str, Any]) -> None:
        record(
            AuditAction.ISSUE,
            object_type="zei_kojin.notices",
            object_id=entry["name"],
            detail={"fiscal_year": fiscal_year, "atena_nos": entry["atena_nos"]},
        )

    try:
        return print_in_files(
            out,
            fiscal_year=fiscal_year,
            key="atena_nos",
            make_plan=lambda: plan(fiscal_year, per_file=per_file),
            render_file=lambda atena_nos: _render_file(fiscal_year, atena_nos, tenant),
            printed_file=audited,
            resume=resume,
            progress=progress,
        )
    except PrintPlanError as exc:
        raise ValidationFailed(str(exc), source="--out") from None


def _render_file(fiscal_year: int, atena_nos: list[int], tenant: Tenant) -> bytes:
    latest = _latest_for(fiscal_year, atena_nos)
    people = {
        p.atena_no: p
        for p in Person.objects.filter(atena_no__in=atena_nos).select_related("household")
    }
    return render(_notice(latest[n], people[n], tenant) for n in atena_nos)


def _latest_for(fiscal_year: int, atena_nos: list[int]) -> dict[int, Kazei]:
    out: dict[int, Kazei] = {}
    for row in Kazei.objects.filter(fiscal_year=fiscal_year, atena_no__in=atena_nos).order_by(
        "atena_no", "revision"
    ):
        out[row.atena_no] = row  # the latest revision wins
    return out


def employer_notices(fiscal_year: int) -> list[EmployerNotice]:
    """Every employer's 決定通知書 of the 年度 (latest revisions), in 指定番号 order."""
    tenant = Tenant.objects.get(code=require_tenant_code())
    latest = _latest(fiscal_year)
    rows = list(Kazei.objects.filter(pk__in=[r.pk for r in latest.values()]))
    collected = [r for r in rows if r.tokucho_payer_no and r.choshu.get("kyuyo_tokucho", 0)]
    names = dict(
        KazeiShiryo.objects.filter(fiscal_year=fiscal_year, kind="kyuyo")
        .values_list("payer_no", "payer_name")
        .distinct()
    )
    people = {
        p.atena_no: p for p in Person.objects.filter(atena_no__in=[r.atena_no for r in collected])
    }
    by_payer: dict[str, list[Employee]] = {}
    for r in sorted(collected, key=lambda r: r.atena_no):
        months = tuple(int(i["amount"]) for i in r.installments if i["kind"] == "kyuyo_tokucho")
        person = people[r.atena_no]
        by_payer.setdefault(r.tokucho_payer_no, []).append(
            Employee(
                atena_no=r.atena_no,
                name=f"{person.family_name}　{person.given_name}".strip() or person.alpha_name,
                total=r.choshu["kyuyo_tokucho"],
                monthly=months,
            )
        )
    return [
        EmployerNotice(
            payer_no=payer_no,
            payer_name=names.get(payer_no, ""),
            fiscal_year=fiscal_year,
            municipality=tenant.name,
            prefecture=tenant.prefecture,
            employees=employees,
            issued_on=timezone.localdate(),
        )
        for payer_no, employees in sorted(by_payer.items())
    ]


def print_employer_notices(fiscal_year: int, out: Path) -> int:
    """All employers' notices into one PDF (written atomically); returns how many employers."""
    notices = employer_notices(fiscal_year)
    if not notices:
        raise ValidationFailed(
            f"{fiscal_year}年度の特別徴収の課税がありません", source="--fiscal-year"
        )
    tmp = out.with_suffix(".part")
    tmp.write_bytes(render_employers(notices))
    os.replace(tmp, out)
    record(
        AuditAction.ISSUE,
        object_type="zei_kojin.employer_notices",
        object_id=fiscal_year,
        detail={"employers": [n.payer_no for n in notices], "file": out.name},
    )
    return len(notices)
