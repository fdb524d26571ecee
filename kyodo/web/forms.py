"""Forms of the shell."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django_otp import match_token, user_has_device

from kyodo.platform.accounts.backends import AccountLocked

BAD_CREDENTIALS = "ユーザーIDまたはパスワードが正しくありません。"
TOKEN_REQUIRED = "この職員は二要素認証を設定しています。確認コード（6桁）を入力してください。"
TOKEN_INVALID = "確認コードが正しくありません。"


class LoginForm(AuthenticationForm):
    """User ID and password, plus the TOTP code for accounts that have a device."""

    otp_token = forms.CharField(
        label="確認コード（設定済みの方のみ）",
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    error_messages = {"invalid_login": BAD_CREDENTIALS, "inactive": BAD_CREDENTIALS}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "ユーザーID"
        self.fields["password"].label = "パスワード"
        self.otp_device: Any = None

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            try:
                self.user_cache = authenticate(self.request, username=username, password=password)
            except AccountLocked as exc:
                raise forms.ValidationError(str(exc), code="locked") from exc
            if self.user_cache is None:
                raise forms.ValidationError(BAD_CREDENTIALS, code="invalid_login")
            self.confirm_login_allowed(self.user_cache)
            if user_has_device(self.user_cache, confirmed=True):
                token = (self.cleaned_data.get("otp_token") or "").strip()
                if not token:
                    raise forms.ValidationError(TOKEN_REQUIRED, code="token_required")
                self.otp_device = match_token(self.user_cache, token)
                if self.otp_device is None:
                    raise forms.ValidationError(TOKEN_INVALID, code="token_invalid")
        return self.cleaned_data


class TotpConfirmForm(forms.Form):
    token = forms.CharField(
        label="確認コード（6桁）",
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="氏名・カナ・宛名番号", required=False, max_length=60)


class AccountCreateForm(forms.Form):
    username = forms.CharField(label="ユーザーID", max_length=150)
    display_name = forms.CharField(label="表示名", max_length=100, required=False)
    password = forms.CharField(label="初期パスワード（12文字以上）", widget=forms.PasswordInput)
    roles = forms.MultipleChoiceField(
        label="ロール", required=False, widget=forms.CheckboxSelectMultiple
    )
