"""Password login with lockout after repeated failures (Django's hashers do the hashing)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q
from django.http import HttpRequest
from django.utils import timezone

from kyodo.platform.audit import record
from kyodo.platform.models.accounts import Account
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import Actor

ACCOUNT_LOCKED = "このアカウントはロックされています。しばらくしてから再度お試しください。"


class AccountLocked(Exception):
    """Raised to the login form so it can say why, after the attempt has been audited."""


CONFIRMED_DEVICE = "otp_has_confirmed_device"  # set by get_user, read by VerifiedLoginMiddleware


def _has_confirmed_device() -> ExpressionWrapper[Q]:
    """True when the account has a confirmed device of any installed django-otp kind."""
    from django_otp import device_classes

    any_device = Q()
    for model in device_classes():
        any_device |= Q(Exists(model.objects.filter(user=OuterRef("pk"), confirmed=True)))
    return ExpressionWrapper(any_device, output_field=BooleanField())


def _client_ip(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


class LockoutModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Account | None:
        if not username or password is None:
            return None
        account = Account.objects.filter(username=username).first()
        now = timezone.now()
        if account is None:
            Account().set_password(password)  # same work as a real check: no timing oracle
            record(
                AuditAction.LOGIN_FAILED,
                object_type="account",
                object_id=username,
                tenant_code=None,
                actor=Actor(username=username, ip=_client_ip(request)),
                detail={"reason": "unknown user"},
            )
            return None
        actor = Actor(account_id=account.pk, username=account.username, ip=_client_ip(request))
        if account.locked_until and account.locked_until > now:
            record(
                AuditAction.LOCKED_OUT,
                object_type="account",
                object_id=account.username,
                tenant_code=account.tenant_id,
                actor=actor,
            )
            raise AccountLocked(ACCOUNT_LOCKED)
        if account.check_password(password) and self.user_can_authenticate(account):
            if account.failed_login_count or account.locked_until:
                Account.objects.filter(pk=account.pk).update(
                    failed_login_count=0, locked_until=None
                )
            return account
        self._count_failure(account, now)
        record(
            AuditAction.LOGIN_FAILED,
            object_type="account",
            object_id=account.username,
            tenant_code=account.tenant_id,
            actor=actor,
            detail={"reason": "bad password"},
        )
        return None

    def get_user(self, user_id: Any) -> Account | None:
        """The signed-in account, with whether it has a confirmed OTP device, in one query:
        ``VerifiedLoginMiddleware`` asks that on every request of a session that has not
        passed a device, and a separate query each time was one of a read's dozen."""
        try:
            user = Account._default_manager.annotate(
                **{CONFIRMED_DEVICE: _has_confirmed_device()}
            ).get(pk=user_id)
        except Account.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        """The account's own and its roles' permissions in one query, not Django's two: every
        request of a clerk asks (cached on the account for the rest of that request)."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            found = Permission.objects.all()
            if not user_obj.is_superuser:
                found = found.filter(Q(user=user_obj) | Q(group__user=user_obj))
            user_obj._perm_cache = {
                f"{app}.{codename}"
                for app, codename in found.values_list("content_type__app_label", "codename")
            }
        return user_obj._perm_cache  # type: ignore[no-any-return]

    @staticmethod
    def _count_failure(account: Account, now: dt.datetime) -> None:
        Account.objects.filter(pk=account.pk).update(failed_login_count=F("failed_login_count") + 1)
        account.refresh_from_db(fields=["failed_login_count"])
        if account.failed_login_count >= settings.KYODO_LOCKOUT_THRESHOLD:
            until = now + dt.timedelta(minutes=settings.KYODO_LOCKOUT_MINUTES)
            Account.objects.filter(pk=account.pk).update(locked_until=until, failed_login_count=0)
