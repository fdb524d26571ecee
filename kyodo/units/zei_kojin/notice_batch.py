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

import hashlib
import json
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
from kyodo.units.zei_kojin.employer_notices import Employee, EmployerNotice
from kyodo.units.zei_kojin.employer_notices import render as render_employers
from kyodo.units.zei_kojin.models import Kazei, KazeiShiryo
from kyodo.units.zei_kojin.notices import Notice, installment_rows, render

PLAN = "plan.json"
MANIFEST = "manifest.json"


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


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
    files = [atena_nos[i : i + per_file] for i in range(0, len(atena_nos), per_file)]
    return {
        "fiscal_year": fiscal_year,
        "order": "郵便番号, 宛名番号",
        "per_file": per_file,
        "total": len(atena_nos),
        "files": [{"name": f"{i + 1:05d}.pdf", "atena_nos": f} for i, f in enumerate(files)],
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
    """Print (or finish printing) the 年度's notices into ``out``; returns the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    plan_path, manifest_path = out / PLAN, out / MANIFEST
    if plan_path.exists() and not resume:
        raise ValidationFailed(
            f"{out} には印刷中または印刷済みの計画があります。--resume で再開してください",
            source="--out",
        )
    if resume and plan_path.exists():
        the_plan = json.loads(plan_path.read_text(encoding="utf-8"))
        if the_plan["fiscal_year"] != fiscal_year:
            raise ValidationFailed(
                f"{out} は {the_plan['fiscal_year']}年度の印刷です", source="--out"
            )
    else:
        the_plan = plan(fiscal_year, per_file=per_file)
        _write_json(plan_path, the_plan)
    manifest = (
        json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest_path.exists()
        else {"fiscal_year": fiscal_year, "files": [], "complete": False}
    )
    done = {f["name"]: f for f in manifest["files"] if _intact(out / f["name"], f["sha256"])}
    manifest["files"] = [f for f in manifest["files"] if f["name"] in done]
    tenant = Tenant.objects.get(code=require_tenant_code())
    printed = sum(f["count"] for f in manifest["files"])
    for entry in the_plan["files"]:
        if entry["name"] in done:
            continue
        pdf = _render_file(fiscal_year, entry["atena_nos"], tenant)
        target = out / entry["name"]
        tmp = target.with_suffix(".part")
        tmp.write_bytes(pdf)
        os.replace(tmp, target)
        manifest["files"].append(
            {
                "name": entry["name"],
                "count": len(entry["atena_nos"]),
                "first": entry["atena_nos"][0],
                "last": entry["atena_nos"][-1],
                "sha256": hashlib.sha256(pdf).hexdigest(),
            }
        )
        _write_json(manifest_path, manifest)
        record(
            AuditAction.ISSUE,
            object_type="zei_kojin.notices",
            object_id=entry["name"],
            detail={"fiscal_year": fiscal_year, "atena_nos": entry["atena_nos"]},
        )
        printed += len(entry["atena_nos"])
        if progress is not None:
            progress(printed, the_plan["total"])
    manifest["complete"] = True
    manifest["total"] = the_plan["total"]
    _write_json(manifest_path, manifest)
    return manifest


def _intact(path: Path, sha256: str) -> bool:
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256


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
