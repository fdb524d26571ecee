"""Request middleware: the tenant scope around each staff request, the second factor, and the
idle timeout's renewal."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django_otp import user_has_device

from kyodo.platform.accounts.backends import CONFIRMED_DEVICE
from kyodo.platform.tenancy.context import Actor, tenant_scope


class TenantMiddleware:
    """Runs a municipality's staff request inside its tenant scope (one transaction, with the
    row-level-security setting). Anonymous requests and consortium operators get no scope,
    so no tenant-owned row is visible to them at all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        code = getattr(user, "tenant_id", None) if user.is_authenticated else None
        if not code or getattr(user, "is_operator", False):
            return self.get_response(request)
        actor = Actor(
            account_id=user.pk, username=user.get_username(), ip=request.META.get("REMOTE_ADDR")
        )
        failed_audit: list[dict[str, Any]] = []
        with tenant_scope(code, actor=actor) as scope:
            response = self.get_response(request)
            if response.status_code >= 500:
                # Django turned an exception into this response inside the scope: undo the
                # request's changes, but keep its audit entries (what was read stays logged).
                failed_audit, scope.pending_audit = scope.pending_audit, []
                transaction.set_rollback(True)
        if failed_audit:
            for entry in failed_audit:
                entry.pop("_marker", None)  # its savepoint is gone; the read still happened
            with tenant_scope(code, actor=actor) as scope:
                scope.pending_audit.extend(failed_audit)
        return response


class VerifiedLoginMiddleware:
    """An account with a confirmed TOTP device must have passed it in this session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[attr-defined]  # added by OTPMiddleware
            and _has_confirmed_device(user)
        ):
            logout(request)
            return redirect("login")
        return self.get_response(request)


def _has_confirmed_device(user: Any) -> bool:
    # Loaded with the account by LockoutModelBackend.get_user; asked here only when another
    # authentication backend put the user there.
    known = getattr(user, CONFIRMED_DEVICE, None)
    return bool(known) if known is not None else user_has_device(user, confirmed=True)


RENEWED = "_kyodo_renewed"  # when the session's expiry was last moved on (epoch seconds)


class IdleTimeoutMiddleware:
    """Moves a signed-in session's expiry on (``SESSION_COOKIE_AGE``: an idle timeout, not an
    absolute one) at most once every ``KYODO_SESSION_RENEW_SECONDS``, rather than writing the
    session on every request: a clerk's idle limit is then kept to within that minute, and a
    busy counter saves a database write and its transaction on nearly every request.
    Placed after SessionMiddleware, so the session it marks is saved on the way out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a live session with someone signed in: never create one for a visitor, nor
        # bring back one that logging out has just flushed.
        if session is not None and session.session_key and "_auth_user_id" in session:
            now = int(time.time())
            if now - session.get(RENEWED, 0) >= settings.KYODO_SESSION_RENEW_SECONDS:
                session[RENEWED] = now  # marks it modified: saved with a new expiry
        return response
