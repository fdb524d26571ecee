"""Who may do what: the one place views ask, and the declaration each view carries.

Every view is decorated with exactly one of ``public``, ``authenticated``, ``operator_only`` or
``unit_required(unit, operation)``; the authorization-matrix test walks every URL and fails on
a view without a declaration.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse

from kyodo.platform.accounts.units import BUSINESS_UNITS, OPERATIONS

V = TypeVar("V", bound=Callable[..., Any])
API_PREFIX = "/api/"
NOT_LOGGED_IN = "ログインしていません"
FORBIDDEN = "この操作を行う権限がありません"


@dataclass(frozen=True)
class Access:
    kind: str  # "public" | "authenticated" | "operator" | "unit" | "external"
    unit: str | None = None
    operation: str | None = None


def can(user: Any, unit: str, operation: str) -> bool:
    """Staff of a municipality holding the unit's operation. Operators never touch residents."""
    return bool(
        user.is_authenticated
        and user.is_active
        and not user.is_operator
        and user.tenant_id
        and user.has_perm(f"platform.{unit}_{operation}")
    )


def _declare(access: Access, check: Callable[[HttpRequest], bool | None]) -> Callable[[V], V]:
    def decorator(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            allowed = check(request)
            api = request.path.startswith(API_PREFIX)
            if allowed is None:
                if api:
                    return JsonResponse({"error": NOT_LOGGED_IN}, status=401)
                return redirect_to_login(request.get_full_path())
            if not allowed:
                if api:
                    return JsonResponse({"error": FORBIDDEN}, status=403)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.kyodo_access = access  # type: ignore[attr-defined]  # read by the matrix test
        return wrapped  # type: ignore[return-value]

    return decorator


def _login_then(predicate: Callable[[Any], bool]) -> Callable[[HttpRequest], bool | None]:
    def check(request: HttpRequest) -> bool | None:
        if not request.user.is_authenticated:
            return None
        return predicate(request.user)

    return check


def external_system(view: V) -> V:
    """Declares a view for registered external systems: they authenticate with their own
    bearer token (checked by the API), never with a staff session."""
    view.kyodo_access = Access("external")  # type: ignore[attr-defined]  # read by the matrix
    return view


def public(view: V) -> V:
    return _declare(Access("public"), lambda request: True)(view)


def authenticated(view: V) -> V:
    return _declare(Access("authenticated"), _login_then(lambda user: True))(view)


def operator_only(view: V) -> V:
    return _declare(Access("operator"), _login_then(lambda user: bool(user.is_operator)))(view)


def unit_required(unit: str, operation: str) -> Callable[[V], V]:
    if unit not in BUSINESS_UNITS or operation not in OPERATIONS:
        raise ValueError(f"unknown unit/operation {unit}.{operation}")
    return _declare(
        Access("unit", unit, operation), _login_then(lambda user: can(user, unit, operation))
    )
