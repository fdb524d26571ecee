"""個人住民税: the whole calculation for one taxpayer, in the order of rules.md §1.7.

1. 所得 by type and 合計所得金額 (:mod:`.income`);
2. 非課税 (:mod:`.hikazei`): when 所得割 is not levied, no deduction is computed;
3. 所得控除 (:mod:`.kojo`), 課税総所得金額 truncated to 1,000 yen;
4. × the municipality's 市町村民税 and 道府県民税 rates;
5. − 調整控除 (:mod:`.chosei`), capped just above the 所得割 非課税限度額;
6. each 所得割 truncated to 100 yen, separately for 市町村 and 道府県;
7. + 均等割 and 森林環境税.

Not covered: 税額控除 other than 調整控除 (住宅ローン, 寄附金, 配当), 分離課税 income, losses
and 繰越控除, 医療費・雑損・地震保険料控除.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from kyodo.rules import lawdata
from kyodo.rules.inputs import InputError, Problem
from kyodo.rules.juminzei.chosei import compute_chosei
from kyodo.rules.juminzei.hikazei import Hikazei, judge
from kyodo.rules.juminzei.household import Household, nendo, parse
from kyodo.rules.juminzei.income import Income, compute_income
from kyodo.rules.juminzei.kojo import compute_deductions
from kyodo.rules.steps import Trail, percent, yen
from kyodo.rules.yen import floor_to, floor_yen

__all__ = ["REQUIRED_FIGURES", "TOPIC", "calculate", "calculate_household"]

TOPIC = "juminzei"

# Every figure the calculation may read. A year's file lacking one is refused up front, so a new
# fiscal year cannot fail half-way through a household (tests load every shipped year).
REQUIRED_FIGURES = (
    "rounding.kazei_hyojun",
    "rounding.zeigaku",
    "kyuyo_shotoku",
    "nenkin.elderly_age",
    "nenkin.zatsu_shotoku.elderly",
    "nenkin.zatsu_shotoku.younger",
    "nenkin.other_income_adjustment",
    "shotoku_chosei.kodomo",
    "shotoku_chosei.kodomo_rounding",
    "shotoku_chosei.nenkin",
    "hikazei.shogaisha_etc_income_limit",
    "hikazei.minor_age",
    "hikazei.kintouwari",
    "hikazei.shotokuwari",
    "hikazei.shotokuwari_cap",
    "kiso_kojo",
    "haigusha.income_limit",
    "haigusha.elderly_age",
    "haigusha.taxpayer_column",
    "haigusha_kojo",
    "haigusha_tokubetsu_kojo",
    "fuyo.income_limit",
    "fuyo.ages",
    "fuyo_kojo",
    "tokutei_shinzoku.ages",
    "tokutei_shinzoku_tokubetsu_kojo",
    "shogaisha_kojo",
    "kafu_kojo",
    "hitorioya_kojo",
    "kafu_hitorioya.income_limit",
    "kinro_gakusei_kojo",
    "kinro_gakusei.income_limit",
    "seimei_hoken.old",
    "seimei_hoken.new",
    "seimei_hoken.mixed_cap",
    "seimei_hoken.total_cap",
    "seimei_hoken.rounding",
    "chosei_kojo.rates",
    "chosei_kojo.limits",
    "chosei_kojo.sa",
    "chosei_kojo.sa_haigusha",
    "chosei_kojo.sa_haigusha_tokubetsu",
    "chosei_kojo.sa_tokutei_shinzoku",
    "forest_env_tax",
)


def _law(fiscal_year: int) -> lawdata.LawData:
    try:
        law = lawdata.load(TOPIC, fiscal_year)
    except lawdata.UnknownPeriod as missing:
        years = "、".join(nendo(y) for y in missing.available) or "なし"
        raise InputError(
            [
                Problem(
                    "fiscal_year",
                    f"{nendo(fiscal_year)}の個人住民税の法令データがありません"
                    f"（利用できる年度: {years}）",
                )
            ]
        ) from None
    law.require(REQUIRED_FIGURES)
    return law


def _shotokuwari(
    trail: Trail, hh: Household, income: Income, hikazei: Hikazei
) -> tuple[int, int, tuple[str, ...]]:
    """(市町村民税 所得割, 道府県民税 所得割, assumptions made)."""
    r = trail.reader
    muni = hh.municipality
    if hikazei.shotokuwari:
        trail.add("市町村民税 所得割額", "city.shotokuwari", 0, f"非課税: {hikazei.reason}")
        trail.add("道府県民税 所得割額", "pref.shotokuwari", 0, f"非課税: {hikazei.reason}")
        return 0, 0, ()

    deductions = compute_deductions(trail, hh, income.gokei)
    before = trail.add(
        "課税総所得金額（端数処理前）",
        "kazei_shotoku.before",
        max(0, income.so_shotoku - deductions.total),
        f"総所得金額等 {yen(income.so_shotoku)} − 所得控除 {yen(deductions.total)}（0未満は0）",
    )
    unit = r.yen("rounding.kazei_hyojun")
    taxable = trail.add(
        "課税総所得金額（課税標準）",
        "kazei_shotoku",
        floor_to(before, unit),
        f"{yen(unit)}円未満切捨て（rounding.kazei_hyojun）",
        ["rounding.kazei_hyojun"],
    )
    city_exact = Decimal(taxable) * muni.city_rate
    pref_exact = Decimal(taxable) * muni.pref_rate
    trail.add(
        "市町村民税 算出所得割額",
        "city.sanshutsu_shotokuwari",
        floor_yen(city_exact),
        f"{yen(taxable)} × {percent(muni.city_rate)}（municipality.city_rate）",
    )
    trail.add(
        "道府県民税 算出所得割額",
        "pref.sanshutsu_shotokuwari",
        floor_yen(pref_exact),
        f"{yen(taxable)} × {percent(muni.pref_rate)}（municipality.pref_rate）",
    )
    chosei = compute_chosei(trail, hh, deductions.persons, income.gokei, taxable)
    city_after = max(Decimal(0), city_exact - chosei.city)
    pref_after = max(Decimal(0), pref_exact - chosei.pref)

    # 附則第3条の3: just above the 所得割 非課税限度額, 所得割 may not exceed a share of the
    # excess. Read without recording; recorded only where it lowers the tax.
    cap_rule = r.peek("hikazei.shotokuwari_cap").value
    suffix = "_designated" if muni.designated_city else ""
    excess = income.so_shotoku - hikazei.shotokuwari_limit
    city_cap = Decimal(excess) * cap_rule[f"city{suffix}"]
    pref_cap = Decimal(excess) * cap_rule[f"pref{suffix}"]
    for name, side, after, cap in (
        ("市町村民税", "city", city_after, city_cap),
        ("道府県民税", "pref", pref_after, pref_cap),
    ):
        if after > cap:
            r.record("hikazei.shotokuwari_cap")
            trail.add(
                f"{name} 所得割の非課税限度額超過分による調整",
                f"{side}.shotokuwari_cap",
                floor_yen(cap),
                f"(総所得金額等 {yen(income.so_shotoku)} − 所得割の非課税限度額 "
                f"{yen(hikazei.shotokuwari_limit)}) × {percent(cap_rule[side + suffix])}"
                f" < 調整控除後の所得割 {yen(floor_yen(after))}",
                ["hikazei.shotokuwari_cap"],
            )
    city_after, pref_after = min(city_after, city_cap), min(pref_after, pref_cap)

    unit = r.yen("rounding.zeigaku")
    city = trail.add(
        "市町村民税 所得割額",
        "city.shotokuwari",
        floor_to(city_after, unit),
        f"{yen(floor_yen(city_after))} の{yen(unit)}円未満切捨て（rounding.zeigaku）",
        ["rounding.zeigaku"],
    )
    pref = trail.add(
        "道府県民税 所得割額",
        "pref.shotokuwari",
        floor_to(pref_after, unit),
        f"{yen(floor_yen(pref_after))} の{yen(unit)}円未満切捨て（rounding.zeigaku）",
        ["rounding.zeigaku"],
    )
    return city, pref, chosei.assumptions


def calculate_household(hh: Household) -> dict[str, Any]:
    law = _law(hh.fiscal_year)
    trail = Trail(lawdata.Reader(law))
    r = trail.reader
    income = compute_income(trail, hh)
    hikazei = judge(trail, hh, income)
    city_shotokuwari, pref_shotokuwari, assumptions = _shotokuwari(trail, hh, income, hikazei)

    muni = hh.municipality
    if hikazei.kintouwari:
        city_kin = trail.add(
            "市町村民税 均等割額", "city.kintouwari", 0, f"非課税: {hikazei.reason}"
        )
        pref_kin = trail.add(
            "道府県民税 均等割額", "pref.kintouwari", 0, f"非課税: {hikazei.reason}"
        )
        forest = trail.add("森林環境税", "forest_env_tax", 0, "均等割が非課税のため課さない")
    else:
        city_kin = trail.add(
            "市町村民税 均等割額",
            "city.kintouwari",
            muni.city_kintouwari,
            "条例による額（municipality.city_kintouwari）",
        )
        pref_kin = trail.add(
            "道府県民税 均等割額",
            "pref.kintouwari",
            muni.pref_kintouwari,
            "条例による額（municipality.pref_kintouwari）",
        )
        forest = trail.add(
            "森林環境税",
            "forest_env_tax",
            r.yen("forest_env_tax"),
            "forest_env_tax",
            ["forest_env_tax"],
        )
    total = trail.add(
        "年税額（合計）",
        "total",
        city_shotokuwari + city_kin + pref_shotokuwari + pref_kin + forest,
        "市町村民税（所得割＋均等割）＋道府県民税（所得割＋均等割）＋森林環境税",
    )

    return {
        "fiscal_year": hh.fiscal_year,
        "city": {"shotokuwari": city_shotokuwari, "kintouwari": city_kin},
        "pref": {"shotokuwari": pref_shotokuwari, "kintouwari": pref_kin},
        "forest_env_tax": forest,
        "total": total,
        "hikazei": {
            "kintouwari": hikazei.kintouwari,
            "shotokuwari": hikazei.shotokuwari,
            "reason": hikazei.reason,
        },
        "unconfirmed": r.unconfirmed(),
        "assumptions": list(assumptions),
        "law": {
            "data": law.path.relative_to(lawdata.DATA_DIR.parents[2]).as_posix(),
            "title": law.title,
            "figures_used": r.used,
        },
        "steps": trail.as_json(),
    }


def calculate(data: object) -> dict[str, Any]:
    """Check ``data`` (the parsed JSON input) and compute. Raises
    :class:`~kyodo.rules.inputs.InputError` for bad input."""
    return calculate_household(parse(data, fiscal_years=lawdata.available_years(TOPIC)))
