"""Reads of the 収滞納 ledger for the CLI (and later the screens and the API), each audited.

``balance`` is one person's 名寄せ: every installment of every 税目 recorded for the 宛名番号,
with its 調定額, 収納額, 未納額 and 延滞金 as of a date, the totals per 税目 and overall, the
person's open 過誤納, and payments kept unmatched (保留) that name the person. ``entaikin`` is
the 延滞金 of each installment unpaid or paid late, with the calculator's spans
(services/entaikin.py says what the calculator is given).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from kyodo.platform.audit import record as audit
from kyodo.platform.models.audit import AuditAction
from kyodo.units.shuno.models import Chotei, KagonoReason, TaxKind, Tokusoku
from kyodo.units.shuno.services import entaikin as entaikin_service
from kyodo.units.shuno.services import ledger
from kyodo.units.shuno.services.keshikomi import held_open


def balance(*, atena_no: int, purpose: str, as_of: dt.date | None = None) -> dict[str, Any]:
    """The person's combined balance across every tax, as of ``as_of`` (default today)."""
    on = as_of or timezone.localdate()
    issued = Tokusoku.objects.filter(chotei=OuterRef("pk"), issued_on__lte=on)
    rows = (
        ledger.with_amounts(Chotei.objects.filter(atena_no=atena_no, assessed_on__lte=on), as_of=on)
        .annotate(tokusoku_on=Subquery(issued.values("issued_on")[:1]))
        .order_by(*ledger.OLDEST_FIRST)
    )
    rows = list(rows)
    payments = entaikin_service.payments_of([r.pk for r in rows], on=on)
    installments = []
    taxes: dict[str, dict[str, Any]] = {}
    total = {"chotei": 0, "shuno": 0, "minou": 0}
    late: dict[str, Any] = {"total": 0, "installments": 0, "unconfirmed": set(), "errors": []}
    for row in rows:
        chotei = row.amount + row.delta  # type: ignore[attr-defined]
        paid = row.paid  # type: ignore[attr-defined]
        minou = chotei - paid
        result = entaikin_service.compute(
            tax=chotei, due_date=row.due_date, payments=payments.get(row.pk, []), on=on
        )
        amount = _late_amount(result, late)
        installments.append(
            {
                "tax_kind": row.tax_kind,
                "tax_kind_label": TaxKind(row.tax_kind).label,
                "fiscal_year": row.fiscal_year,
                "notice_no": row.notice_no,
                "kibetsu": row.kibetsu,
                "due_date": row.due_date.isoformat(),
                "chotei": chotei,
                "shuno": paid,
                "minou": minou,
                "overdue": minou > 0 and row.due_date < on,
                "tokusoku_on": _iso(row.tokusoku_on),  # type: ignore[attr-defined]
                "entaikin": amount,
            }
        )
        tax = taxes.setdefault(
            row.tax_kind,
            {
                "tax_kind": row.tax_kind,
                "tax_kind_label": TaxKind(row.tax_kind).label,
                "chotei": 0,
                "shuno": 0,
                "minou": 0,
                "entaikin": 0,
            },
        )
        for totals in (tax, total):
            totals["chotei"] += chotei
            totals["shuno"] += paid
            totals["minou"] += minou
        tax["entaikin"] += amount or 0
    kagono = [
        {
            "id": k.pk,
            "amount": k.amount,
            "left": left,
            "arose_on": k.arose_on.isoformat(),
            "reason": k.reason,
            "reason_label": KagonoReason(k.reason).label,
        }
        for k, left in ledger.open_kagono(atena_no, as_of=on)
    ]
    held = [
        {
            "id": s.pk,
            "amount": s.amount,
            "paid_on": s.paid_on.isoformat(),
            "held_reason": s.held_reason,
            "held_detail": s.held_detail,
        }
        for s in held_open(atena_no=atena_no)
        if s.paid_on <= on
    ]
    audit(
        AuditAction.READ,
        object_type="shuno.balance",
        object_id=atena_no,
        purpose=purpose,
        detail={"as_of": on.isoformat(), "installments": len(installments)},
    )
    return {
        "atena_no": atena_no,
        "as_of": on.isoformat(),
        "installments": installments,
        "taxes": sorted(taxes.values(), key=lambda t: TaxKind.values.index(t["tax_kind"])),
        "total": total,
        "kagono": {"open": sum(k["left"] for k in kagono), "items": kagono},
        "held": held,
        "entaikin": {
            "total": late["total"],
            "installments": late["installments"],
            "unconfirmed": sorted(late["unconfirmed"]),
            "errors": late["errors"],
        },
    }


def entaikin(*, atena_no: int, on: dt.date, purpose: str) -> dict[str, Any]:
    """The 延滞金 of each of the person's installments unpaid or paid late as of ``on``: the
    calculator's input and its result (spans, rates, steps)."""
    rows = (
        ledger.with_amounts(Chotei.objects.filter(atena_no=atena_no, assessed_on__lte=on), as_of=on)
        .filter(due_date__lt=on)
        .order_by(*ledger.OLDEST_FIRST)
    )
    rows = list(rows)
    payments = entaikin_service.payments_of([r.pk for r in rows], on=on)
    items = []
    total = 0
    for row in rows:
        chotei = row.amount + row.delta  # type: ignore[attr-defined]
        paid_in = payments.get(row.pk, [])
        result = entaikin_service.compute(
            tax=chotei, due_date=row.due_date, payments=paid_in, on=on
        )
        if result is None:
            continue
        if "error" not in result and not result["days"]:
            continue  # paid by the 納期限: no day of delay
        items.append(
            {
                "tax_kind": row.tax_kind,
                "tax_kind_label": TaxKind(row.tax_kind).label,
                "fiscal_year": row.fiscal_year,
                "notice_no": row.notice_no,
                "kibetsu": row.kibetsu,
                "due_date": row.due_date.isoformat(),
                "chotei": chotei,
                "shuno": row.paid,  # type: ignore[attr-defined]
                "minou": chotei - row.paid,  # type: ignore[attr-defined]
                "input": entaikin_service.claim(
                    tax=chotei, due_date=row.due_date, payments=paid_in, on=on
                ),
                "entaikin": result.get("entaikin"),
                "result": result,
            }
        )
        total += result.get("entaikin") or 0
    audit(
        AuditAction.READ,
        object_type="shuno.entaikin",
        object_id=atena_no,
        purpose=purpose,
        detail={"on": on.isoformat(), "installments": len(items)},
    )
    return {"atena_no": atena_no, "on": on.isoformat(), "installments": items, "total": total}


def _late_amount(result: dict[str, Any] | None, late: dict[str, Any]) -> int | None:
    """The installment's 延滞金 (0 when none is due yet; None when it could not be computed),
    adding it to the summary ``late``."""
    if result is None:
        return 0
    if "error" in result:
        late["errors"].append(result["error"])
        return None
    amount = int(result["entaikin"])
    if result["days"]:
        late["installments"] += 1
        late["total"] += amount
        late["unconfirmed"].update(result["unconfirmed"])
    return amount


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
