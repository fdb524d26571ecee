"""Formulas and periods for the consortium tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kyodo.kyogikai.models import BillingPeriod, Formula
from kyodo.platform.models import Consortium


def this_fiscal_year() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    year = today.year if today.month >= 4 else today.year - 1
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def formula(consortium: Consortium, name: str = "3:7", **fields: object) -> Formula:
    values: dict[str, object] = {
        "equal_ratio": Decimal("0.3"),
        "population_ratio": Decimal("0.7"),
        "min_saving": Decimal("0.3"),
    }
    values.update(fields)
    return Formula.objects.create(consortium=consortium, name=name, **values)


def period(consortium: Consortium, used: Formula, **fields: object) -> BillingPeriod:
    start, end = this_fiscal_year()
    values: dict[str, object] = {
        "label": "当年度",
        "start": start,
        "end": end,
        "total": 180_000_000,
    }
    values.update(fields)
    return BillingPeriod.objects.create(consortium=consortium, formula=used, **values)
