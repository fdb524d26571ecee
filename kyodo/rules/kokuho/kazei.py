"""One component's 課税額: 医療分, 後期高齢者支援金等分, 介護納付金分 or 子ども分.

In this order (地方税法 第703条の4, 第703条の5 and what follows it; rules.md §2.1, §2.3):

1. 所得割: the members' 算定基礎 (総所得金額等 − 基礎控除, at least 0) × the rate. 介護分 takes only
   the members of 40 to 64 (介護保険の第2号被保険者), and is not levied without one;
2. 被保険者均等割 per member (子ども分: plus the 18歳以上被保険者均等割 of members of 18 or over),
   then, member by member: the 法定軽減 (7/5/2割), the 子ども分 reduction for members under 18
   (all of what is left), the 未就学児 reduction (half of what is left) and any 条例減免;
3. 世帯別平等割 per household, less the same 法定軽減;
4. the sum, capped at the 課税限度額 (the 条例's or, when none is given, the statutory one): the
   statute caps the amount *after* the reductions (第703条の5);
5. truncated to 100 yen, component by component (rules.md §0: the Natori vectors).

Amounts stay exact (Decimal) until step 5: a 7割 reduction of an odd 均等割 leaves fractions of a
yen that only the final truncation removes. Steps show them truncated to the yen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kyodo.rules.kokuho.figures import COMPONENT_NAMES
from kyodo.rules.kokuho.hantei import Keigen
from kyodo.rules.kokuho.household import ComponentRates, Household, Person
from kyodo.rules.steps import Trail, percent, yen
from kyodo.rules.yen import floor_to, floor_yen, has_fraction

__all__ = ["Component", "compute_component"]

_FRACTION = "（1円未満の端数は区分の合計の100円未満切捨てまで保持）"


@dataclass(frozen=True)
class Component:
    levied: bool
    shotokuwari: int = 0  # 所得割 (to the yen)
    kintouwari: int = 0  # 均等割 after every reduction (to the yen)
    byodowari: int = 0  # 平等割 after the 法定軽減 (to the yen)
    before_cap: int = 0  # the sum before the cap (to the yen)
    cap: int | None = None
    capped: bool = False
    amount: int = 0  # the component's 課税額

    def as_json(self) -> dict[str, object]:
        return {
            "levied": self.levied,
            "shotokuwari": self.shotokuwari,
            "kintouwari": self.kintouwari,
            "byodowari": self.byodowari,
            "before_cap": self.before_cap,
            "cap": self.cap,
            "capped": self.capped,
            "amount": self.amount,
        }


def _shown(amount: Decimal) -> str:
    return yen(floor_yen(amount)) + ("…" if has_fraction(amount) else "")


def _subjects(
    trail: Trail, hh: Household, component: str, assumptions: list[str]
) -> tuple[Person, ...]:
    if component != "care":
        return hh.members
    r = trail.reader
    low, below = r.years("kaigo.age_from"), r.years("kaigo.age_below")
    for m in hh.members:
        if m.kaigo is not None:
            continue  # the unit's 月割 decided it for the month (年齢到達月): nothing assumed
        if m.age == low - 1:
            assumptions.append(
                f"{m.path}: 4月1日に{m.age}歳で年度中に{low}歳に達するが、"
                f"達した月からの介護分（月割）は計算していない"
            )
        elif m.age == below - 1:
            assumptions.append(
                f"{m.path}: 4月1日に{m.age}歳で年度中に{below}歳に達するが、"
                f"介護分は年額で計算した（{below}歳に達する月の前月までの月割は計算していない）"
            )
    return tuple(
        m for m in hh.members if (m.kaigo if m.kaigo is not None else low <= m.age < below)
    )


def _kintouwari(
    trail: Trail,
    hh: Household,
    component: str,
    *,
    rates: ComponentRates,
    subjects: tuple[Person, ...],
    keigen: Keigen,
) -> Decimal:
    """均等割 after every reduction, exact."""
    r = trail.reader
    c = component
    child = c == "child"
    adult_age = r.years("kodomo.age_below") if child else 0
    trail.add(
        "被保険者均等割額（減額前）",
        f"{c}.kintouwari",
        rates.per_capita * len(subjects),
        f"{yen(rates.per_capita)} × {len(subjects)}人（rates.{c}.per_capita）",
    )
    if child and rates.adult_per_capita:
        adults = sum(1 for m in subjects if m.age >= adult_age)
        trail.add(
            "18歳以上被保険者均等割額（減額前）",
            f"{c}.kintouwari_18",
            rates.adult_per_capita * adults,
            f"{yen(rates.adult_per_capita)} × {adults}人（18歳以上の被保険者、"
            f"rates.{c}.adult_per_capita）",
        )

    reductions: dict[str, Decimal] = {}
    who: dict[str, list[str]] = {}

    def take(kind: str, person: Person, amount: Decimal) -> Decimal:
        if amount:
            reductions[kind] = reductions.get(kind, Decimal(0)) + amount
            who.setdefault(kind, []).append(person.name)
        return amount

    total = Decimal(0)
    half = r.peek("mishugakuji.wariai").value
    for m in subjects:
        per_capita = Decimal(rates.per_capita)
        adult_part = Decimal(0)
        if child and m.age >= adult_age:
            adult_part = Decimal(rates.adult_per_capita)
        left = per_capita + adult_part
        total += left
        if keigen.tier:
            left -= take("keigen", m, left * keigen.rate)
        # 子ども分 takes the whole 均等割 of an under-18, so a 未就学児 has nothing left to halve.
        if child and m.age < adult_age:
            left -= take("kodomo", m, left * r.peek("kodomo.wariai").value)
        if m.preschool:
            left -= take("mishugakuji", m, left * half)
        if hh.per_capita_max_age is not None and m.age <= hh.per_capita_max_age:
            left -= take("genmen", m, left)

    if "keigen" in reductions:
        trail.add(
            f"均等割の法定軽減（{keigen.label}）",
            f"{c}.kintouwari.keigen",
            floor_yen(reductions["keigen"]),
            f"均等割 {_shown(total)} × {percent(keigen.rate)}（keigen.wariai）",
            ["keigen.wariai"],
        )
    if "kodomo" in reductions:
        r.record("kodomo.wariai")
        trail.add(
            "18歳未満の被保険者均等割の減額（子ども・子育て支援納付金分）",
            f"{c}.kintouwari.kodomo",
            floor_yen(reductions["kodomo"]),
            f"{'、'.join(who['kodomo'])}: 残りの被保険者均等割 × "
            f"{percent(r.peek('kodomo.wariai').value)}（kodomo.wariai、4月1日に18歳未満）",
            ["kodomo.wariai", "kodomo.age_below"],
        )
    if "mishugakuji" in reductions:
        r.record("mishugakuji.wariai")
        r.record("mishugakuji.age_below")
        trail.add(
            "未就学児の均等割の減額",
            f"{c}.kintouwari.mishugakuji",
            floor_yen(reductions["mishugakuji"]),
            f"{'、'.join(who['mishugakuji'])}: 法定軽減後の均等割 × {percent(half)}"
            "（mishugakuji.wariai、4月1日に6歳未満）",
            ["mishugakuji.wariai", "mishugakuji.age_below"],
        )
    if "genmen" in reductions:
        trail.add(
            "均等割の条例減免",
            f"{c}.kintouwari.genmen",
            floor_yen(reductions["genmen"]),
            f"{'、'.join(who['genmen'])}: {hh.per_capita_max_age}歳以下の被保険者の残りの均等割"
            "（local_exemption.per_capita_max_age、地方税法 第717条）",
        )
    after = total - sum(reductions.values(), Decimal(0))
    trail.add(
        "均等割額（減額後）",
        f"{c}.kintouwari.gengaku_go",
        floor_yen(after),
        f"{_shown(total)} − 減額 {_shown(total - after)}"
        + (_FRACTION if has_fraction(after) else ""),
    )
    return after


def _byodowari(trail: Trail, component: str, rates: ComponentRates, keigen: Keigen) -> Decimal:
    c = component
    if not rates.per_household:
        trail.add(
            "世帯別平等割額",
            f"{c}.byodowari",
            0,
            f"平等割なし（rates.{c}.per_household が 0 または指定なし）",
        )
        return Decimal(0)
    full = trail.add(
        "世帯別平等割額（減額前）",
        f"{c}.byodowari",
        rates.per_household,
        f"1世帯 {yen(rates.per_household)}（rates.{c}.per_household）",
    )
    if not keigen.tier:
        return Decimal(full)
    cut = full * keigen.rate
    trail.add(
        f"平等割の法定軽減（{keigen.label}）",
        f"{c}.byodowari.keigen",
        floor_yen(cut),
        f"{yen(full)} × {percent(keigen.rate)}（keigen.wariai）",
        ["keigen.wariai"],
    )
    after = full - cut
    trail.add(
        "世帯別平等割額（減額後）",
        f"{c}.byodowari.gengaku_go",
        floor_yen(after),
        f"{yen(full)} − {_shown(cut)}" + (_FRACTION if has_fraction(after) else ""),
    )
    return after


def compute_component(
    trail: Trail,
    hh: Household,
    component: str,
    *,
    bases: dict[str, int],
    keigen: Keigen,
    assumptions: list[str],
) -> Component:
    """``bases``: each member's 所得割 算定基礎, by input path."""
    c, name = component, COMPONENT_NAMES[component]
    rates = hh.rates.get(c)
    if rates is None:
        trail.add(name, c, 0, f"課さない（rates に {c} がない）")
        return Component(levied=False)
    r = trail.reader
    subjects = _subjects(trail, hh, c, assumptions)
    if not subjects:
        trail.add(
            name, c, 0, "40歳以上65歳未満の被保険者（介護納付金課税被保険者）がいないため課さない"
        )
        return Component(levied=False)

    base = sum(bases[m.path] for m in subjects)
    shotokuwari = Decimal(base) * rates.income_rate
    trail.add(
        "所得割額",
        f"{c}.shotokuwari",
        floor_yen(shotokuwari),
        f"算定基礎 {yen(base)}（{'、'.join(m.name for m in subjects)}）× "
        f"{percent(rates.income_rate)}（rates.{c}.income_rate）"
        + (_FRACTION if has_fraction(shotokuwari) else ""),
    )
    kintouwari = _kintouwari(trail, hh, c, rates=rates, subjects=subjects, keigen=keigen)
    byodowari = _byodowari(trail, c, rates, keigen)
    exact = shotokuwari + kintouwari + byodowari
    trail.add(
        "課税額（限度額の適用前）",
        f"{c}.gokei",
        floor_yen(exact),
        f"所得割 {_shown(shotokuwari)} + 均等割 {_shown(kintouwari)} + 平等割 {_shown(byodowari)}",
    )

    figure = f"gendogaku.{c}"
    cap = rates.cap if rates.cap is not None else r.peek(figure).value
    capped = exact > cap
    source = f"rates.{c}.cap（条例）" if rates.cap is not None else f"法定の限度額（{figure}）"
    figures = []
    if capped and rates.cap is None:
        r.record(figure)  # the statutory figure decides the amount only when it binds
        figures.append(figure)
    trail.add(
        "課税限度額",
        f"{c}.gendo",
        cap,
        f"{source}: "
        + (f"{_shown(exact)} > {yen(cap)} のため限度額" if capped else "限度額以下のため適用なし"),
        figures,
    )
    unit = r.yen("rounding.zeigaku")
    capped_exact = min(exact, Decimal(cap))
    amount = trail.add(
        name,
        c,
        floor_to(capped_exact, unit),
        f"{_shown(capped_exact)} の{yen(unit)}円未満切捨て（区分ごと、地方税法 第20条の4の2第3項:"
        " rounding.zeigaku）",
        ["rounding.zeigaku"],
    )
    return Component(
        levied=True,
        shotokuwari=floor_yen(shotokuwari),
        kintouwari=floor_yen(kintouwari),
        byodowari=floor_yen(byodowari),
        before_cap=floor_yen(exact),
        cap=cap,
        capped=capped,
        amount=amount,
    )
