"""固定資産税 and 都市計画税 of one owner in one municipality, in the order of the 納税通知書.

1. each parcel's 課税標準額 (:mod:`.land`: 住宅用地特例 and 負担調整), each house's 評価額;
2. 免税点 (地方税法 第351条): land, and houses, whose 課税標準額 add up to less than 30万 / 20万
   are not taxed — nor subject to 都市計画税;
3. the 課税標準額 of land and houses together, truncated to 1,000 yen (横浜市: 区内の全ての
   土地・家屋の課税標準額を合算し1,000円未満切捨て), × the rate;
4. − 新築住宅の減額 (:mod:`.house`), truncated to 100 yen;
5. 都市計画税 likewise from its own land bases, without the 新築 reduction.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from kyodo.rules import lawdata
from kyodo.rules.inputs import Checker, InputError, Problem
from kyodo.rules.juminzei.household import nendo
from kyodo.rules.kotei.assets import RESIDENTIAL, Assets, parse
from kyodo.rules.kotei.house import Reduction, shinchiku_genmen
from kyodo.rules.kotei.land import LandBase, honsoku, land_base
from kyodo.rules.steps import Trail, percent, yen
from kyodo.rules.yen import floor_to, floor_yen

__all__ = ["REQUIRED_FIGURES", "TOPIC", "calculate", "calculate_assets"]

TOPIC = "kotei"

REQUIRED_FIGURES = (
    "rounding.kazei_hyojun",
    "rounding.zeigaku",
    "menzeiten",
    "jutaku_yochi.shokibo_menseki",
    "jutaku_yochi.tokurei_ritsu",
    "futan_chosei.jutaku",
    "futan_chosei.shogyo",
    "futan_chosei.nochi",
    "shinchiku.genmen",
    "shinchiku.yoken",
    "shinchiku.kikan",
    "toshi_keikaku.seigen_zeiritsu",
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
                    f"{nendo(fiscal_year)}の固定資産税の法令データがありません"
                    f"（利用できる年度: {years}）",
                )
            ]
        ) from None
    law.require(REQUIRED_FIGURES)
    return law


def _land(
    trail: Trail, assets: Assets, assumptions: list[str]
) -> list[tuple[LandBase, LandBase | None]]:
    bases: list[tuple[LandBase, LandBase | None]] = []
    for land in assets.land:
        fa_honsoku = honsoku(trail, land, "kotei")
        fa = land_base(trail, land, "kotei", fa_honsoku, Fraction(land.prev_tax_base))
        cp = None
        if assets.city_planning_rate is not None:
            cp_honsoku = honsoku(trail, land, "toshi_keikaku")
            if land.prev_city_planning_tax_base is not None:
                prev = Fraction(land.prev_city_planning_tax_base)
            elif land.use in RESIDENTIAL and fa_honsoku.amount:
                # The two taxes' bases of a 住宅用地 differ by their 特例率; without last year's
                # 都市計画税 base, take it at the same 負担水準 as 固定資産税.
                prev = Fraction(land.prev_tax_base) * cp_honsoku.amount / fa_honsoku.amount
                assumptions.append(
                    f"{land.path}: prev_city_planning_tax_base の指定がないため、都市計画税の"
                    "前年度課税標準額を固定資産税と同じ負担水準として計算した"
                )
            else:
                # 商業地等 and 農地 have no 特例率: both taxes share one base.
                prev = Fraction(land.prev_tax_base)
            cp = land_base(trail, land, "toshi_keikaku", cp_honsoku, prev)
        bases.append((fa, cp))
    return bases


def _exempt(trail: Trail, kind: str, name: str, total: int, present: bool) -> bool:
    """免税点: the category is not taxed when its 課税標準額 add up to less than the figure."""
    r = trail.reader
    limit = int(r.peek("menzeiten").value[kind])
    if not present or total >= limit:
        return False
    r.record("menzeiten")
    trail.add(
        f"{name}の免税点",
        f"menzeiten.{kind}",
        0,
        f"{name}の課税標準額の合計 {yen(total)} < 免税点 {yen(limit)}:"
        " 固定資産税・都市計画税を課さない",
        ["menzeiten"],
    )
    return True


def _tax(
    trail: Trail, *, prefix: str, name: str, base_sum: int, rate: Decimal, reduction: int = 0
) -> tuple[int, int]:
    """(課税標準額, 税額) of one tax from the sum of the bases of land and houses."""
    r = trail.reader
    unit = r.yen("rounding.kazei_hyojun")
    kazei_hyojun = trail.add(
        f"{name} 課税標準額（土地・家屋の合計）",
        f"{prefix}kazei_hyojun",
        floor_to(base_sum, unit),
        f"{yen(base_sum)} の{yen(unit)}円未満切捨て（rounding.kazei_hyojun）",
        ["rounding.kazei_hyojun"],
    )
    exact = Decimal(kazei_hyojun) * rate
    trail.add(
        f"{name} 算出税額",
        f"{prefix}sanshutsu_zeigaku",
        floor_yen(exact),
        f"{yen(kazei_hyojun)} × {percent(rate)}",
    )
    unit = r.yen("rounding.zeigaku")
    text = f"{yen(floor_yen(exact))}"
    if reduction:
        text += f" − 新築住宅の減額 {yen(reduction)}"
    amount = trail.add(
        f"{name}額",
        f"{prefix}tax",
        floor_to(max(Decimal(0), exact - reduction), unit),
        f"{text} の{yen(unit)}円未満切捨て（rounding.zeigaku）",
        ["rounding.zeigaku"],
    )
    return kazei_hyojun, amount


def calculate_assets(assets: Assets) -> dict[str, Any]:
    law = _law(assets.fiscal_year)
    trail = Trail(lawdata.Reader(law))
    r = trail.reader
    assumptions: list[str] = []
    land_bases = _land(trail, assets, assumptions)

    land_total = trail.add(
        "土地の課税標準額の合計",
        "land.total",
        sum(fa.tax_base for fa, _ in land_bases),
        " + ".join(yen(fa.tax_base) for fa, _ in land_bases) or "土地なし",
    )
    house_total = trail.add(
        "家屋の課税標準額の合計",
        "houses.total",
        sum(h.valuation for h in assets.houses),
        " + ".join(yen(h.valuation) for h in assets.houses) or "家屋なし",
    )
    land_exempt = _exempt(trail, "land", "土地", land_total, bool(assets.land))
    houses_exempt = _exempt(trail, "house", "家屋", house_total, bool(assets.houses))

    reductions: list[Reduction] = [
        Reduction(0, None, "免税点未満")
        if houses_exempt
        else shinchiku_genmen(trail, house, assets.rate, assets.fiscal_year)
        for house in assets.houses
    ]
    reduction = sum(x.amount for x in reductions)
    kazei_hyojun, tax = _tax(
        trail,
        prefix="",
        name="固定資産税",
        base_sum=(0 if land_exempt else land_total) + (0 if houses_exempt else house_total),
        rate=assets.rate,
        reduction=reduction,
    )

    cp_result: dict[str, int] | None = None
    cp_tax = 0
    if assets.city_planning_rate is not None:
        cp_land = sum(cp.tax_base for _, cp in land_bases if cp is not None)
        cp_kazei_hyojun, cp_tax = _tax(
            trail,
            prefix="toshi_keikaku.",
            name="都市計画税",
            base_sum=(0 if land_exempt else cp_land) + (0 if houses_exempt else house_total),
            rate=assets.city_planning_rate,
        )
        cp_result = {"land": cp_land, "houses": house_total, "total": cp_kazei_hyojun}
    total = trail.add("合計税額", "total", tax + cp_tax, "固定資産税額 + 都市計画税額")

    return {
        "fiscal_year": assets.fiscal_year,
        "land": [
            {
                "tax_base": fa.tax_base,
                "honsoku_tax_base": fa.honsoku,
                "burden_level": None
                if fa.burden_level is None
                else round(float(fa.burden_level), 4),
                "rule": fa.rule,
                "city_planning_tax_base": None if cp is None else cp.tax_base,
            }
            for fa, cp in land_bases
        ],
        "houses": [
            {"tax_base": house.valuation, "reduction": x.amount, "reduction_years": x.years}
            for house, x in zip(assets.houses, reductions, strict=True)
        ],
        "exempt": {"land": land_exempt, "houses": houses_exempt},
        "tax_base": {"land": land_total, "houses": house_total, "total": kazei_hyojun},
        "city_planning_tax_base": cp_result,
        "reduction": reduction,
        "tax": tax,
        "city_planning_tax": cp_tax,
        "total": total,
        "unconfirmed": r.unconfirmed(),
        "assumptions": assumptions,
        "law": {
            "data": law.path.relative_to(lawdata.DATA_DIR.parents[2]).as_posix(),
            "title": law.title,
            "figures_used": r.used,
        },
        "steps": trail.as_json(),
    }


def _fiscal_year(check: Checker, data: object) -> int:
    if not isinstance(data, dict) or "fiscal_year" not in data:
        return 0
    return check.integer(data["fiscal_year"], "fiscal_year", minimum=1, what="年度（西暦の整数）")


def calculate(data: object) -> dict[str, Any]:
    """Check ``data`` (the parsed JSON input) and compute. Raises
    :class:`~kyodo.rules.inputs.InputError` for bad input, every problem at once."""
    check = Checker()
    fiscal_year = _fiscal_year(check, data)
    limit: Decimal | None = None
    if fiscal_year:
        try:
            limit = Decimal(_law(fiscal_year).figure("toshi_keikaku.seigen_zeiritsu").value)
        except InputError as error:
            check.problems.extend(error.problems)
    assets = parse(data, check=check, fiscal_year=fiscal_year, city_planning_limit=limit)
    check.raise_if_any()
    return calculate_assets(assets)
