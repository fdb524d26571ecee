"""所得: 給与所得, 公的年金等に係る雑所得, 所得金額調整控除 and 合計所得金額.

住民税 computes income as 所得税 does (地方税法 第32条第2項, 第313条第2項), so the tables are
those of 所得税法 (別表第五, 第35条第4項) and 租税特別措置法 第41条の3の3, read from the
year's data file.
"""

from __future__ import annotations

from dataclasses import dataclass

from kyodo.rules.juminzei.household import Household
from kyodo.rules.lawdata import Band
from kyodo.rules.steps import Trail, percent, yen
from kyodo.rules.yen import ceil_yen, floor_yen, has_fraction

__all__ = ["Income", "compute_income"]


@dataclass(frozen=True)
class Income:
    kyuyo: int  # 給与所得 (after 所得金額調整控除)
    nenkin: int  # 公的年金等に係る雑所得
    other: int  # その他の所得 (input)
    gokei: int  # 合計所得金額
    so_shotoku: int  # 総所得金額等 (= 合計所得金額 here: no 繰越控除, no 分離課税)


def describe(band: Band, x: int) -> str:
    """The formula a band row applied to ``x``, in words, for the trail."""
    if "fixed" in band.values:
        return f"{yen(x)} の区分の額 {yen(int(band.number('fixed')))}"
    step = int(band.values.get("step", 1))
    base = (x // step) * step
    text = yen(x)
    if step > 1:
        text = f"{yen(x)} を {yen(step)}円未満切捨て {yen(base)}"
    rate = band.number("rate")
    if rate != 1:
        text += f" × {percent(rate)}"
    add = int(band.number("add")) if "add" in band.values else 0
    if add:
        text += f" {'−' if add < 0 else '+'} {yen(abs(add))}"
    return text


def _kyuyo_kojogo(trail: Trail, salary: int) -> int:
    """給与所得控除後の給与等の金額 (別表第五 below 6.6M; 第28条第3項 above)."""
    if salary == 0:
        return trail.add("給与所得控除後の給与等の金額", "kyuyo_kojogo", 0, "給与収入なし")
    band = trail.reader.band("kyuyo_shotoku", salary)
    value = max(0, floor_yen(band.linear(salary)))
    return trail.add(
        "給与所得控除後の給与等の金額",
        "kyuyo_kojogo",
        value,
        f"kyuyo_shotoku: {describe(band, salary)}（1円未満切捨て）",
        [band],
    )


def _chosei_kodomo(trail: Trail, hh: Household, salary: int) -> int:
    """所得金額調整控除（子ども・特別障害者等を有する者等）: salary over 8.5M and the taxpayer
    is a 特別障害者, or has a 扶養親族 under 23, or a 同一生計配偶者 or 扶養親族 who is a
    特別障害者."""
    item, step_id = "所得金額調整控除（子ども・特別障害者等）", "shotoku_chosei.kodomo"
    r = trail.reader
    rule = r.peek("shotoku_chosei.kodomo").value
    if salary <= rule["salary_over"]:
        return trail.add(item, step_id, 0, f"給与収入 {yen(salary)} ≤ {yen(rule['salary_over'])}")
    fuyo_limit = r.yen("fuyo.income_limit")
    spouse_limit = r.yen("haigusha.income_limit")
    special = ("special", "special_cohabiting")
    reasons = []
    if hh.taxpayer.disability == "special":
        reasons.append("本人が特別障害者")
    if hh.spouse and hh.spouse.income <= spouse_limit and hh.spouse.disability in special:
        reasons.append("同一生計配偶者が特別障害者")
    for d in hh.dependents:
        if d.income > fuyo_limit:
            continue
        if d.age < rule["dependant_age_below"]:
            reasons.append(f"{d.path} が{rule['dependant_age_below']}歳未満の扶養親族")
        elif d.disability in special:
            reasons.append(f"{d.path} が特別障害者である扶養親族")
    if not reasons:
        return trail.add(item, step_id, 0, "対象となる本人・配偶者・扶養親族がいない")
    r.record("shotoku_chosei.kodomo")
    exact = (min(salary, rule["salary_cap"]) - rule["salary_over"]) * rule["rate"]
    figures = ["shotoku_chosei.kodomo"]
    if has_fraction(exact):
        mode = r.text("shotoku_chosei.kodomo_rounding")
        figures.append("shotoku_chosei.kodomo_rounding")
        value = ceil_yen(exact) if mode == "ceil" else floor_yen(exact)
    else:
        value = int(exact)
    basis = (
        f"shotoku_chosei.kodomo: ({yen(min(salary, rule['salary_cap']))} − "
        f"{yen(rule['salary_over'])}) × {percent(rule['rate'])}（{'、'.join(reasons)}）"
    )
    return trail.add(item, step_id, value, basis, figures)


def _nenkin(trail: Trail, hh: Household, other_total: int) -> int:
    """公的年金等に係る雑所得, by age (65+ on 31 Dec) and the other income's tier."""
    item, step_id = "公的年金等に係る雑所得", "nenkin_zatsu_shotoku"
    pension = hh.taxpayer.pension_income
    if pension == 0:
        return trail.add(item, step_id, 0, "公的年金等の収入なし")
    r = trail.reader
    elderly = hh.taxpayer.age >= r.years("nenkin.elderly_age")
    table = "nenkin.zatsu_shotoku.elderly" if elderly else "nenkin.zatsu_shotoku.younger"
    band = r.band(table, pension)
    tier = r.band("nenkin.other_income_adjustment", other_total)
    add = int(tier.number("add"))
    value = max(0, floor_yen(band.linear(pension)) + add)
    basis = f"{table}: {describe(band, pension)}（1円未満切捨て、0未満は0）"
    if add:
        basis += (
            f" + {yen(add)}（公的年金等以外の合計所得 {yen(other_total)}: "
            "nenkin.other_income_adjustment）"
        )
    figures: list[str | Band] = ["nenkin.elderly_age", band, tier]
    return trail.add(item, step_id, value, basis, figures)


def _chosei_nenkin(trail: Trail, kyuyo: int, nenkin: int) -> int:
    """所得金額調整控除（給与所得と公的年金等に係る雑所得の両方がある者）."""
    item, step_id = "所得金額調整控除（給与・年金）", "shotoku_chosei.nenkin"
    if kyuyo == 0 or nenkin == 0:
        return trail.add(item, step_id, 0, "給与所得と公的年金等の雑所得の両方はない")
    rule = trail.reader.table("shotoku_chosei.nenkin")
    cap, subtract = rule["cap_each"], rule["subtract"]
    value = max(0, min(kyuyo, cap) + min(nenkin, cap) - subtract)
    basis = (
        f"shotoku_chosei.nenkin: min({yen(kyuyo)}, {yen(cap)}) + min({yen(nenkin)}, {yen(cap)})"
        f" − {yen(subtract)}"
    )
    return trail.add(item, step_id, value, basis, ["shotoku_chosei.nenkin"])


def compute_income(trail: Trail, hh: Household) -> Income:
    tp = hh.taxpayer
    kojogo = _kyuyo_kojogo(trail, tp.salary_income)
    kodomo = _chosei_kodomo(trail, hh, tp.salary_income) if kojogo else 0
    # 公的年金等控除 is cut when the *other* income (給与所得 after the first 調整控除, and
    # the rest) exceeds 1,000万; the 給与・年金 調整控除 itself depends on the pension amount,
    # so it cannot enter this test.
    other_total = kojogo - kodomo + tp.other_income
    nenkin = _nenkin(trail, hh, other_total)
    both = _chosei_nenkin(trail, kojogo - kodomo, nenkin)
    kyuyo = trail.add(
        "給与所得",
        "kyuyo_shotoku",
        kojogo - kodomo - both,
        f"{yen(kojogo)} − 所得金額調整控除 {yen(kodomo)} − {yen(both)}",
    )
    other = trail.add(
        "その他の所得", "sonota_shotoku", tp.other_income, "入力 taxpayer.other_income"
    )
    gokei = trail.add(
        "合計所得金額",
        "gokei_shotoku",
        kyuyo + nenkin + other,
        f"給与所得 {yen(kyuyo)} + 公的年金等の雑所得 {yen(nenkin)} + その他 {yen(other)}",
    )
    so_shotoku = trail.add(
        "総所得金額等",
        "so_shotoku",
        gokei,
        "合計所得金額と同じ（分離課税の所得・繰越控除は扱わない）",
    )
    return Income(kyuyo, nenkin, other, gokei, so_shotoku)
