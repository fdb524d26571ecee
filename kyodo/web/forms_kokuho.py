"""Forms of the 国民健康保険 資格 screens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from kyodo.units.kokuho.models import AcquireReason, LoseReason
from kyodo.web.forms_juki import WarekiDateField


class AcquireForm(forms.Form):
    """資格取得 entered by the clerk (社保離脱・生保廃止 …)."""

    on = WarekiDateField(label=_("資格取得日"))
    reason = forms.ChoiceField(label=_("取得事由"), choices=AcquireReason.choices)


class LoseForm(forms.Form):
    """資格喪失 entered by the clerk (社保加入 …); the date is the 資格喪失日 (the day after)."""

    on = WarekiDateField(label=_("資格喪失日"))
    reason = forms.ChoiceField(label=_("喪失事由"), choices=LoseReason.choices)


class LookupForm(forms.Form):
    atena_no = forms.IntegerField(label=_("宛名番号"), min_value=1)
