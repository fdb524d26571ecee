"""The 課税標準額 of one parcel: 住宅用地特例, then 負担調整措置 (令和6〜8年度).

1. 本則課税標準額: the 評価額, times the 住宅用地 rate where the parcel is 住宅用地 (地方税法
   第349条の3の2; for 都市計画税 第702条の3). On a 住宅用地 the first 200 ㎡ per dwelling are
   小規模住宅用地 and the rest 一般住宅用地; the 評価額 is split in proportion to the area.
2. 負担水準 = 前年度課税標準額 ÷ 本則 (÷ 評価額 for 商業地等 and 農地), and by it
   (地方税法 附則第18条・第19条, 都市計画税 附則第25条; rules.md §3):

   * 住宅用地: at 1.0 or above the 本則; below, last year's base + 本則 × 5%, at most the 本則
     and at least 本則 × 20%;
   * 商業地等: above 0.7, 評価額 × 70%; from 0.6 to 0.7, last year's base (据置); below 0.6,
     last year's base + 評価額 × 5%, at most 評価額 × 60% and at least 評価額 × 20%;
   * 一般農地: last year's base × the 負担調整率 of its 負担水準 band, at most the 評価額.

The same mechanics give the 都市計画税 base, from its own rates and its own previous base.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kyodo.rules.kotei.assets import Land
from kyodo.rules.kotei.exact import as_fraction, floor, ratio, show
from kyodo.rules.lawdata import Band
from kyodo.rules.steps import Trail, percent, yen

__all__ = ["TAXES", "LandBase", "honsoku", "land_base"]

# 固定資産税 and 都市計画税: the key in jutaku_yochi.tokurei_ritsu and the step id prefix.
TAXES = {"kotei": ("固定資産税", ""), "toshi_keikaku": ("都市計画税", ".toshi_keikaku")}


@dataclass(frozen=True)
class Honsoku:
    amount: Fraction  # 本則課税標準額, exact
    text: str
    figures: tuple[str, ...]


@dataclass(frozen=True)
class LandBase:
    honsoku: int
    tax_base: int
    burden_level: Fraction | None  # None when the 評価額 is 0
    rule: str  # which rule set the base (for the result)


def honsoku(trail: Trail, land: Land, tax: str) -> Honsoku:
    """本則課税標準額 of ``land`` for ``tax`` ("kotei" or "toshi_keikaku")."""
    r = trail.reader
    value = Fraction(land.valuation)
    if land.use == "small_residential":
        rates = r.table("jutaku_yochi.tokurei_ritsu")[tax]
        small_rate = ratio(r.law, "jutaku_yochi.tokurei_ritsu", rates["small"], f"{tax}.small")
        general_rate = ratio(
            r.law, "jutaku_yochi.tokurei_ritsu", rates["general"], f"{tax}.general"
        )
        per_unit = Decimal(r.table("jutaku_yochi.shokibo_menseki")["per_dwelling_unit"])
        small_area = min(land.area, per_unit * land.dwelling_units)
        general_area = land.area - small_area
        share = as_fraction(small_area) / as_fraction(land.area)
        amount = value * share * small_rate + value * (1 - share) * general_rate
        text = (
            f"小規模住宅用地 {small_area}㎡（{per_unit}㎡ × {land.dwelling_units}戸まで）"
            f" × {show(small_rate)}"
        )
        if general_area:
            text += f" ＋ 一般住宅用地 {general_area}㎡ × {show(general_rate)}"
        text = f"評価額 {yen(land.valuation)} を地積 {land.area}㎡ で按分: {text}"
        return Honsoku(amount, text, ("jutaku_yochi.tokurei_ritsu", "jutaku_yochi.shokibo_menseki"))
    if land.use == "general_residential":
        rates = r.table("jutaku_yochi.tokurei_ritsu")[tax]
        general_rate = ratio(
            r.law, "jutaku_yochi.tokurei_ritsu", rates["general"], f"{tax}.general"
        )
        return Honsoku(
            value * general_rate,
            f"一般住宅用地: 評価額 {yen(land.valuation)} × {show(general_rate)}",
            ("jutaku_yochi.tokurei_ritsu",),
        )
    return Honsoku(value, f"評価額 {yen(land.valuation)}（住宅用地の特例なし）", ())


def _level_text(level: Fraction) -> str:
    return f"負担水準 {float(level):.4f}"


def _residential(
    trail: Trail, base: Honsoku, prev: Fraction
) -> tuple[Fraction, str, str, list[str | Band]]:
    r = trail.reader
    level = prev / base.amount
    if level >= 1:
        return base.amount, "honsoku", f"{_level_text(level)} ≥ 1: 本則", []
    rule = r.table("futan_chosei.jutaku")
    step, low = as_fraction(rule["step"]), as_fraction(rule["floor"])
    candidate = prev + base.amount * step
    text = (
        f"{_level_text(level)} < 1: 前年度 {yen(floor(prev))} + 本則 × {percent(rule['step'])}"
        f" = {yen(floor(candidate))}"
    )
    figures: list[str | Band] = ["futan_chosei.jutaku"]
    if candidate > base.amount:
        return base.amount, "honsoku", f"{text}、本則を上限", figures
    if candidate < base.amount * low:
        return (
            base.amount * low,
            "floor",
            f"{text}、本則 × {percent(rule['floor'])} を下限",
            figures,
        )
    return candidate, "futan_chosei", text, figures


def _commercial(
    trail: Trail, value: Fraction, prev: Fraction
) -> tuple[Fraction, str, str, list[str | Band]]:
    rule = trail.reader.table("futan_chosei.shogyo")
    upper, lower = as_fraction(rule["upper"]), as_fraction(rule["lower"])
    step, low = as_fraction(rule["step"]), as_fraction(rule["floor"])
    level = prev / value
    figures: list[str | Band] = ["futan_chosei.shogyo"]
    if level > upper:
        text = f"{_level_text(level)} > {percent(rule['upper'])}: 評価額 × {percent(rule['upper'])}"
        return value * upper, "upper", text, figures
    if level >= lower:
        text = (
            f"{_level_text(level)} が {percent(rule['lower'])}以上{percent(rule['upper'])}以下:"
            " 前年度課税標準額を据置"
        )
        return prev, "sueoki", text, figures
    candidate = prev + value * step
    text = (
        f"{_level_text(level)} < {percent(rule['lower'])}: 前年度 {yen(floor(prev))} + 評価額 × "
        f"{percent(rule['step'])} = {yen(floor(candidate))}"
    )
    if candidate > value * lower:
        return value * lower, "cap", f"{text}、評価額 × {percent(rule['lower'])} を上限", figures
    if candidate < value * low:
        return value * low, "floor", f"{text}、評価額 × {percent(rule['floor'])} を下限", figures
    return candidate, "futan_chosei", text, figures


def _farmland(
    trail: Trail, value: Fraction, prev: Fraction
) -> tuple[Fraction, str, str, list[str | Band]]:
    level = prev / value
    # The bands are in 1/10,000 of the 負担水準, truncated: x < 0.7 exactly when the truncated
    # value is below 7,000, so the statute's boundaries are kept.
    band = trail.reader.band("futan_chosei.nochi", math.floor(level * 10_000))
    rate = as_fraction(band.number("rate"))
    candidate = prev * rate
    text = (
        f"{_level_text(level)}: 前年度 {yen(floor(prev))} × 負担調整率 {band.number('rate')}"
        f" = {yen(floor(candidate))}"
    )
    if candidate > value:
        return value, "honsoku", f"{text}、評価額を上限", [band]
    return candidate, "futan_chosei", text, [band]


def land_base(trail: Trail, land: Land, tax: str, base: Honsoku, prev: Fraction) -> LandBase:
    """The 課税標準額 of ``land`` for ``tax`` from its 本則 and last year's base ``prev``."""
    name, suffix = TAXES[tax]
    step_prefix = f"{land.path}{suffix}"
    honsoku_yen = trail.add(
        f"{name} 本則課税標準額（{land.path}）",
        f"{step_prefix}.honsoku",
        floor(base.amount),
        base.text + "（1円未満切捨て）",
        list(base.figures),
    )
    if base.amount == 0:
        trail.add(f"{name} 課税標準額（{land.path}）", f"{step_prefix}.tax_base", 0, "評価額が0")
        return LandBase(0, 0, None, "honsoku")
    value = Fraction(land.valuation)
    if land.use in ("small_residential", "general_residential"):
        amount, rule, text, figures = _residential(trail, base, prev)
    elif land.use == "non_residential":
        amount, rule, text, figures = _commercial(trail, value, prev)
    else:
        amount, rule, text, figures = _farmland(trail, value, prev)
    tax_base = trail.add(
        f"{name} 課税標準額（{land.path}）",
        f"{step_prefix}.tax_base",
        floor(amount),
        f"{text}（1円未満切捨て）",
        figures,
    )
    level = prev / (
        base.amount if land.use in ("small_residential", "general_residential") else value
    )
    return LandBase(honsoku_yen, tax_base, level, rule)
