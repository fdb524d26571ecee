"""調整控除 (地方税法 第37条, 第314条の6): the credit that evens out the gap between the
人的控除 of 所得税 and of 住民税.

A = the sum of the statutory 人的控除額の差 of the persons found in :mod:`.kojo`;
T = 合計課税所得金額.
T ≤ 200万: 5% × min(A, T); above: 5% × max(A − (T − 200万), 5万); nothing when 合計所得金額 is
over 2,500万. The 5% is split 3% 市町村 / 2% 道府県, or 4% / 1% in a 指定都市.
"""

from __future__ import annotations

from dataclasses import dataclass

from kyodo.rules.juminzei.household import Household
from kyodo.rules.juminzei.kojo import DISABILITY_NAMES, FUYO_NAMES, Persons
from kyodo.rules.steps import Trail, percent, yen
from kyodo.rules.yen import floor_yen

__all__ = ["Chosei", "compute_chosei"]


ASSUMED_MOTHER = (
    "taxpayer.sex の指定がないため、ひとり親の人的控除額の差は母（5万円）として計算した"
)


@dataclass(frozen=True)
class Chosei:
    city: int
    pref: int
    assumptions: tuple[str, ...] = ()


def _sa(trail: Trail, hh: Household, persons: Persons, assumptions: list[str]) -> int:
    """The sum of the 人的控除額の差 (A)."""
    r = trail.reader
    table = r.table("chosei_kojo.sa")
    parts = [("基礎控除", int(table["kiso"]))]
    figures: list[str] = ["chosei_kojo.sa"]
    if persons.spouse in ("general", "elderly"):
        amount = int(r.table("chosei_kojo.sa_haigusha")[persons.spouse][persons.column])
        parts.append(("配偶者控除", amount))
        figures.append("chosei_kojo.sa_haigusha")
    elif persons.spouse == "tokubetsu":
        row = r.band("chosei_kojo.sa_haigusha_tokubetsu", persons.spouse_income)
        parts.append(("配偶者特別控除", int(row.values["amounts"][persons.column])))
        figures.append("chosei_kojo.sa_haigusha_tokubetsu")
    for kind in persons.fuyo:
        parts.append((f"扶養控除（{FUYO_NAMES[kind]}）", int(table[f"fuyo_{kind}"])))
    if persons.tokutei_shinzoku:
        each = r.yen("chosei_kojo.sa_tokutei_shinzoku")
        parts.append(("特定親族特別控除", each * persons.tokutei_shinzoku))
        figures.append("chosei_kojo.sa_tokutei_shinzoku")
    for kind in persons.disabilities:
        parts.append((f"障害者控除（{DISABILITY_NAMES[kind]}）", int(table[f"shogai_{kind}"])))
    if persons.kafu:
        parts.append(("寡婦控除", int(table["kafu"])))
    if persons.hitorioya:
        # The 差 of ひとり親 depends on whether the parent is the mother or the father.
        father = hh.taxpayer.sex == "M"
        if hh.taxpayer.sex is None:
            assumptions.append(ASSUMED_MOTHER)
        parts.append(
            (
                "ひとり親控除（父）" if father else "ひとり親控除（母）",
                int(table["hitorioya_father" if father else "hitorioya_mother"]),
            )
        )
    if persons.kinro_gakusei:
        parts.append(("勤労学生控除", int(table["kinro_gakusei"])))
    total = sum(amount for _, amount in parts)
    basis = " + ".join(f"{name} {yen(amount)}" for name, amount in parts)
    return trail.add("人的控除額の差の合計", "chosei_kojo.jinteki_kojo_sa", total, basis, figures)


def compute_chosei(
    trail: Trail, hh: Household, persons: Persons, gokei: int, taxable: int
) -> Chosei:
    r = trail.reader
    limits = r.table("chosei_kojo.limits")
    if gokei > limits["income_limit"]:
        trail.add(
            "調整控除（市町村民税）",
            "city.chosei_kojo",
            0,
            f"合計所得 {yen(gokei)} > {yen(limits['income_limit'])}: 調整控除なし",
            ["chosei_kojo.limits"],
        )
        trail.add("調整控除（道府県民税）", "pref.chosei_kojo", 0, "同上", ["chosei_kojo.limits"])
        return Chosei(0, 0)
    assumptions: list[str] = []
    a = _sa(trail, hh, persons, assumptions)
    threshold, minimum = limits["threshold"], limits["minimum_base"]
    if taxable <= threshold:
        base = min(a, taxable)
        text = (
            f"合計課税所得 {yen(taxable)} ≤ {yen(threshold)}: "
            f"min(人的控除額の差 {yen(a)}, {yen(taxable)})"
        )
    else:
        base = max(a - (taxable - threshold), minimum)
        text = (
            f"合計課税所得 {yen(taxable)} > {yen(threshold)}: max({yen(a)} − ({yen(taxable)} − "
            f"{yen(threshold)}), {yen(minimum)})"
        )
    trail.add("調整控除の基準額", "chosei_kojo.kijun", base, text, ["chosei_kojo.limits"])
    rates = r.table("chosei_kojo.rates")
    suffix = "_designated" if hh.municipality.designated_city else ""
    city_rate, pref_rate = rates[f"city{suffix}"], rates[f"pref{suffix}"]
    note = "（指定都市）" if suffix else ""
    # With whole-percent rates and a base in thousands of yen the credits are whole yen; a
    # fraction (only possible with other figures) is dropped before the 100-yen truncation.
    city = trail.add(
        "調整控除（市町村民税）",
        "city.chosei_kojo",
        floor_yen(base * city_rate),
        f"{yen(base)} × {percent(city_rate)}{note}（chosei_kojo.rates）",
        ["chosei_kojo.rates"],
    )
    pref = trail.add(
        "調整控除（道府県民税）",
        "pref.chosei_kojo",
        floor_yen(base * pref_rate),
        f"{yen(base)} × {percent(pref_rate)}{note}（chosei_kojo.rates）",
        ["chosei_kojo.rates"],
    )
    return Chosei(city, pref, tuple(assumptions))
