"""Forms of the shell."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from django_otp import match_token, user_has_device

from kyodo.platform.accounts.backends import AccountLocked

# Plain str msgids (tests compare them with page text); translated where they are shown.
BAD_CREDENTIALS = gettext_noop("ユーザーIDまたはパスワードが正しくありません。")
TOKEN_REQUIRED = gettext_noop(
    "この職員は二要素認証を設定しています。確認コード（6桁）を入力してください。"
)
TOKEN_INVALID = gettext_noop("確認コードが正しくありません。")

# kyodo.platform.accounts.backends.ACCOUNT_LOCKED stays a plain Japanese domain message (the CLI
# shows it too); it is listed here so makemessages keeps it in the catalogue for the login form.
_PLATFORM_MSGIDS = (
    gettext_noop("このアカウントはロックされています。しばらくしてから再度お試しください。"),
)


class LoginForm(AuthenticationForm):
    """User ID and password, plus the TOTP code for accounts that have a device."""

    otp_token = forms.CharField(
        label=_("確認コード（設定済みの方のみ）"),
        required=False,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    error_messages = {"invalid_login": _(BAD_CREDENTIALS), "inactive": _(BAD_CREDENTIALS)}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("ユーザーID")
        self.fields["password"].label = _("パスワード")
        self.otp_device: Any = None

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username and password:
            try:
                self.user_cache = authenticate(self.request, username=username, password=password)
            except AccountLocked as exc:
                raise forms.ValidationError(gettext(str(exc)), code="locked") from exc
            if self.user_cache is None:
                raise forms.ValidationError(gettext(BAD_CREDENTIALS), code="invalid_login")
            self.confirm_login_allowed(self.user_cache)
            if user_has_device(self.user_cache, confirmed=True):
                token = (self.cleaned_data.get("otp_token") or "").strip()
                if not token:
                    raise forms.ValidationError(gettext(TOKEN_REQUIRED), code="token_required")
                self.otp_device = match_token(self.user_cache, token)
                if self.otp_device is None:
                    raise forms.ValidationError(gettext(TOKEN_INVALID), code="token_invalid")
        return self.cleaned_data


class TotpConfirmForm(forms.Form):
    token = forms.CharField(
        label=_("確認コード（6桁）"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PersonSearchForm(forms.Form):
    q = forms.CharField(label=_("氏名・カナ・宛名番号"), required=False, max_length=60)


class AccountCreateForm(forms.Form):
    username = forms.CharField(label=_("ユーザーID"), max_length=150)
    display_name = forms.CharField(label=_("表示名"), max_length=100, required=False)
    password = forms.CharField(label=_("初期パスワード（12文字以上）"), widget=forms.PasswordInput)
    roles = forms.MultipleChoiceField(
        label=_("ロール"), required=False, widget=forms.CheckboxSelectMultiple
    )
