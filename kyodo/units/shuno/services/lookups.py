"""Set-based reads for the payment import: 100,000 notices or keys in one query.

On PostgreSQL each read is one statement taking whole arrays (``= ANY(%s)``, ``unnest``): an
ORM ``__in`` of 100,000 values costs seconds just to build and send, and a query may carry at
most 65,535 parameters. Elsewhere (the SQLite demo) the same reads go through the ORM in
chunks. Row-level security applies to both; the explicit ``tenant_id`` condition lets the
tenant-leading indexes be used.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef

from kyodo.platform.tenancy.context import require_tenant_code
from kyodo.units.shuno.models import Chotei, ChoteiKosei, Keshikomi, Shuno, ShunoKakuho
from kyodo.units.shuno.services import ledger

CHUNK = 10_000
Notice = tuple[str, int, int, int]  # 税目, 年度, 通知書番号, 期別


def chotei_by_notice(wanted: set[Notice]) -> dict[Notice, tuple[int, int, int]]:
    """(id, 宛名番号, what it still owes) of each installment found among ``wanted``."""
    if not wanted:
        return {}
    if connection.vendor != "postgresql":
        return _chotei_by_notice_orm(wanted)
    kinds, years, numbers, kibetsu = (list(column) for column in zip(*wanted, strict=True))
    # What each installment still owes, by index lookups per installment found (a join with
    # aggregated CTEs lets the planner, blind to their size, pick a quadratic nested loop).
    sql = f"""
        SELECT c.tax_kind, c.fiscal_year, c.notice_no, c.kibetsu, c.id, c.atena_no,
               c.amount
               + COALESCE((SELECT sum(k.delta) FROM {ChoteiKosei._meta.db_table} k
                            WHERE k.tenant_id = c.tenant_id AND k.chotei_id = c.id), 0)::bigint
               - COALESCE((SELECT sum(p.amount) FROM {Keshikomi._meta.db_table} p
                            WHERE p.tenant_id = c.tenant_id AND p.chotei_id = c.id), 0)::bigint
          FROM {Chotei._meta.db_table} c
          JOIN unnest(%s::varchar[], %s::int[], %s::bigint[], %s::int[])
               AS r(tax_kind, fiscal_year, notice_no, kibetsu)
            ON c.tax_kind = r.tax_kind AND c.fiscal_year = r.fiscal_year
           AND c.notice_no = r.notice_no AND c.kibetsu = r.kibetsu
         WHERE c.tenant_id = %s
    """
    tenant = require_tenant_code()
    with connection.cursor() as cursor:
        cursor.execute(sql, [kinds, years, numbers, kibetsu, tenant])
        return {(k, y, n, b): (pk, atena, owes) for k, y, n, b, pk, atena, owes in cursor}


def _chotei_by_notice_orm(wanted: set[Notice]) -> dict[Notice, tuple[int, int, int]]:
    kinds = {w[0] for w in wanted}
    years = {w[1] for w in wanted}
    numbers = sorted({w[2] for w in wanted})
    found = {}
    for start in range(0, len(numbers), CHUNK):
        rows = ledger.with_amounts(
            Chotei.objects.filter(
                tax_kind__in=kinds,
                fiscal_year__in=years,
                notice_no__in=numbers[start : start + CHUNK],
            )
        ).values_list(
            "tax_kind", "fiscal_year", "notice_no", "kibetsu", "id", "atena_no", "amount",
            "delta", "paid",
        )  # fmt: skip
        for kind, year, number, kibetsu, pk, atena_no, amount, delta, paid in rows:
            if (kind, year, number, kibetsu) in wanted:
                found[(kind, year, number, kibetsu)] = (pk, atena_no, amount + delta - paid)
    return found


FIELDS = ("id", "key", "amount", "paid_on", "barcode", "report", "source", "source_line")


def shuno_by_key(keys: set[str]) -> dict[str, dict[str, Any]]:
    """The payments already recorded under these keys, with whether a 確報 confirmed them."""
    if not keys:
        return {}
    if connection.vendor != "postgresql":
        return _shuno_by_key_orm(keys)
    columns = ", ".join(f"s.{f}" for f in FIELDS)
    sql = f"""
        SELECT {columns}, EXISTS (SELECT 1 FROM {ShunoKakuho._meta.db_table} k
                                   WHERE k.tenant_id = s.tenant_id AND k.shuno_id = s.id)
          FROM {Shuno._meta.db_table} s
         WHERE s.tenant_id = %s AND s.key = ANY(%s)
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [require_tenant_code(), list(keys)])
        rows = [{**dict(zip(FIELDS, row, strict=False)), "confirmed": row[-1]} for row in cursor]
    return {row["key"]: row for row in rows}


def _shuno_by_key_orm(keys: set[str]) -> dict[str, dict[str, Any]]:
    ordered = sorted(keys)
    confirmed = ShunoKakuho.objects.filter(shuno=OuterRef("pk"))
    found = {}
    for start in range(0, len(ordered), CHUNK):
        rows = (
            Shuno.objects.filter(key__in=ordered[start : start + CHUNK])
            .annotate(confirmed=Exists(confirmed))
            .values(*FIELDS, "confirmed")
        )
        found.update({row["key"]: row for row in rows})
    return found
