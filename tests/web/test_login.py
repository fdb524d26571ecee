"""Login: password, lockout after repeated failures, the TOTP second factor, idle timeout, CSRF."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kyodo.platform.accounts.backends import ACCOUNT_LOCKED
from kyodo.platform.middleware import RENEWED
from kyodo.platform.models import Account, AuditRecord
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.web.forms import BAD_CREDENTIALS, TOKEN_INVALID, TOKEN_REQUIRED
from tests.conftest import PASSWORD


def login(client: Client, username: str, password: str, token: str = ""):
    return client.post("/login/", {"username": username, "password": password, "otp_token": token})


def audit_actions(tenant_code: str) -> list[str]:
    with tenant_scope(tenant_code):
        return list(
            AuditRecord.objects.filter(chain=tenant_code)
            .order_by("seq")
            .values_list("action", flat=True)
        )


@pytest.mark.django_db
def test_login_and_logout_are_audited(make_tenant: Callable, make_account: Callable) -> None:
    tenant = make_tenant()
    clerk = make_account(tenant, roles=("atena.view",))
    client = Client()
    response = login(client, clerk.username, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert "業務メニュー" in client.get("/").content.decode()
    client.post("/logout/")
    assert client.get("/").status_code == 302
    assert audit_actions(tenant.code)[-2:] == ["login", "logout"]


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_plain_message(make_tenant, make_account) -> None:
    tenant = make_tenant()
    clerk = make_account(tenant)
    response = login(Client(), clerk.username, "wrong")
    assert response.status_code == 200
    assert BAD_CREDENTIALS in response.content.decode()
    assert audit_actions(tenant.code)[-1] == "login_failed"


@pytest.mark.django_db
def test_repeated_failures_lock_the_account(make_tenant, make_account) -> None:
    tenant = make_tenant()
    clerk = make_account(tenant)
    for _ in range(settings.KYODO_LOCKOUT_THRESHOLD):
        login(Client(), clerk.username, "wrong")
    clerk.refresh_from_db()
    assert clerk.locked_until is not None and clerk.locked_until > timezone.now()
    # Locked: even the right password is refused, and says why.
    response = login(Client(), clerk.username, PASSWORD)
    assert response.status_code == 200 and ACCOUNT_LOCKED in response.content.decode()
    assert audit_actions(tenant.code)[-1] == "locked_out"
    # When the lock expires, the right password works again and the counter resets.
    Account.objects.filter(pk=clerk.pk).update(
        locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert login(Client(), clerk.username, PASSWORD).status_code == 302
    clerk.refresh_from_db()
    assert clerk.failed_login_count == 0 and clerk.locked_until is None


@pytest.mark.django_db
def test_fewer_failures_than_the_threshold_do_not_lock(make_tenant, make_account) -> None:
    clerk = make_account(make_tenant())
    for _ in range(settings.KYODO_LOCKOUT_THRESHOLD - 1):
        login(Client(), clerk.username, "wrong")
    assert login(Client(), clerk.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_unknown_user_fails_into_the_platform_chain(make_tenant) -> None:
    response = login(Client(), "nobody-here", "whatever")
    assert BAD_CREDENTIALS in response.content.decode()
    last = AuditRecord.objects.filter(chain="-").order_by("-seq").first()
    assert last is not None and (last.action, last.object_id) == ("login_failed", "nobody-here")


@pytest.mark.django_db
def test_totp_second_factor(make_tenant, make_account) -> None:
    clerk = make_account(make_tenant())
    device = TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    assert TOKEN_REQUIRED in login(Client(), clerk.username, PASSWORD).content.decode()
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    assert TOKEN_INVALID in login(Client(), clerk.username, PASSWORD, wrong).content.decode()
    # django-otp throttles a device after a failure (a growing delay between tries).
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    device.throttle_reset()
    client = Client()
    good = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert login(client, clerk.username, PASSWORD, good).status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_session_without_the_second_factor_is_ended(make_tenant, make_account) -> None:
    clerk = make_account(make_tenant())
    client = Client()
    client.force_login(clerk)  # password only, e.g. a session from before the device existed
    TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login")
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_totp_enrolment_page_confirms_a_device(make_tenant, make_account) -> None:
    clerk = make_account(make_tenant())
    client = Client()
    client.force_login(clerk)
    page = client.get("/account/totp/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    wrong = f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"
    assert client.post("/account/totp/", {"token": wrong}).status_code == 200
    assert not TOTPDevice.objects.filter(user=clerk, confirmed=True).exists()
    device.refresh_from_db()
    device.throttle_reset()
    code = f"{totp(device.bin_key):06d}"
    assert client.post("/account/totp/", {"token": code}).status_code == 302
    assert TOTPDevice.objects.filter(user=clerk, confirmed=True).count() == 1


@pytest.mark.django_db
def test_idle_sessions_expire(make_tenant, make_account) -> None:
    clerk = make_account(make_tenant())
    client = Client()
    assert login(client, clerk.username, PASSWORD).status_code == 302
    session = client.session
    assert session.get_expiry_age() == settings.SESSION_COOKIE_AGE <= 30 * 60
    session.set_expiry(timezone.now() - dt.timedelta(seconds=1))
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login")


def _expiry(session_key: str) -> dt.datetime:
    return Session.objects.get(session_key=session_key).expire_date


@pytest.mark.django_db
def test_requests_move_the_idle_expiry_on_at_most_once_a_minute(make_tenant, make_account) -> None:
    clerk = make_account(make_tenant())
    client = Client()
    assert login(client, clerk.username, PASSWORD).status_code == 302
    key = client.session.session_key
    # A clerk active two minutes ago: the next request moves the expiry on (idle, not absolute).
    session = client.session
    session[RENEWED] = int(time.time()) - 120
    session.save()
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 120)
    )
    before = _expiry(key)
    assert client.get("/").status_code == 200
    renewed = _expiry(key)
    assert renewed - before >= dt.timedelta(seconds=119)
    # Within the minute, requests leave the stored session alone (no write per request).
    assert client.get("/").status_code == 200
    assert _expiry(key) == renewed
    # Logging out ends the session and no request brings it back.
    client.post("/logout/")
    client.get("/")
    assert not Session.objects.filter(session_key=key).exists()


@pytest.mark.django_db
def test_csrf_is_enforced(make_tenant, make_account) -> None:
    clerk = make_account(make_tenant())
    client = Client(enforce_csrf_checks=True)
    assert login(client, clerk.username, PASSWORD).status_code == 403
    client.force_login(clerk)
    assert client.post("/logout/").status_code == 403


@pytest.mark.django_db
def test_whether_the_account_has_a_device_is_read_with_the_account(make_tenant, make_account):
    """Every request of a session without a second factor asks whether the account has a
    confirmed device (and ends the session if so): that comes with the account's own query."""
    clerk = make_account(make_tenant())
    client = Client()
    client.force_login(clerk)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    asked = [q["sql"] for q in queries if "otp_totp_totpdevice" in q["sql"]]
    assert len(asked) == 1 and 'FROM "platform_account"' in asked[0]
