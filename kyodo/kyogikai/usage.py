"""A member's usage figures per month, read from the platform's own records (the resident
registry's history, 異動 and certificate issues) within the member's tenant scope.

A purged member has no records left: its figures are those fixed on its invoices.
"""

from __future__ import annotations

import datetime as dt

from kyodo.kyogikai.models import Member
from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.context import Actor, tenant_scope
from kyodo.units.juki.usage import MonthUsage, month_usage

__all__ = ["member_usage", "months"]

PURPOSE = "協議会の利用実績の集計（件数のみ）"


def months(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    year, month, found = start.year, start.month, []
    while (year, month) <= (end.year, end.month):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def member_usage(member: Member, start: dt.date, end: dt.date) -> list[MonthUsage]:
    if not Tenant.objects.filter(code=member.tenant_code).exists():
        return []
    with tenant_scope(member.tenant_code, actor=Actor(username="kyogikai"), purpose=PURPOSE):
        return [month_usage(y, m) for y, m in months(start, end)]
