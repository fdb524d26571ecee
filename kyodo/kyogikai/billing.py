"""請求: splitting a period's cost by a formula, fixing the invoices, and their CSV.

The split itself is the pure calculator (:mod:`kyodo.rules.alloc`); this module only gathers
its input from the agreement's records — the members in the period, their populations, the
units they run in the period's fiscal year(s), and their current cost for the period's length
— and stores what it returns. An issued period is fixed: its invoices are never recomputed,
so a later change of population or formula cannot alter a bill already sent.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from kyodo.kyogikai.models import BillingPeriod, Formula, Invoice, Member
from kyodo.kyogikai.usage import member_usage
from kyodo.platform.accounts.units import BUSINESS_UNITS
from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import Actor
from kyodo.rules.alloc import calculate
from kyodo.rules.inputs import InputError

__all__ = [
    "alloc_input",
    "check_formula",
    "compare",
    "invoice_csv",
    "issue",
    "members_in",
    "months_in",
    "parse_unit_weights",
    "preview",
]

CSV_HEADER = [
    "請求番号",
    "期間",
    "団体コード",
    "団体名",
    "請求額",
    "現行経費",
    "削減率",
    "均等割",
    "人口割",
    "業務数割",
    "一時経費",
    "保障調整",
    "端数調整",
    "算定の説明",
]


def fiscal_year(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def months_in(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` inclusive (a fiscal year is 12)."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def members_in(consortium_id: int, start: dt.date, end: dt.date) -> list[Member]:
    """Members whose membership overlaps the period."""
    return list(
        Member.objects.filter(consortium_id=consortium_id, joined_on__lte=end)
        .exclude(left_on__lt=start)
        .prefetch_related("units")
        .order_by("tenant_code")
    )


def _units(member: Member, start: dt.date, end: dt.date) -> list[str]:
    years = range(fiscal_year(start), fiscal_year(end) + 1)
    return sorted({u.unit for u in member.units.all() if any(u.runs_in(y) for y in years)})


def formula_json(formula: Formula) -> dict[str, Any]:
    data: dict[str, Any] = {
        "equal_ratio": formula.equal_ratio,
        "population_ratio": formula.population_ratio,
        "units_ratio": formula.units_ratio,
        "unit_weights": {k: Decimal(str(v)) for k, v in (formula.unit_weights or {}).items()},
        "guarantee_covers_one_off": formula.guarantee_covers_one_off,
    }
    if formula.min_saving is not None:
        data["min_saving"] = formula.min_saving
    return data


def alloc_input(
    *,
    consortium_id: int,
    formula: Formula,
    start: dt.date,
    end: dt.date,
    total: int,
    one_off: Sequence[dict[str, Any]] = (),
    members: list[Member] | None = None,
) -> dict[str, Any]:
    """The ``kyodo alloc`` input for a period (what ``--json`` would be given); ``members``
    when the caller has already read those of the period."""
    if members is None:
        members = members_in(consortium_id, start, end)
    if not members:
        raise ValidationFailed("この期間に参加している団体がありません", field="start")
    months = months_in(start, end)
    rows = []
    for m in members:
        row: dict[str, Any] = {
            "code": m.tenant_code,
            "name": m.name,
            "population": m.population,
            "units": _units(m, start, end),
        }
        if m.current_cost is not None:
            row["current_cost"] = m.current_cost * months // 12
        rows.append(row)
    return formula_json(formula) | {"total": total, "one_off": list(one_off), "members": rows}


def parse_unit_weights(text: str, *, field: str = "unit_weights") -> dict[str, str]:
    """``"juki=3, zei_kojin=2"`` → ``{"juki": "3", "zei_kojin": "2"}`` (a unit not listed
    weighs 1 in the split)."""
    weights = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        unit, _sep, value = (part.strip() for part in item.partition("="))
        if unit not in BUSINESS_UNITS:
            raise ValidationFailed(f"業務 {unit!r} はありません", field=field)
        try:
            weight = Decimal(value)
        except InvalidOperation:
            raise ValidationFailed(f"重みは数値です（{item!r}）", field=field) from None
        if not weight.is_finite() or weight < 0:
            raise ValidationFailed(f"重みは0以上の数値です（{item!r}）", field=field)
        weights[unit] = str(weight)
    return weights


def check_formula(formula: Formula) -> None:
    total = formula.equal_ratio + formula.population_ratio + formula.units_ratio
    if total != 1:
        raise ValidationFailed(
            f"均等割・人口割・業務数割の比率の合計は1です（合計 {total}）", field="equal_ratio"
        )


def _calculate(data: dict[str, Any]) -> dict[str, Any]:
    try:
        return calculate(data)
    except InputError as error:
        problem = error.problems[0]
        raise ValidationFailed(problem.reason, field=problem.path or "formula") from None


def preview(period: BillingPeriod, formula: Formula | None = None) -> dict[str, Any]:
    """The split the period would get (with another formula for a what-if)."""
    return _calculate(
        alloc_input(
            consortium_id=period.consortium_id,
            formula=formula or period.formula,
            start=period.start,
            end=period.end,
            total=period.total,
            one_off=period.one_off,
        )
    )


def compare(period: BillingPeriod, first: Formula, second: Formula) -> list[dict[str, Any]]:
    """Two formulas side by side for each member (the 事務局's what-if)."""
    a, b = preview(period, first), preview(period, second)
    by_code = {m["code"]: m for m in b["members"]}
    rows = []
    for m in a["members"]:
        other = by_code[m["code"]]
        rows.append(
            {
                "code": m["code"],
                "name": m["name"],
                "first": m["share"],
                "second": other["share"],
                "difference": other["share"] - m["share"],
                "first_rate": m["saving_rate"],
                "second_rate": other["saving_rate"],
            }
        )
    return rows


def _number(period: BillingPeriod, member: Member) -> str:
    return f"{period.consortium.slug[:10]}-{period.start:%Y%m}-{member.tenant_code}"


def issue(period: BillingPeriod, *, actor: Actor | None = None) -> list[Invoice]:
    """Fix the period's split and write one invoice per member, with its usage figures."""
    with transaction.atomic():
        period = BillingPeriod.objects.select_for_update().get(pk=period.pk)
        if period.issued_at is not None:
            raise ValidationFailed(f"{period.label} の請求は確定済みです", field="period")
        found = members_in(period.consortium_id, period.start, period.end)
        members = {m.tenant_code: m for m in found}
        result = _calculate(
            alloc_input(
                consortium_id=period.consortium_id,
                formula=period.formula,
                start=period.start,
                end=period.end,
                total=period.total,
                one_off=period.one_off,
                members=found,
            )
        )
        invoices = []
        for row in result["members"]:
            member = members[row["code"]]
            rate = row["saving_rate"]
            invoices.append(
                Invoice.objects.create(
                    period=period,
                    member=member,
                    number=_number(period, member),
                    amount=row["share"],
                    saving_rate=None if rate is None else Decimal(str(rate)),
                    components=row["components"],
                    explanation=row["explanation"],
                    usage=[u.as_json() for u in member_usage(member, period.start, period.end)],
                )
            )
        period.result = result
        period.issued_at = timezone.now()
        period.issued_by = (actor or Actor()).username
        period.save(update_fields=["result", "issued_at", "issued_by"])
        record(
            AuditAction.MANAGE,
            object_type="kyogikai.period",
            object_id=period.pk,
            tenant_code=None,
            actor=actor,
            detail={"op": "issue", "label": period.label, "total": result["totals"]["total"]},
        )
    return invoices


def _csv_row(invoice: Invoice) -> list[Any]:
    c = invoice.components
    one_off = sum((c.get("one_off") or {}).values())
    rate = "" if invoice.saving_rate is None else f"{invoice.saving_rate * 100:.2f}%"
    cost = invoice.period.result["members"]
    current = next((m["current_cost"] for m in cost if m["code"] == invoice.member.tenant_code), "")
    return [
        invoice.number,
        invoice.period.label,
        invoice.member.tenant_code,
        invoice.member.name,
        invoice.amount,
        "" if current is None else current,
        rate,
        c.get("equal", 0),
        c.get("population", 0),
        c.get("units", 0),
        one_off,
        c.get("guarantee", 0),
        c.get("rounding", 0),
        invoice.explanation,
    ]


def invoice_csv(invoices: Sequence[Invoice]) -> str:
    """The invoices as CSV (UTF-8 with BOM for Excel, CRLF), one row each, header first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for invoice in invoices:
        writer.writerow(_csv_row(invoice))
    return "\ufeff" + out.getvalue()
