"""法定軽減 (7割・5割・2割) of 均等割 and 平等割: the household's judgment.

地方税法 第703条の5 and 施行令 第56条の89 (rules.md §2.3). The household passes a tier when its
軽減判定所得 — the 総所得金額等 of the 世帯主 (also a 擬制世帯主), every member and every
特定同一世帯所属者 — is at or below:

* 7割: 基準額 43万円 + 10万円 × (給与所得者等の数 − 1, when 2 or more);
* 5割: the 7割 amount + the 5割 per-member amount × 被保険者等の数;
* 2割: the 7割 amount + the 2割 per-member amount × 被保険者等の数.

被保険者等の数 counts the members and the 特定同一世帯所属者, not a 擬制世帯主 (unless the head is
one). A 給与所得者等 has a salary above the salary limit or a pension above the pension limit
(by age). For a pensioner of 65 or over, up to 15万円 of the 公的年金等に係る所得 is left out of
the judgment. A household with anyone whose income was not declared is not judged.

Ages for the pension rules are on 31 December of the income year; the input carries the age on
1 April, used for them too. The two differ only for someone born from 2 January to 1 April, so a
pensioner who is exactly 65 on 1 April is listed under ``assumptions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kyodo.rules.kokuho.household import Household, Person
from kyodo.rules.kokuho.nenkin import NenkinShotoku
from kyodo.rules.steps import Trail, yen

__all__ = ["TIERS", "Keigen", "judge"]

TIERS = {"7wari": "7割", "5wari": "5割", "2wari": "2割"}


@dataclass(frozen=True)
class Keigen:
    tier: str | None  # "7wari", "5wari", "2wari" or None
    rate: Decimal  # the share of 均等割 and 平等割 taken off (0 when none)

    @property
    def label(self) -> str | None:
        return TIERS[self.tier] if self.tier else None


NONE = Keigen(None, Decimal(0))


def _judgment_income(
    trail: Trail, hh: Household, nenkin: NenkinShotoku, assumptions: list[str]
) -> int:
    r = trail.reader
    elderly_age = r.peek("nenkin.elderly_age").value
    total, parts = 0, []
    for person in hh.judged:
        amount = person.income
        if person.pension_income and person.age >= elderly_age:
            amount = _less_pension_deduction(trail, person, nenkin)
            if person.age == elderly_age:
                assumptions.append(
                    f"{person.path}: 4月1日に{elderly_age}歳のため、前年12月31日にも"
                    f"{elderly_age}歳以上として公的年金等の特別控除と給与所得者等を判定した"
                    "（1月2日〜4月1日生まれなら12月31日は64歳）"
                )
        total += amount
        parts.append(f"{person.name} {yen(amount)}")
    return trail.add(
        "軽減判定所得（世帯の合計）",
        "hantei.shotoku",
        total,
        "世帯主・被保険者・特定同一世帯所属者の総所得金額等の合計: " + " + ".join(parts),
    )


def _less_pension_deduction(trail: Trail, person: Person, nenkin: NenkinShotoku) -> int:
    r = trail.reader
    r.record("nenkin.elderly_age")
    value, how = nenkin.compute(person.age, person.pension_income, person.income)
    trail.add(
        f"公的年金等に係る雑所得（{person.name}）",
        f"hantei.{person.name}.nenkin_shotoku",
        value,
        f"{person.path}.pension_income {yen(person.pension_income)} から: {how}",
    )
    limit = r.yen("keigen.nenkin_tokubetsu_kojo")
    special = trail.add(
        f"軽減判定の公的年金等特別控除（{person.name}）",
        f"hantei.{person.name}.nenkin_tokubetsu_kojo",
        min(limit, value),
        f"{person.age}歳（65歳以上）: min(公的年金等に係る雑所得 {yen(value)}, {yen(limit)})"
        "（keigen.nenkin_tokubetsu_kojo）",
        ["keigen.nenkin_tokubetsu_kojo", "nenkin.elderly_age"],
    )
    return trail.add(
        f"軽減判定所得（{person.name}）",
        f"hantei.{person.name}.shotoku",
        max(0, person.income - special),
        f"総所得金額等 {yen(person.income)} − {yen(special)}（0未満は0）",
    )


def _earners(trail: Trail, hh: Household) -> int:
    """給与所得者等の数."""
    r = trail.reader
    salary_over = r.peek("kyuyo_shotokusha.salary_over").value
    pension_over = r.peek("kyuyo_shotokusha.pension_over").value
    elderly_age = r.peek("nenkin.elderly_age").value
    figures: list[str] = []
    if any(p.salary_income for p in hh.judged):
        r.record("kyuyo_shotokusha.salary_over")
        figures.append("kyuyo_shotokusha.salary_over")
    if any(p.pension_income for p in hh.judged):
        r.record("kyuyo_shotokusha.pension_over")
        r.record("nenkin.elderly_age")
        figures += ["kyuyo_shotokusha.pension_over", "nenkin.elderly_age"]
    who = []
    for p in hh.judged:
        limit = pension_over["elderly" if p.age >= elderly_age else "younger"]
        if p.salary_income > salary_over:
            who.append(f"{p.name}（給与収入 {yen(p.salary_income)} > {yen(salary_over)}）")
        elif p.pension_income > limit:
            who.append(
                f"{p.name}（{p.age}歳、公的年金等の収入 {yen(p.pension_income)} > {yen(limit)}）"
            )
    return trail.add(
        "給与所得者等の数",
        "hantei.kyuyo_shotokusha_su",
        len(who),
        "、".join(who) if who else "該当者なし",
        figures,
    )


def judge(trail: Trail, hh: Household, nenkin: NenkinShotoku, assumptions: list[str]) -> Keigen:
    undeclared = [p.path for p in hh.judged if not p.declared]
    if undeclared:
        trail.add(
            "法定軽減",
            "keigen.wari",
            0,
            f"{'、'.join(undeclared)} の所得が未申告のため軽減判定をしない（軽減なし）",
        )
        return NONE
    r = trail.reader
    income = _judgment_income(trail, hh, nenkin, assumptions)
    members = trail.add(
        "被保険者等の数",
        "hantei.ninzu",
        hh.judged_count,
        f"被保険者 {len(hh.members)}人 + 特定同一世帯所属者 "
        f"{len(hh.former_members) + int(hh.head_former_member)}人"
        + ("（擬制世帯主は含まない）" if hh.head and not hh.head_former_member else ""),
    )
    earners = _earners(trail, hh)

    kijun = r.yen("keigen.kijun")
    basis, figures = f"{yen(kijun)}（keigen.kijun）", ["keigen.kijun"]
    seven = kijun
    if earners >= 2:
        per_earner = r.yen("keigen.kyuyo_shotokusha_kasan")
        seven += per_earner * (earners - 1)
        basis += f" + {yen(per_earner)} × (給与所得者等 {earners} − 1)"
        figures.append("keigen.kyuyo_shotokusha_kasan")
    seven = trail.add("7割軽減の基準額", "hantei.kijun.7wari", seven, basis, figures)

    tier, limit = None, seven
    if income <= seven:
        tier = "7wari"
    else:
        # The per-member amounts matter only once the 7割 test has failed.
        per_member = r.table("keigen.kasan_per_member")
        for candidate in ("5wari", "2wari"):
            limit = trail.add(
                f"{TIERS[candidate]}軽減の基準額",
                f"hantei.kijun.{candidate}",
                seven + int(per_member[candidate]) * members,
                f"7割軽減の基準額 {yen(seven)} + {yen(int(per_member[candidate]))} × "
                f"被保険者等 {members}人（keigen.kasan_per_member）",
                ["keigen.kasan_per_member"],
            )
            if income <= limit:
                tier = candidate
                break
    if tier is None:
        trail.add(
            "法定軽減",
            "keigen.wari",
            0,
            f"軽減判定所得 {yen(income)} > 2割軽減の基準額 {yen(limit)}: 軽減なし",
        )
        return NONE
    rate = Decimal(r.table("keigen.wariai")[tier])
    trail.add(
        "法定軽減",
        "keigen.wari",
        int(TIERS[tier][0]),
        f"軽減判定所得 {yen(income)} ≤ {TIERS[tier]}軽減の基準額 {yen(limit)}: "
        f"均等割・平等割の{TIERS[tier]}を減額（keigen.wariai）",
        ["keigen.wariai"],
    )
    return Keigen(tier, rate)
