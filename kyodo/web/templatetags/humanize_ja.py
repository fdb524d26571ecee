"""Small display filters."""

from django import template

register = template.Library()


@register.filter
def thousands(value: int | None) -> str:
    """94000 → 94,000."""
    return "" if value is None else f"{value:,}"
