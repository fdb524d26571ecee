"""Bulk printing of the 年度's 納税通知書 (one per 納税義務者, with its 課税明細書): print-ready
PDFs in a stable order for the printer (the 代表者's 郵便番号, then 通知書番号), a fixed number
of notices per file, resumable, with progress.

The first run writes ``plan.json`` (which notices, in which order, in which file), so a resumed
run prints exactly the same set; ``manifest.json`` lists each finished file with its count and
SHA-256. A file is written under a temporary name and renamed when complete; a resumed run
checks the finished files against the manifest and prints the missing or damaged ones. Every
file is audit-logged as an issue with the 宛名番号 it holds.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

from kyodo.atena.models import Person
from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Tenant
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import require_tenant_code
from kyodo.units.zei_kotei.models import Kazei
from kyodo.units.zei_kotei.notices import Asset, Notice, installment_rows, render
from kyodo.units.zei_kotei.owners import atena_nos_of

PLAN = "plan.json"
MANIFEST = "manifest.json"


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def latest(fiscal_year: int, notice_nos: list[int] | None = None) -> dict[int, Kazei]:
    """The latest revision of each 納税義務者's 課税 (by 通知書番号)."""
    rows = Kazei.objects.filter(fiscal_year=fiscal_year)
    if notice_nos is not None:
        rows = rows.filter(notice_no__in=notice_nos)
    out: dict[int, Kazei] = {}
    for row in rows.order_by("notice_no", "revision"):
        out[row.notice_no] = row  # the latest revision wins
    return out


def _address(person: Person, tenant: Tenant) -> tuple[str, str]:
    """(郵便番号, 住所): the household's for a resident, else the 住登外 address."""
    household = person.household
    if household is None:
        return "", person.outside_address
    address = f"{tenant.prefecture}{tenant.name}{household.town}{household.banchi}"
    if household.katagaki:
        address += f"　{household.katagaki}"
    return household.postal_code, address


def plan(fiscal_year: int, *, per_file: int) -> dict[str, Any]:
    """Who gets a notice (a 年税額 above 0, latest revision), in the printer's order."""
    rows = {n: r for n, r in latest(fiscal_year).items() if r.total > 0}
    postal = dict(
        Person.objects.filter(atena_no__in={r.atena_no for r in rows.values()})
        .select_related("household")
        .values_list("atena_no", "household__postal_code")
    )
    order = sorted((postal.get(r.atena_no) or "", n) for n, r in rows.items())
    numbers = [n for _postal, n in order]
    files = [numbers[i : i + per_file] for i in range(0, len(numbers), per_file)]
    return {
        "fiscal_year": fiscal_year,
        "order": "郵便番号, 通知書番号",
        "per_file": per_file,
        "total": len(numbers),
        "files": [{"name": f"{i + 1:05d}.pdf", "notice_nos": f} for i, f in enumerate(files)],
    }


def _name(person: Person | None) -> str:
    if person is None:
        return ""
    return f"{person.family_name}　{person.given_name}".strip() or person.alpha_name


def _percent(rate: object) -> str:
    text = f"{Decimal(str(rate)) * 100:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _asset(item: dict[str, Any], representative: int) -> Asset:
    holders = item["owners"]
    mine = next((h["share"] for h in holders if h["atena_no"] == representative), "")
    share = (
        ""
        if len(holders) == 1
        else (f"{mine}（共有{len(holders)}名）" if mine else f"共有{len(holders)}名")
    )
    if item["kind"] == "tochi":
        description = item["chimoku"] or item["use"]
        if item["chimoku"] and item["use"]:
            description = f"{item['chimoku']}（{item['use']}）"
        return Asset("土地", f"{item['shozai']} {item['bango']}", description,
                     f"{item['area']}㎡", item["valuation"], item["tax_base"], share)  # fmt: skip
    description = "・".join(x for x in (item["shurui"], item["kozo"]) if x)
    return Asset("家屋", f"{item['shozai']} 家屋番号 {item['bango']}", description,
                 f"{item['floor_area']}㎡", item["valuation"], item["tax_base"], share)  # fmt: skip


def notice_of(row: Kazei, people: dict[int, Person], tenant: Tenant) -> Notice:
    person = people.get(row.atena_no)
    postal_code, address = _address(person, tenant) if person else ("", "")
    others = [n for n in atena_nos_of(row.owner_key) if n != row.atena_no]
    result = row.result
    steps = {s["id"]: s["value"] for s in result.get("steps", [])}
    cp = result.get("city_planning_tax_base") or {}
    return Notice(
        notice_no=row.notice_no,
        fiscal_year=row.fiscal_year,
        municipality=tenant.name,
        prefecture=tenant.prefecture,
        postal_code=postal_code,
        address=address,
        name=_name(person),
        co_owners=tuple(_name(people.get(n)) for n in others),
        atena_no=row.atena_no,
        land_tax_base=row.land_tax_base,
        house_tax_base=row.house_tax_base,
        kazei_hyojun=int(result["tax_base"]["total"]),
        rate_percent=_percent(row.calc_input["rate"]),
        sanshutsu=int(steps.get("sanshutsu_zeigaku", 0)),
        reduction=int(result.get("reduction", 0)),
        tax=row.tax,
        city_planning=row.calc_input.get("city_planning_rate") is not None,
        city_planning_tax_base=int(cp.get("total", 0)),
        city_planning_rate_percent=_percent(row.calc_input.get("city_planning_rate") or 0),
        city_planning_tax=row.city_planning_tax,
        total=row.total,
        installments=installment_rows(row.installments),
        assets=tuple(_asset(a, row.atena_no) for a in row.assets),
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
    done = {f["name"] for f in manifest["files"] if _intact(out / f["name"], f["sha256"])}
    manifest["files"] = [f for f in manifest["files"] if f["name"] in done]
    tenant = Tenant.objects.get(code=require_tenant_code())
    printed = sum(f["count"] for f in manifest["files"])
    for entry in the_plan["files"]:
        if entry["name"] in done:
            continue
        rows = latest(fiscal_year, entry["notice_nos"])
        wanted = {n for r in rows.values() for n in atena_nos_of(r.owner_key)}
        people = {
            p.atena_no: p
            for p in Person.objects.filter(atena_no__in=wanted).select_related("household")
        }
        pdf = render(notice_of(rows[n], people, tenant) for n in entry["notice_nos"])
        target = out / entry["name"]
        tmp = target.with_suffix(".part")
        tmp.write_bytes(pdf)
        os.replace(tmp, target)
        manifest["files"].append(
            {
                "name": entry["name"],
                "count": len(entry["notice_nos"]),
                "first": entry["notice_nos"][0],
                "last": entry["notice_nos"][-1],
                "sha256": hashlib.sha256(pdf).hexdigest(),
            }
        )
        _write_json(manifest_path, manifest)
        record(
            AuditAction.ISSUE,
            object_type="zei_kotei.notices",
            object_id=entry["name"],
            detail={
                "fiscal_year": fiscal_year,
                "notice_nos": entry["notice_nos"],
                "atena_nos": sorted(wanted),
            },
        )
        printed += len(entry["notice_nos"])
        if progress is not None:
            progress(printed, the_plan["total"])
    manifest["complete"] = True
    manifest["total"] = the_plan["total"]
    _write_json(manifest_path, manifest)
    return manifest


def _intact(path: Path, sha256: str) -> bool:
    return path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == sha256
