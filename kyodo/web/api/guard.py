"""API access: every staff operation declares the unit and operation it needs.

No ``from __future__ import annotations`` here: django-ninja reads the real annotations.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from ninja.security import SessionAuth

from kyodo.platform.accounts.access import FORBIDDEN, can, unit_required
from kyodo.platform.errors import PermissionDenied, ValidationFailed
from kyodo.web.api.schemas import Error

ERRORS: dict[int, Any] = {401: Error, 403: Error, 404: Error, 422: Error}


class UnitAccess(SessionAuth):
    """Session login (with CSRF) plus the unit's operation, checked before the request body is
    parsed, so a clerk without the role gets 403 whatever they send."""

    def __init__(self, unit: str, operation: str) -> None:
        super().__init__()
        self.unit, self.operation = unit, operation

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user and not can(user, self.unit, self.operation):
            raise PermissionDenied(FORBIDDEN)
        return user


def guarded(
    route: Callable[..., Any], path: str, unit: str, operation: str, **options: Any
) -> Callable[[Any], Any]:
    """Register an operation that needs ``unit``/``operation``; the view also carries the
    declaration the authorization-matrix test reads."""

    def decorator(view: Any) -> Any:
        return route(path, auth=UnitAccess(unit, operation), **options)(
            unit_required(unit, operation)(view)
        )

    return decorator


def optional_date(text: str | None, name: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"日付は YYYY-MM-DD です (got {text!r})", field=name) from None


def required_date(text: str, name: str) -> dt.date:
    value = optional_date(text, name)
    if value is None:
        raise ValidationFailed("必須項目です", field=name)
    return value
