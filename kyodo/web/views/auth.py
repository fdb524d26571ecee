"""Login, logout, language and the TOTP second factor."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from kyodo.platform.accounts.access import authenticated, public
from kyodo.web.forms import TOKEN_INVALID, LoginForm, TotpConfirmForm


@public
@sensitive_post_parameters("password", "otp_token")
def login(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        auth_login(request, user)
        if form.otp_device is not None:
            otp_login(request, form.otp_device)
        target = request.POST.get("next") or request.GET.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = ""
        return redirect(target or "home")
    return render(
        request, "registration/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@authenticated
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, gettext("ログアウトしました。"))
    return redirect("login")


@public
def set_language(request: HttpRequest) -> HttpResponse:
    return django_set_language(request)


@authenticated
def totp(request: HttpRequest) -> HttpResponse:
    """Set up the second factor: show a QR code, then confirm one code from the app."""
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "default"}
    )
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            TOTPDevice.objects.filter(user=user, confirmed=True).delete()
            device.confirmed = True
            device.save()
            otp_login(request, device)
            messages.success(
                request, gettext("二要素認証を設定しました。次回から確認コードが必要です。")
            )
            return redirect("home")
        form.add_error("token", gettext(TOKEN_INVALID))
    context: dict[str, Any] = {
        "form": form,
        "already": confirmed is not None,
        "qr_svg": segno.make(device.config_url, error="m").svg_inline(scale=4),
        "secret_uri": device.config_url,
    }
    return render(request, "kyodo/totp.html", context)
