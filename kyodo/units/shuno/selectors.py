"""Reads of the 収滞納 ledger for the CLI (and later the screens and the API), each audited.

``balance`` is one person's 名寄せ: every installment of every 税目 recorded for the 宛名番号,
with its 調定額, 収納額 and 未納額 as of a date, the totals per 税目 and overall, the person's
open 過誤納, and payments kept unmatched (保留) that name the person.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from kyodo.platform.audit import record as audit
from kyodo.platform.models.audit import AuditAction
from kyodo.units.shuno.models import Chotei, KagonoReason, TaxKind, Tokusoku
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
    installments = []
    taxes: dict[str, dict[str, Any]] = {}
    total = {"chotei": 0, "shuno": 0, "minou": 0}
    for row in rows:
        chotei = row.amount + row.delta  # type: ignore[attr-defined]
        paid = row.paid  # type: ignore[attr-defined]
        minou = chotei - paid
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
            },
        )
        for totals in (tax, total):
            totals["chotei"] += chotei
            totals["shuno"] += paid
            totals["minou"] += minou
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
    }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
