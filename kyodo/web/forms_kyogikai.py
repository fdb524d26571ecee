"""Forms of the secretariat (事務局) screens: units, formulas, periods, the what-if."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kyodo.kyogikai.billing import check_formula, parse_unit_weights
from kyodo.kyogikai.members import UnitTerm
from kyodo.kyogikai.models import BillingPeriod, Formula, Member
from kyodo.platform.accounts.units import BUSINESS_UNITS
from kyodo.platform.errors import ValidationFailed

YEAR = {"min_value": 1989, "max_value": 2200}


class UnitsForm(forms.Form):
    """別表: one row per business unit — runs it?, from which fiscal year, until which."""

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = {u.unit: u for u in member.units.all()}
        for code, name in BUSINESS_UNITS.items():
            unit = current.get(code)
            self.fields[f"{code}__on"] = forms.BooleanField(
                label=name, required=False, initial=unit is not None
            )
            self.fields[f"{code}__start"] = forms.IntegerField(
                label=_("運用開始年度"), required=False, initial=unit and unit.start_fy, **YEAR
            )
            self.fields[f"{code}__end"] = forms.IntegerField(
                label=_("運用終了年度"), required=False, initial=unit and unit.end_fy, **YEAR
            )

    def rows(self) -> list[tuple[str, Any, Any, Any]]:
        return [
            (name, self[f"{code}__on"], self[f"{code}__start"], self[f"{code}__end"])
            for code, name in BUSINESS_UNITS.items()
        ]

    def terms(self) -> list[UnitTerm]:
        data = self.cleaned_data
        terms = []
        for code in BUSINESS_UNITS:
            if not data.get(f"{code}__on"):
                continue
            start = data.get(f"{code}__start")
            if start is None:
                self.add_error(f"{code}__start", _("運用開始年度を入力してください。"))
                continue
            terms.append(UnitTerm(code, start, data.get(f"{code}__end")))
        return terms


class FormulaForm(forms.ModelForm):  # type: ignore[type-arg]
    weights = forms.CharField(
        label=_("業務の重み"),
        required=False,
        help_text=_("例: juki=3, zei_kojin=2（書かない業務の重みは1）"),
    )

    class Meta:
        model = Formula
        fields = [
            "name",
            "equal_ratio",
            "population_ratio",
            "units_ratio",
            "min_saving",
            "guarantee_covers_one_off",
        ]

    def clean_weights(self) -> dict[str, str]:
        try:
            return parse_unit_weights(self.cleaned_data["weights"])
        except ValidationFailed as error:
            raise forms.ValidationError(error.reason) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("equal_ratio", "population_ratio", "units_ratio", "min_saving"):
            value = data.get(name)
            if value is not None and not 0 <= value <= 1:
                self.add_error(name, _("0以上1以下で入力してください。"))
        if not self.errors:
            try:
                check_formula(Formula(**{k: data.get(k) or 0 for k in (
                    "equal_ratio", "population_ratio", "units_ratio")}))  # fmt: skip
            except ValidationFailed as error:
                self.add_error("equal_ratio", error.reason)
        return data


class PeriodForm(forms.ModelForm):  # type: ignore[type-arg]
    one_off_json = forms.CharField(
        label=_("一時経費（JSON）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('例: [{"name": "移行費", "amount": 20000000, "key": "population"}]'),
    )

    class Meta:
        model = BillingPeriod
        fields = ["label", "start", "end", "total", "formula"]
        widgets = {"start": forms.DateInput(attrs={"type": "date"}),
                   "end": forms.DateInput(attrs={"type": "date"})}  # fmt: skip

    def __init__(self, *args: Any, consortium_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["formula"].queryset = Formula.objects.filter(consortium_id=consortium_id)

    def clean_one_off_json(self) -> list[Any]:
        text = self.cleaned_data["one_off_json"].strip() or "[]"
        try:
            value = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("JSONとして読めません（%(line)s行 %(col)s列: %(msg)s）")
                % {"line": error.lineno, "col": error.colno, "msg": error.msg}
            ) from None
        if not isinstance(value, list):
            raise forms.ValidationError(_("配列で入力してください。"))
        return value


class WhatIfForm(forms.Form):
    period = forms.ModelChoiceField(label=_("請求期間"), queryset=BillingPeriod.objects.none())
    first = forms.ModelChoiceField(label=_("負担割合A"), queryset=Formula.objects.none())
    second = forms.ModelChoiceField(label=_("負担割合B"), queryset=Formula.objects.none())

    def __init__(self, *args: Any, consortium_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        formulas = Formula.objects.filter(consortium_id=consortium_id).order_by("name")
        self.fields["period"].queryset = BillingPeriod.objects.filter(  # type: ignore[attr-defined]
            consortium_id=consortium_id
        )
        self.fields["first"].queryset = formulas  # type: ignore[attr-defined]
        self.fields["second"].queryset = formulas  # type: ignore[attr-defined]
