"""What every 収滞納 service shares: the ledger lock, the reads of what is owed and paid, and
the order in which a person's installments are paid.

**Lock.** Every change of a municipality's ledger runs under one transaction-level advisory
lock for that municipality. Balances are sums over append-only rows, and the tables are
append-only for the application role (no UPDATE, so no ``SELECT … FOR UPDATE`` either), so
two payments on the same installment must not both see it unpaid: the lock makes them take
turns. It is held until the transaction ends; imports hold it for seconds, counter payments
for milliseconds.

**Oldest first** (``OLDEST_FIRST``). When money names a person rather than an installment (a
counter payment "for my taxes", a 充当), it goes to the person's unpaid installments in the
order of their 納期限, the earliest first; on the same 納期限, by 年度, 税目, 通知書番号 and 期別.
Paying the earliest 納期限 first stops the 延滞金 that has run longest (it runs from the day
after each 納期限, rules.md §10.2) and is the order a payer would expect.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from kyodo.platform.tenancy.context import actor_name_or, require_tenant_code
from kyodo.units.shuno.allocation import Open
from kyodo.units.shuno.models import Chotei, ChoteiKosei, Kagono, Kanpu, Keshikomi, KeshikomiKind

OLDEST_FIRST = ("due_date", "fiscal_year", "tax_kind", "notice_no", "kibetsu", "id")


def lock() -> None:
    """Take the municipality's ledger lock until the end of the transaction."""
    if connection.vendor != "postgresql":
        return  # the SQLite demo has a single writer anyway
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"kyodo.shuno:{require_tenant_code()}"]
        )


def actor() -> str:
    return actor_name_or("system")


def now() -> dt.datetime:
    return timezone.now()


def with_amounts(rows: QuerySet[Chotei], *, as_of: dt.date | None = None) -> QuerySet[Chotei]:
    """Annotate ``delta`` (the 更正 so far: 調定額 = ``amount`` + ``delta``) and ``paid`` (the
    収納額), as of a date if given."""
    kosei = ChoteiKosei.objects.filter(chotei=OuterRef("pk"))
    paid = Keshikomi.objects.filter(chotei=OuterRef("pk"))
    if as_of is not None:
        kosei = kosei.filter(effective_on__lte=as_of)
        paid = paid.filter(applied_on__lte=as_of)
    return rows.annotate(
        delta=Coalesce(_sum(kosei, "delta", by="chotei"), 0),
        paid=Coalesce(_sum(paid, "amount", by="chotei"), 0),
    )


def _sum(rows: QuerySet[Any], column: str, *, by: str) -> Any:
    """A correlated SUM(column) of ``rows`` grouped by their link ``by``."""
    return Subquery(rows.order_by().values(by).annotate(total=Sum(column)).values("total")[:1])


def owed(chotei: Chotei) -> tuple[int, int]:
    """(調定額, 収納額) of one installment now."""
    row = with_amounts(Chotei.objects.filter(pk=chotei.pk)).values("amount", "delta", "paid")[0]
    return row["amount"] + row["delta"], row["paid"]


def open_installments(atena_no: int, *, due_by: dt.date | None = None) -> list[Open]:
    """The person's installments that still owe something, oldest first (``OLDEST_FIRST``);
    with ``due_by``, only those whose 納期限 is on or before it."""
    rows = Chotei.objects.filter(atena_no=atena_no)
    if due_by is not None:
        rows = rows.filter(due_date__lte=due_by)
    result = []
    for row in with_amounts(rows).order_by(*OLDEST_FIRST).values("id", "amount", "delta", "paid"):
        remaining = row["amount"] + row["delta"] - row["paid"]
        if remaining > 0:
            result.append(Open(chotei_id=row["id"], remaining=remaining))
    return result


def open_kagono(atena_no: int, *, as_of: dt.date | None = None) -> list[tuple[Kagono, int]]:
    """The person's 過誤納 with what is left of each after 充当 and 還付, oldest first."""
    used = Keshikomi.objects.filter(kagono=OuterRef("pk"), kind=KeshikomiKind.JUTO)
    refunded = Kanpu.objects.filter(kagono=OuterRef("pk"))
    rows = Kagono.objects.filter(atena_no=atena_no)
    if as_of is not None:
        used = used.filter(applied_on__lte=as_of)
        refunded = refunded.filter(decided_on__lte=as_of)
        rows = rows.filter(arose_on__lte=as_of)
    rows = rows.annotate(
        used=Coalesce(_sum(used, "amount", by="kagono"), 0),
        refunded=Coalesce(_sum(refunded, "amount", by="kagono"), 0),
    ).order_by("arose_on", "id")
    result = []
    for row in rows:
        left = row.amount - row.used - row.refunded  # type: ignore[attr-defined]
        if left > 0:
            result.append((row, left))
    return result
