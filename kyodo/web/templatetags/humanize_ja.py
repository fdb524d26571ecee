"""Small display filters."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def thousands(value: int | None) -> str:
    """94000 → 94,000."""
    return "" if value is None else f"{value:,}"


@register.filter
def wareki(value: object) -> str:
    """A date in 和暦 (令和8年11月26日); empty for no date."""
    import datetime as dt

    from kyodo.rules.wareki import to_wareki

    if not isinstance(value, dt.date):
        return ""
    try:
        return to_wareki(value)
    except ValueError:
        return value.isoformat()  # before the solar calendar (1873): no 和暦 conversion


@register.filter
def percent(value: float | Decimal | None) -> str:
    """0.3764 → 37.64% (a saving rate); None → —."""
    return "—" if value is None else f"{float(value) * 100:.2f}%"
