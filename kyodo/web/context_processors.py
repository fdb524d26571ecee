"""What every page's shell needs: the municipality's name and the user's units."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kyodo.platform.accounts.units import BUSINESS_UNITS


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    tenant = user.tenant if user.tenant_id else None
    return {"shell_tenant": tenant, "shell_units": BUSINESS_UNITS}
