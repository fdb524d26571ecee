"""新築住宅の減額 (地方税法 附則第15条の6): half the 固定資産税 on up to 120 ㎡ of a new dwelling.

A house built in year Y is first taxed in fiscal year Y+1 (賦課期日 1 January) and is reduced for
3 fiscal years from then, or 5 for a fire-resistant or quasi-fire-resistant building of 3 or more
storeys above ground. The dwelling part must be 50–280 ㎡ (40–280 ㎡ for a rented dwelling in a
building other than a detached house) and at least half of the floor area. The reduction is
``固定資産税額 × min(居住部分, 120 ㎡) ÷ 床面積 × 1/2``, truncated to the yen (鈴鹿市, 横浜市
worked examples); 都市計画税 is not reduced.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from kyodo.rules.kotei.assets import House
from kyodo.rules.kotei.exact import as_fraction, floor, ratio, show
from kyodo.rules.steps import Trail, percent, yen

__all__ = ["Reduction", "shinchiku_genmen"]


@dataclass(frozen=True)
class Reduction:
    amount: int
    years: int | None  # the period of the reduction when it applies
    reason: str


def _period(trail: Trail, house: House) -> tuple[int, str]:
    kikan = trail.reader.peek("shinchiku.kikan").value
    if house.fire_resistant and house.stories >= int(kikan["fire_resistant_min_stories"]):
        return int(kikan["fire_resistant"]), (
            f"地上{house.stories}階の耐火・準耐火建築物（{kikan['fire_resistant_min_stories']}階以上）"
        )
    return int(kikan["general"]), "一般の住宅"


def _requirement_unmet(trail: Trail, house: House) -> str | None:
    r = trail.reader
    law = r.law
    yoken = r.table("shinchiku.yoken")
    share = ratio(law, "shinchiku.yoken", yoken["residential_share"], "residential_share")
    living = house.residential_floor_area
    if as_fraction(living) / as_fraction(house.floor_area) < share:
        return f"居住部分 {living}㎡ が床面積 {house.floor_area}㎡ の{show(share)}未満"
    low = Decimal(yoken["min_area_rental" if house.rental else "min_area"])
    high = Decimal(yoken["max_area"])
    if not low <= living <= high:
        kind = "一戸建以外の貸家" if house.rental else "住宅"
        return f"居住部分 {living}㎡ が{kind}の要件 {low}㎡以上{high}㎡以下 を満たさない"
    return None


def shinchiku_genmen(trail: Trail, house: House, rate: Decimal, fiscal_year: int) -> Reduction:
    """The reduction of ``house``'s 固定資産税 at ``rate`` in ``fiscal_year`` (0 when it does
    not apply)."""
    r = trail.reader
    years, kind = _period(trail, house)
    nth = fiscal_year - house.built_year  # 1 in the first fiscal year the house is taxed
    kikan = r.peek("shinchiku.kikan").value
    if nth > max(int(kikan["general"]), int(kikan["fire_resistant"])):
        # Long past any new-house period: nothing to say about it.
        return Reduction(0, None, "新築住宅の減額の期間外")
    step_id = f"{house.path}.reduction"
    r.record("shinchiku.kikan")
    if nth > years:
        reason = f"{house.built_year}年新築の{nth}年度目: {kind}の減額期間 {years}年度を過ぎている"
        trail.add("新築住宅の減額", step_id, 0, reason, ["shinchiku.kikan"])
        return Reduction(0, None, reason)
    unmet = _requirement_unmet(trail, house)
    if unmet:
        trail.add("新築住宅の減額", step_id, 0, f"要件を満たさない: {unmet}", ["shinchiku.yoken"])
        return Reduction(0, None, unmet)
    genmen = r.table("shinchiku.genmen")
    cap = Decimal(genmen["floor_area_cap"])
    half = ratio(r.law, "shinchiku.genmen", genmen["ratio"], "ratio")
    covered = min(house.residential_floor_area, cap)
    exact: Fraction = (
        Fraction(house.valuation)
        * as_fraction(rate)
        * as_fraction(covered)
        / as_fraction(house.floor_area)
        * half
    )
    amount = trail.add(
        "新築住宅の減額",
        step_id,
        floor(exact),
        f"{house.built_year}年新築の{nth}年度目（{kind}: {years}年度分）: 課税標準額 "
        f"{yen(house.valuation)} × {percent(rate)} × {covered}㎡ ÷ 床面積 {house.floor_area}㎡"
        f" × {show(half)}（1円未満切捨て）",
        ["shinchiku.kikan", "shinchiku.yoken", "shinchiku.genmen"],
    )
    return Reduction(amount, years, f"{years}年度分の{nth}年度目")
