"""利用実績: the resident registry's monthly figures for the consortium's invoices.

Counts only — no person leaves this module. Read inside the municipality's tenant scope:
- residents (住民数) on the month's last day, from the registry's history (the latest snapshot
  of each person dated on or before that day, if it is a current 住民状態);
- 異動 processed in the month (the work done on the system, by 処理日時);
- certificates issued in the month (住民票の写し等, by 発行日時).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from kyodo.platform.tenancy.context import require_tenant_code
from kyodo.units.juki.models import CURRENT_STATUSES, CertificateIssue, Idou, JuminRecord

__all__ = ["MonthUsage", "month_usage"]


@dataclass(frozen=True)
class MonthUsage:
    month: str  # "2026-04"
    residents: int
    idou: int
    certificates: int

    def as_json(self) -> dict[str, object]:
        return {
            "month": self.month,
            "residents": self.residents,
            "idou": self.idou,
            "certificates": self.certificates,
        }


def _residents_on(day: dt.date) -> int:
    table = JuminRecord._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*) FROM (
                SELECT DISTINCT ON (atena_no) status FROM {table}
                 WHERE tenant_id = %s AND idou_date <= %s
                 ORDER BY atena_no, idou_date DESC, rireki_no DESC
            ) latest WHERE status = ANY(%s)
            """,
            [require_tenant_code(), day, [str(s) for s in CURRENT_STATUSES]],
        )
        return int(cursor.fetchone()[0])


def month_usage(year: int, month: int) -> MonthUsage:
    last = calendar.monthrange(year, month)[1]
    zone = timezone.get_current_timezone()
    start = dt.datetime(year, month, 1, tzinfo=zone)
    end = start + dt.timedelta(days=last)
    return MonthUsage(
        month=f"{year:04d}-{month:02d}",
        residents=_residents_on(dt.date(year, month, last)),
        idou=Idou.objects.filter(processed_at__gte=start, processed_at__lt=end).count(),
        certificates=CertificateIssue.objects.filter(
            issued_at__gte=start, issued_at__lt=end
        ).count(),
    )
