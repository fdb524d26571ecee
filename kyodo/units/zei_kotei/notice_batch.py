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
from kyodo.printing.batch import PrintPlanError, print_in_files, split_into_files
from kyodo.units.zei_kotei.models import Kazei
from kyodo.units.zei_kotei.notices import Asset, Notice, installment_rows, render
from kyodo.units.zei_kotei.owners import atena_nos_of


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
    return {
        "fiscal_year": fiscal_year,
        "order": "郵便番号, 通知書番号",
        "per_file": per_file,
        "total": len(numbers),
        "files": split_into_files(numbers, per_file, "notice_nos"),
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
    """Print (or finish printing) the 年度's notices into ``out``; returns the manifest
    (plan, manifest and resume: kyodo.printing.batch)."""
    tenant = Tenant.objects.get(code=require_tenant_code())
    owners: dict[str, list[int]] = {}

    def render_file(notice_nos: list[int]) -> bytes:
        rows = latest(fiscal_year, notice_nos)
        wanted = {n for r in rows.values() for n in atena_nos_of(r.owner_key)}
        people = {
            p.atena_no: p
            for p in Person.objects.filter(atena_no__in=wanted).select_related("household")
        }
        owners["last"] = sorted(wanted)
        return render(notice_of(rows[n], people, tenant) for n in notice_nos)

    def audited(entry: dict[str, Any]) -> None:
        record(
            AuditAction.ISSUE,
            object_type="zei_kotei.notices",
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
