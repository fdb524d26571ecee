"""督促: the batch that issues a 督促状 for every installment unpaid after its 納期限.

The law: when a tax is not paid in full by its 納期限, the 徴税吏員 must send a 督促状 within
20 days after the 納期限 (地方税法 第329条第1項 for 市町村民税 — individual and corporate —
and 第371条第1項 for 固定資産税; the other 市町村税 have the same 20 days in their own
articles; rules.md §10.1).

The batch, run for a date ``on`` (normally today, daily):

- takes every installment whose 納期限 has passed (納期限 < ``on`` − ``wait_days``) and that
  still owes something as of ``on`` (調定額 − 収納額 > 0), and that has no 督促 yet;
- records one ``Tokusoku`` per installment, issued on ``on``, with the 未納額 it demands;
- is idempotent: an installment gets one 督促, ever (a unique key enforces it), so running the
  batch again the same day, or the next day, issues nothing twice.

``wait_days`` lets payments made on the last days before the 納期限 arrive before the 督促
goes out (a コンビニ 速報 comes a day or more later). It is at most 19, so that a daily batch
still issues every 督促 within the 20 days. An installment found later than that (the batch
did not run, or the 調定 was recorded late) still gets its 督促 — a late 督促状 is not void —
but it is flagged ``late`` so the delay shows.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef

from kyodo.platform.audit import record as audit
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import require_tenant_code
from kyodo.units.shuno.models import Chotei, Tokusoku
from kyodo.units.shuno.services import ledger

LEGAL_DAYS = 20  # 納期限後二十日以内
MAX_WAIT = LEGAL_DAYS - 1


def tokusoku_batch(*, on: dt.date, wait_days: int = 0) -> list[Tokusoku]:
    """Issue the 督促 due on ``on`` (see the module's rules); the new rows, by 納期限."""
    if not 0 <= wait_days <= MAX_WAIT:
        raise ValidationFailed(
            f"待機日数は 0〜{MAX_WAIT} 日です（督促状は納期限後{LEGAL_DAYS}日以内に発します）"
            f" (got {wait_days})",
            field="wait_days",
        )
    ledger.lock()
    overdue = Chotei.objects.filter(
        due_date__lt=on - dt.timedelta(days=wait_days), assessed_on__lte=on
    ).exclude(Exists(Tokusoku.objects.filter(chotei=OuterRef("pk"))))
    unpaid = (
        ledger.with_amounts(overdue, as_of=on)
        .annotate(minou=F("amount") + F("delta") - F("paid"))
        .filter(minou__gt=0)
        .order_by("due_date", "id")
        .values_list("id", "atena_no", "due_date", "minou")
    )
    tenant, at, by = require_tenant_code(), ledger.now(), ledger.actor()
    rows = []
    atena_nos = set()
    for chotei_id, atena_no, due_date, minou in unpaid:
        days = (on - due_date).days
        rows.append(
            Tokusoku(
                tenant_id=tenant,
                chotei_id=chotei_id,
                issued_on=on,
                minou=minou,
                days_after_due=days,
                late=days > LEGAL_DAYS,
                recorded_at=at,
                recorded_by=by,
            )
        )
        atena_nos.add(atena_no)
    Tokusoku.objects.bulk_create(rows, batch_size=2000)  # a day's 督促: thousands, not more
    if rows:
        audit(
            AuditAction.CHANGE,
            object_type="shuno.tokusoku",
            detail={
                "act": "tokusoku_batch",
                "on": on.isoformat(),
                "issued": len(rows),
                "late": sum(r.late for r in rows),
                "atena_nos": sorted(atena_nos),
            },
        )
    return rows
