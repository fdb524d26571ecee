"""One taxpayer's 個人住民税 assessment: 課税資料 → the calculator's input → the pure
calculator (kyodo.rules.juminzei) → how it is collected and in which installments.

Rules applied here (beyond the calculator):

* Ages are taken on 31 December of the income year (地方税法 第314条の2 etc.), by the
  年齢計算ニ関スル法律 (kyodo.rules.age); 年金特別徴収 asks for 65 on 1 April of the 年度.
* Incomes are summed over every payer; a 申告書 (住民税申告) replaces the items it states
  (the taxpayer's own statement prevails over the payers' reports, 地方税法 第317条の2).
* 給与特別徴収 (第321条の3): when any 給与支払報告書 has no 普通徴収切替理由, the tax other
  than the pension share goes to the employer who paid the most.
* 年金特別徴収 (第321条の7の2): a taxpayer 65 or older on 1 April with 公的年金等 of 18万 or more
  has the 所得割 on pension income collected from the pension — the share of 所得割 in the
  proportion of 公的年金等に係る雑所得 to 総所得金額等, truncated to 100 yen (an approximation
  of the statute's 「公的年金等に係る所得に係る所得割額」, said in the result); 均等割 and
  森林環境税 go with it only when there is no 給与特別徴収.
* What is left is 普通徴収 over the municipality's 納期 (tenant parameter ``futsu_noki``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kyodo.rules import juminzei
from kyodo.rules.age import age_on
from kyodo.rules.choshu import (
    Installment,
    futsu_installments,
    kyuyo_tokucho_monthly,
    nenkin_tokucho,
)
from kyodo.units.zei_kojin.models import Choshu, KazeiShiryo, ShiryoKind

NENKIN_TOKUCHO_AGE = 65
NENKIN_TOKUCHO_MINIMUM = 180_000  # 老齢等年金給付の年額 18万円以上 (第321条の7の2第1項)
APPROXIMATION = (
    "年金特別徴収税額は、所得割額を総所得金額等に占める公的年金等に係る雑所得の割合で按分"
    "（100円未満切捨て）して求めています。"
)

# Plain strs: compared and used as keys for each of a batch's million taxpayers.
_KYUYO = ShiryoKind.KYUYO.value
_NENKIN = ShiryoKind.NENKIN.value
_SHINKOKU = ShiryoKind.SHINKOKU.value
_KYUYO_TOKUCHO = Choshu.KYUYO_TOKUCHO.value
_FUTSU = Choshu.FUTSU.value
_NENKIN_TOKUCHO = Choshu.NENKIN_TOKUCHO.value


@dataclass(frozen=True)
class Assessment:
    calc_input: dict[str, Any]
    result: dict[str, Any]
    choshu: dict[str, int]
    installments: list[Installment]
    tokucho_payer_no: str
    notes: list[str]


def _year_end(fiscal_year: int) -> dt.date:
    return dt.date(fiscal_year - 1, 12, 31)


@lru_cache(maxsize=1 << 16)
def _age_of(birth_date: str, on: dt.date) -> int:
    # Cached on the ISO text: a batch meets the same few thousand birth dates again and again.
    return age_on(dt.date.fromisoformat(birth_date), on)


def _relative(raw: dict[str, Any], fiscal_year: int) -> dict[str, Any]:
    relative = {
        "age": _age_of(raw["birth_date"], _year_end(fiscal_year)),
        "income": raw.get("income", 0),
    }
    if raw.get("cohabiting"):
        relative["cohabiting_parent"] = True
    return relative


_LIFE_INSURANCE = ("old_general", "old_pension", "new_general", "new_pension", "care_medical")


def build_input(
    *,
    fiscal_year: int,
    birth_date: dt.date,
    materials: Sequence[KazeiShiryo],
    municipality: dict[str, Any],
) -> dict[str, Any]:
    """The calculator's input for one taxpayer from their 課税資料."""
    kyuyo = []
    nenkin = []
    shinkoku = []
    for m in materials:  # one pass: a batch builds a million of these
        if m.kind == _KYUYO:
            kyuyo.append(m)
        elif m.kind == _NENKIN:
            nenkin.append(m)
        elif m.kind == _SHINKOKU:
            shinkoku.append(m)
    main = max(kyuyo, key=lambda m: m.data.get("salary_income", 0), default=None)
    main_data: dict[str, Any] = main.data if main is not None else {}
    taxpayer: dict[str, Any] = {
        "age": age_on(birth_date, _year_end(fiscal_year)),
        "salary_income": sum([m.data.get("salary_income", 0) for m in kyuyo]),
        "pension_income": sum([m.data.get("pension_income", 0) for m in nenkin]),
        "other_income": 0,
        "social_insurance": sum([m.data.get("social_insurance", 0) for m in kyuyo + nenkin]),
        "life_insurance": {key: main_data.get(key, 0) for key in _LIFE_INSURANCE},
        "widow": main_data.get("widow", False),
        "single_parent": main_data.get("single_parent", False),
        "disability": main_data.get("disability"),
        "working_student": main_data.get("working_student", False),
    }
    spouse = None
    if main_data.get("spouse_birth_date"):
        spouse = _relative(
            {
                "birth_date": main_data["spouse_birth_date"],
                "income": main_data.get("spouse_income", 0),
            },
            fiscal_year,
        )
    dependents = [_relative(d, fiscal_year) for d in main_data.get("dependents", [])]
    # The latest 申告書 prevails for what it states.
    for statement in sorted(shinkoku, key=lambda m: m.pk or 0):
        stated = statement.data
        taxpayer.update({k: v for k, v in stated.get("taxpayer", {}).items() if k != "age"})
        if "spouse" in stated:
            spouse = _relative(stated["spouse"], fiscal_year) if stated["spouse"] else None
        if "dependents" in stated:
            dependents = [_relative(d, fiscal_year) for d in stated["dependents"]]
    return {
        "fiscal_year": fiscal_year,
        "municipality": municipality,
        "taxpayer": taxpayer,
        "spouse": spouse,
        "dependents": dependents,
    }


def _step(result: dict[str, Any], step_id: str) -> int:
    return next((int(s["value"]) for s in result["steps"] if s["id"] == step_id), 0)


@dataclass(frozen=True)
class Collection:
    choshu: dict[str, int]
    installments: list[Installment]
    tokucho_payer_no: str
    notes: list[str]


def plan_collection(
    *,
    fiscal_year: int,
    birth_date: dt.date,
    materials: Sequence[KazeiShiryo],
    pension_income: int,
    total: int,
    shotokuwari: int,
    so_shotoku: int,
    nenkin_shotoku: int,
    futsu_noki: Sequence[str],
    previous_nenkin: int | None,
) -> Collection:
    """How the tax is collected and in which installments (the same for the scalar and the
    vectorised batch: both hand the amounts here)."""
    fixed = total - shotokuwari  # 均等割 and 森林環境税
    notes: list[str] = []
    payer = None  # the 給与特別徴収 payer: the one, not switched to 普通徴収, who paid the most
    for m in materials:
        if (
            m.kind == _KYUYO
            and not m.futsu_reason
            and (
                payer is None or m.data.get("salary_income", 0) > payer.data.get("salary_income", 0)
            )
        ):
            payer = m
    nenkin_part = 0
    if (
        pension_income >= NENKIN_TOKUCHO_MINIMUM
        and total > 0
        and age_on(birth_date, dt.date(fiscal_year, 4, 1)) >= NENKIN_TOKUCHO_AGE
    ):
        if so_shotoku and nenkin_shotoku:
            nenkin_part = shotokuwari * nenkin_shotoku // so_shotoku // 100 * 100
            notes.append(APPROXIMATION)
        if payer is None:
            nenkin_part += fixed
    rest = total - nenkin_part
    kyuyo_part = rest if payer is not None else 0
    futsu_part = rest - kyuyo_part
    choshu = {_KYUYO_TOKUCHO: kyuyo_part, _FUTSU: futsu_part, _NENKIN_TOKUCHO: nenkin_part}
    installments: list[Installment] = []
    if kyuyo_part:
        installments += kyuyo_tokucho_monthly(kyuyo_part, fiscal_year=fiscal_year)
    if futsu_part:
        installments += futsu_installments(futsu_part, fiscal_year=fiscal_year, noki=futsu_noki)
    if nenkin_part:
        installments += nenkin_tokucho(
            nenkin_part, fiscal_year=fiscal_year, previous_annual=previous_nenkin
        )
    return Collection(choshu, installments, payer.payer_no if payer is not None else "", notes)


def assess(
    *,
    fiscal_year: int,
    birth_date: dt.date,
    materials: Sequence[KazeiShiryo],
    municipality: dict[str, Any],
    futsu_noki: Sequence[str],
    previous_nenkin: int | None,
) -> Assessment:
    """The whole assessment of one taxpayer (pure apart from reading its arguments)."""
    calc_input = build_input(
        fiscal_year=fiscal_year,
        birth_date=birth_date,
        materials=materials,
        municipality=municipality,
    )
    result = juminzei.calculate(calc_input)
    plan = plan_collection(
        fiscal_year=fiscal_year,
        birth_date=birth_date,
        materials=materials,
        pension_income=calc_input["taxpayer"]["pension_income"],
        total=int(result["total"]),
        shotokuwari=int(result["city"]["shotokuwari"]) + int(result["pref"]["shotokuwari"]),
        so_shotoku=_step(result, "so_shotoku"),
        nenkin_shotoku=_step(result, "nenkin_zatsu_shotoku"),
        futsu_noki=futsu_noki,
        previous_nenkin=previous_nenkin,
    )
    return Assessment(
        calc_input=calc_input,
        result=result,
        choshu=plan.choshu,
        installments=plan.installments,
        tokucho_payer_no=plan.tokucho_payer_no,
        notes=plan.notes,
    )
