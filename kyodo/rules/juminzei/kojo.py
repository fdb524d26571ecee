"""所得控除 of 住民税 (地方税法 第34条, 第314条の2) and the persons behind the 人的控除.

Who counts as what is decided here once, from the incomes and ages:

* the spouse is a 同一生計配偶者 when their 合計所得金額 is within ``haigusha.income_limit``
  (配偶者控除 while the taxpayer's own income allows it), else the 配偶者特別控除 table applies;
* a relative is a 扶養親族 within ``fuyo.income_limit``; from 16 they are 控除対象 (一般, 特定
  19–22, 老人 70+, 同居老親等 70+ and ``cohabiting_parent``); a relative of 19–22 above the limit
  may get 特定親族特別控除;
* 障害者控除 is for the taxpayer, a 同一生計配偶者 and each 扶養親族 (under-16s included).

The classification is returned as :class:`Persons` so that 調整控除 (kyodo.rules.juminzei.chosei)
can price the same persons with its own 人的控除額の差 table.
"""

from __future__ import annotations

from dataclasses import dataclass

from kyodo.rules.juminzei.household import Household, LifeInsurance
from kyodo.rules.juminzei.income import describe
from kyodo.rules.lawdata import Band
from kyodo.rules.steps import Trail, yen
from kyodo.rules.yen import ceil_yen, floor_yen, has_fraction

__all__ = ["Deductions", "Persons", "compute_deductions"]

DISABILITY_NAMES = {
    "general": "障害者",
    "special": "特別障害者",
    "special_cohabiting": "同居特別障害者",
}
FUYO_NAMES = {
    "ippan": "一般の控除対象扶養親族",
    "tokutei": "特定扶養親族",
    "rojin": "老人扶養親族",
    "dokyo_roshin": "同居老親等",
}


@dataclass(frozen=True)
class Persons:
    """The 人的控除 that applied, as 調整控除 needs them."""

    column: int  # the taxpayer's income column of the spouse tables (3 = none)
    spouse: str | None  # "general" | "elderly" (配偶者控除), "tokubetsu" (配偶者特別控除), None
    spouse_income: int
    fuyo: tuple[str, ...]  # one class per 控除対象扶養親族
    tokutei_shinzoku: int  # how many got 特定親族特別控除
    disabilities: tuple[str, ...]  # one class per person given 障害者控除
    kafu: bool
    hitorioya: bool
    kinro_gakusei: bool


@dataclass(frozen=True)
class Deductions:
    total: int
    persons: Persons


def _life_insurance(trail: Trail, li: LifeInsurance) -> int:
    r = trail.reader

    def by_table(figure_id: str, paid: int) -> tuple[int, str, list[str | Band]]:
        band = r.band(figure_id, paid)
        exact = band.linear(paid)
        figures: list[str | Band] = [band]
        if has_fraction(exact):
            figures.append("seimei_hoken.rounding")
            mode = r.text("seimei_hoken.rounding")
            return (
                (ceil_yen(exact) if mode == "ceil" else floor_yen(exact)),
                describe(band, paid),
                figures,
            )
        return int(exact), describe(band, paid), figures

    def category(item: str, step_id: str, old: int, new: int) -> int:
        if old == 0 and new == 0:
            return trail.add(item, step_id, 0, "支払保険料なし")
        if new == 0:
            value, text, figures = by_table("seimei_hoken.old", old)
            return trail.add(item, step_id, value, f"旧契約 seimei_hoken.old: {text}", figures)
        if old == 0:
            value, text, figures = by_table("seimei_hoken.new", new)
            return trail.add(item, step_id, value, f"新契約 seimei_hoken.new: {text}", figures)
        old_only, old_text, old_figures = by_table("seimei_hoken.old", old)
        new_part, new_text, new_figures = by_table("seimei_hoken.new", new)
        cap = r.yen("seimei_hoken.mixed_cap")
        both = min(old_only + new_part, cap)
        value = max(old_only, both)
        basis = (
            f"新旧両方: max(旧のみ {yen(old_only)} [{old_text}], min(旧 {yen(old_only)} + 新 "
            f"{yen(new_part)} [{new_text}], seimei_hoken.mixed_cap {yen(cap)}))"
        )
        figures = [*old_figures, *new_figures, "seimei_hoken.mixed_cap"]
        return trail.add(item, step_id, value, basis, figures)

    general = category(
        "生命保険料控除（一般）", "kojo.seimei_hoken.ippan", li.old_general, li.new_general
    )
    pension = category(
        "生命保険料控除（個人年金）", "kojo.seimei_hoken.nenkin", li.old_pension, li.new_pension
    )
    care = category(
        "生命保険料控除（介護医療）", "kojo.seimei_hoken.kaigo_iryo", 0, li.care_medical
    )
    subtotal = general + pension + care
    if subtotal == 0:
        return trail.add("生命保険料控除", "kojo.seimei_hoken", 0, "支払保険料なし")
    cap = r.yen("seimei_hoken.total_cap")
    return trail.add(
        "生命保険料控除",
        "kojo.seimei_hoken",
        min(subtotal, cap),
        f"{yen(general)} + {yen(pension)} + {yen(care)}（上限 seimei_hoken.total_cap {yen(cap)}）",
        ["seimei_hoken.total_cap"],
    )


def _disability(trail: Trail, who: str, step_id: str, kind: str | None, found: list[str]) -> int:
    item = f"障害者控除（{who}）"
    if kind is None:
        return 0
    amount = int(trail.reader.table("shogaisha_kojo")[kind])
    found.append(kind)
    return trail.add(
        item, step_id, amount, f"shogaisha_kojo: {DISABILITY_NAMES[kind]}", ["shogaisha_kojo"]
    )


def _spouse(trail: Trail, hh: Household, gokei: int) -> tuple[int, str | None, int, int]:
    """配偶者控除 or 配偶者特別控除: (amount, kind, column, spouse income)."""
    r = trail.reader
    spouse = hh.spouse
    if spouse is None:
        trail.add("配偶者控除・配偶者特別控除", "kojo.haigusha", 0, "配偶者なし")
        return 0, None, 3, 0
    band = r.band("haigusha.taxpayer_column", gokei)
    column = int(band.number("column"))
    where = f"納税義務者の合計所得 {yen(gokei)} → 列{column}（haigusha.taxpayer_column）"
    limit = r.yen("haigusha.income_limit")
    if spouse.income <= limit:
        elderly = spouse.age >= r.years("haigusha.elderly_age")
        kind = "elderly" if elderly else "general"
        amount = int(r.table("haigusha_kojo")[kind][column])
        name = "老人控除対象配偶者" if elderly else "一般の控除対象配偶者"
        basis = (
            f"haigusha_kojo: {name}（配偶者の合計所得 {yen(spouse.income)} ≤ {yen(limit)}、"
            f"{spouse.age}歳）、{where}"
        )
        figures: list[str | Band] = [
            "haigusha_kojo",
            "haigusha.income_limit",
            "haigusha.elderly_age",
            band,
        ]
        trail.add("配偶者控除", "kojo.haigusha", amount, basis, figures)
        return amount, (kind if amount else None), column, spouse.income
    row = r.band("haigusha_tokubetsu_kojo", spouse.income)
    amount = int(row.values["amounts"][column])
    basis = (
        f"haigusha_tokubetsu_kojo: 配偶者の合計所得 {yen(spouse.income)}"
        f"（{yen(row.min)}〜{'' if row.max is None else yen(row.max)}）、{where}"
    )
    trail.add("配偶者特別控除", "kojo.haigusha_tokubetsu", amount, basis, [row, band])
    return amount, ("tokubetsu" if amount else None), column, spouse.income


def _disabilities(trail: Trail, hh: Household, found: list[str]) -> int:
    """障害者控除: the taxpayer, a 同一生計配偶者 and every 扶養親族."""
    r = trail.reader
    total = _disability(trail, "本人", "kojo.shogaisha.taxpayer", hh.taxpayer.disability, found)
    spouse = hh.spouse
    if spouse and spouse.income <= r.yen("haigusha.income_limit"):
        total += _disability(trail, "配偶者", "kojo.shogaisha.spouse", spouse.disability, found)
    if hh.dependents:
        limit = r.yen("fuyo.income_limit")
        for d in hh.dependents:
            if d.income <= limit:
                total += _disability(trail, d.path, f"kojo.shogaisha.{d.path}", d.disability, found)
    return total


def _income_limited(
    trail: Trail, item: str, step_id: str, figures: tuple[str, str], gokei: int
) -> int:
    """A deduction the input claims and the law limits by 合計所得金額 (寡婦, ひとり親, 勤労学生):
    ``figures`` are the ids of the amount and of the limit."""
    r = trail.reader
    figure, limit_figure = figures
    limit = r.yen(limit_figure)
    if gokei <= limit:
        amount, basis = r.yen(figure), f"{figure}（合計所得 {yen(gokei)} ≤ {yen(limit)}）"
    else:
        amount = 0
        basis = f"合計所得 {yen(gokei)} > {yen(limit)}（{limit_figure}）のため適用なし"
    return trail.add(item, step_id, amount, basis, figures)


def _relatives(trail: Trail, hh: Household) -> tuple[int, list[str], int]:
    """扶養控除 and 特定親族特別控除, one step per relative.

    Returns (total, the class of each 控除対象扶養親族, how many got 特定親族特別控除)."""
    if not hh.dependents:
        return 0, [], 0
    r = trail.reader
    limit = r.yen("fuyo.income_limit")
    ages, amounts = r.table("fuyo.ages"), r.table("fuyo_kojo")
    tokutei_ages = r.peek("tokutei_shinzoku.ages").value
    total, classes, tokutei = 0, [], 0
    for d in hh.dependents:
        step_id = f"kojo.fuyo.{d.path}"
        if d.income <= limit and d.age < ages["kojo_from"]:
            trail.add(
                "扶養控除",
                step_id,
                0,
                f"{d.age}歳: {ages['kojo_from']}歳未満の扶養親族"
                "（控除なし、非課税限度額の人数には含む）",
                ["fuyo.ages"],
            )
        elif d.income <= limit:
            if ages["tokutei_from"] <= d.age <= ages["tokutei_to"]:
                kind = "tokutei"
            elif d.age >= ages["rojin_from"]:
                kind = "dokyo_roshin" if d.cohabiting_parent else "rojin"
            else:
                kind = "ippan"
            classes.append(kind)
            total += trail.add(
                "扶養控除",
                step_id,
                int(amounts[kind]),
                f"fuyo_kojo: {FUYO_NAMES[kind]}（{d.age}歳、合計所得 {yen(d.income)} ≤ "
                f"{yen(limit)}）",
                ["fuyo_kojo", "fuyo.ages", "fuyo.income_limit"],
            )
        elif tokutei_ages["from"] <= d.age <= tokutei_ages["to"]:
            r.record("tokutei_shinzoku.ages")
            row = r.band("tokutei_shinzoku_tokubetsu_kojo", d.income)
            amount = trail.add(
                "特定親族特別控除",
                f"kojo.tokutei_shinzoku.{d.path}",
                int(row.number("amount")),
                f"tokutei_shinzoku_tokubetsu_kojo: {d.age}歳、合計所得 {yen(d.income)}",
                [row, "tokutei_shinzoku.ages"],
            )
            total += amount
            tokutei += amount > 0
        else:
            trail.add(
                "扶養控除",
                step_id,
                0,
                f"合計所得 {yen(d.income)} > {yen(limit)}（fuyo.income_limit）: "
                "扶養親族に該当しない",
                ["fuyo.income_limit"],
            )
    return total, classes, tokutei


def compute_deductions(trail: Trail, hh: Household, gokei: int) -> Deductions:
    r = trail.reader
    tp = hh.taxpayer
    total = trail.add(
        "社会保険料控除",
        "kojo.shakai_hoken",
        tp.social_insurance,
        "支払った社会保険料の全額（taxpayer.social_insurance）",
    )
    if tp.small_business_mutual_aid:
        total += trail.add(
            "小規模企業共済等掛金控除",
            "kojo.shokibo_kyosai",
            tp.small_business_mutual_aid,
            "掛金の全額（taxpayer.small_business_mutual_aid）",
        )
    total += _life_insurance(trail, tp.life_insurance)
    disabilities: list[str] = []
    total += _disabilities(trail, hh, disabilities)

    # 寡婦・ひとり親・勤労学生: the input states the status; the income limits are law data.
    kafu = hitorioya = kinro = False
    limit = "kafu_hitorioya.income_limit"
    if tp.single_parent:
        amount = _income_limited(
            trail, "ひとり親控除", "kojo.hitorioya", ("hitorioya_kojo", limit), gokei
        )
        hitorioya, total = amount > 0, total + amount
    elif tp.widow:
        amount = _income_limited(trail, "寡婦控除", "kojo.kafu", ("kafu_kojo", limit), gokei)
        kafu, total = amount > 0, total + amount
    if tp.working_student:
        figures = ("kinro_gakusei_kojo", "kinro_gakusei.income_limit")
        amount = _income_limited(trail, "勤労学生控除", "kojo.kinro_gakusei", figures, gokei)
        kinro, total = amount > 0, total + amount

    spouse_amount, spouse_kind, column, spouse_income = _spouse(trail, hh, gokei)
    relatives, fuyo, tokutei = _relatives(trail, hh)
    kiso = r.band("kiso_kojo", gokei)
    total += spouse_amount + relatives
    total += trail.add(
        "基礎控除",
        "kojo.kiso",
        int(kiso.number("amount")),
        f"kiso_kojo: 合計所得 {yen(gokei)}",
        [kiso],
    )
    total = trail.add("所得控除の合計", "kojo.gokei", total, "上記の控除の合計")
    persons = Persons(
        column=column,
        spouse=spouse_kind,
        spouse_income=spouse_income,
        fuyo=tuple(fuyo),
        tokutei_shinzoku=tokutei,
        disabilities=tuple(disabilities),
        kafu=kafu,
        hitorioya=hitorioya,
        kinro_gakusei=kinro,
    )
    return Deductions(total, persons)
