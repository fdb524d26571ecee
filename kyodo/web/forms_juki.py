"""Forms of the resident-registry counter (住民記録 窓口)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from kyodo.rules.wareki import parse_date
from kyodo.units.juki.services.inputs import FOREIGN_CATEGORIES

SEXES = [("", "—"), ("M", _("男")), ("F", _("女"))]
ZOKUGARA_HINTS = [
    "世帯主",
    "妻",
    "夫",
    "子",
    "父",
    "母",
    "子の妻",
    "子の夫",
    "子の子",
    "兄",
    "姉",
    "弟",
    "妹",
    "妻の父",
    "妻の母",
    "縁故者",
    "同居人",
]


class WarekiDateField(forms.Field):
    """A date typed as 西暦 (2026-11-15) or 和暦 (R8.11.15, 令和8年11月15日)."""

    widget = forms.TextInput(attrs={"maxlength": "20", "autocomplete": "off"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", _("例: 2026-11-15 / R8.11.15 / 令和8年11月15日"))
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        text = str(value or "").strip()
        if not text:
            return None
        if len(text) > 20:
            raise forms.ValidationError(_("日付が長すぎます"))
        try:
            return parse_date(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("氏名・カナ・宛名番号・住民票コード"), required=False, max_length=60
    )
    birth = forms.CharField(label=_("生年月日（西暦・和暦）"), required=False, max_length=20)
    address = forms.CharField(label=_("住所"), required=False, max_length=100)
    partial = forms.BooleanField(
        label=_("部分一致（名前の途中の文字でも探す。時間がかかります）"), required=False
    )


class MoveInForm(forms.Form):
    moved_on = WarekiDateField(label=_("異動日（転入した日）"))
    notified_on = WarekiDateField(label=_("届出日"))
    postal_code = forms.CharField(label=_("郵便番号"), required=False, max_length=8)
    town = forms.CharField(label=_("町字"), max_length=60)
    banchi = forms.CharField(label=_("番地"), max_length=40)
    katagaki = forms.CharField(label=_("方書"), required=False, max_length=80)
    previous_address = forms.CharField(label=_("転入前住所"), max_length=200)


class MemberForm(forms.Form):
    # 名 and the readings are required for Japanese nationals only; the service says so.
    family_name = forms.CharField(label=_("氏"), max_length=60)
    given_name = forms.CharField(label=_("名"), max_length=60, required=False)
    family_kana = forms.CharField(label=_("氏（カナ）"), max_length=60, required=False)
    given_kana = forms.CharField(label=_("名（カナ）"), max_length=60, required=False)
    birth_date = WarekiDateField(label=_("生年月日"), help_text="")
    sex = forms.ChoiceField(label=_("性別"), choices=SEXES)
    relationship = forms.CharField(
        label=_("続柄"), max_length=30, widget=forms.TextInput(attrs={"list": "zokugara-list"})
    )
    my_number = forms.CharField(
        label=_("個人番号（任意）"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    # 外国人住民 (住基法 第30条の45): nationality and the items of the person's category.
    nationality = forms.CharField(
        label=_("国籍・地域（ISO英字2文字）"), max_length=2, initial="JP", required=False
    )
    alpha_name = forms.CharField(label=_("氏名（アルファベット）"), max_length=120, required=False)
    category = forms.ChoiceField(
        label=_("法第30条の45区分"),
        required=False,
        choices=[("", "—"), *FOREIGN_CATEGORIES.items()],
    )
    residence_status = forms.CharField(label=_("在留資格"), max_length=60, required=False)
    period_of_stay = forms.CharField(label=_("在留期間"), max_length=60, required=False)
    period_end = WarekiDateField(label=_("在留期間の満了の日"), required=False, help_text="")
    residence_card_no = forms.CharField(label=_("在留カード番号"), max_length=60, required=False)
    special_permanent_card_no = forms.CharField(
        label=_("特別永住者証明書番号"), max_length=60, required=False
    )

    FOREIGN_FIELDS = (
        "nationality",
        "alpha_name",
        "category",
        "residence_status",
        "period_of_stay",
        "period_end",
        "residence_card_no",
        "special_permanent_card_no",
    )

    def japanese_fields(self) -> list[Any]:
        return [self[name] for name in self.fields if name not in self.FOREIGN_FIELDS]

    def foreign_fields(self) -> list[Any]:
        return [self[name] for name in self.FOREIGN_FIELDS]


MemberFormSet = formset_factory(MemberForm, extra=4, max_num=10, validate_max=True)


class MoveOutForm(forms.Form):
    moved_on = WarekiDateField(label=_("転出予定日"))
    notified_on = WarekiDateField(label=_("届出日"))
    destination = forms.CharField(label=_("転出先住所"), max_length=200)
    abroad = forms.BooleanField(label=_("国外への転出"), required=False)


class DeathForm(forms.Form):
    died_on = WarekiDateField(label=_("死亡日"))
    notified_on = WarekiDateField(label=_("届出日（通知日）"), required=False)


class CertificateForm(forms.Form):
    KINDS = [
        ("juminhyo", _("住民票の写し")),
        ("kisaijiko", _("住民票記載事項証明書")),
        ("josho", _("除票の写し")),
        ("tenshutsu", _("転出証明書")),
    ]
    ITEMS = [
        ("zokugara", _("世帯主・続柄")),
        ("honseki", _("本籍・筆頭者")),
        ("juminhyo_code", _("住民票コード")),
        ("kojin_bango", _("個人番号")),
        ("history", _("異動履歴")),
    ]
    kind = forms.ChoiceField(label=_("証明書の種類"), choices=KINDS)
    household = forms.BooleanField(label=_("世帯全員"), required=False, initial=True)
    layout = forms.ChoiceField(
        label=_("様式"), choices=[("setai_renki", _("世帯連記式")), ("kojin", _("個人票"))]
    )
    with_items = forms.MultipleChoiceField(
        label=_("記載する任意項目（請求があったもののみ）"),
        choices=ITEMS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    requester = forms.CharField(label=_("請求者"), max_length=200, initial="本人")
    purpose = forms.CharField(label=_("使用目的"), max_length=200)
