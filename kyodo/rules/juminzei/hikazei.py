"""非課税: who pays neither 均等割 nor 所得割, and who pays 均等割 only.

In this order (地方税法 第24条の5, 第295条, 附則第3条の3):

1. 生活扶助 on 1 January: nothing.
2. 障害者, 未成年者, 寡婦 or ひとり親 with 合計所得金額 ≤ 135万: nothing.
3. 合計所得金額 ≤ the 均等割 非課税限度額 of the municipality's 級地: nothing.
4. 総所得金額等 ≤ the 所得割 非課税限度額 (the same everywhere): 均等割 only.

Both limits count the persons N = the taxpayer + a 同一生計配偶者 + every 扶養親族 (under-16s
included): ``per_person × N + base``, plus ``dependant_add`` when N > 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from kyodo.rules.juminzei.household import Household
from kyodo.rules.juminzei.income import Income
from kyodo.rules.steps import Trail, yen

__all__ = ["Hikazei", "judge", "shotokuwari_limit"]


@dataclass(frozen=True)
class Hikazei:
    kintouwari: bool  # exempt from 均等割 (and so from 所得割 and 森林環境税)
    shotokuwari: bool  # exempt from 所得割
    reason: str | None
    shotokuwari_limit: int  # the 所得割 非課税限度額 (for the adjustment just above it)


def _persons(trail: Trail, hh: Household) -> int:
    r = trail.reader
    count, who = 1, ["本人"]
    if hh.spouse and hh.spouse.income <= r.yen("haigusha.income_limit"):
        count += 1
        who.append("同一生計配偶者")
    if hh.dependents:
        limit = r.yen("fuyo.income_limit")
        for d in hh.dependents:
            if d.income <= limit:
                count += 1
                who.append(f"扶養親族 {d.path}")
    return trail.add(
        "非課税限度額の人数",
        "hikazei.ninzu",
        count,
        "、".join(who) + "（扶養親族は16歳未満を含む）",
        ["haigusha.income_limit", "fuyo.income_limit"] if count > 1 else [],
    )


def _limit(rule: dict[str, int], persons: int) -> tuple[int, str]:
    amount = rule["per_person"] * persons + rule["base"]
    text = f"{yen(rule['per_person'])} × {persons} + {yen(rule['base'])}"
    if persons > 1:
        amount += rule["dependant_add"]
        text += f" + {yen(rule['dependant_add'])}"
    return amount, text


def shotokuwari_limit(trail: Trail, persons: int) -> tuple[int, str]:
    return _limit(dict(trail.reader.table("hikazei.shotokuwari")), persons)


def _status_exempt(trail: Trail, hh: Household, income: Income) -> str | None:
    """障害者・未成年者・寡婦・ひとり親 with 合計所得金額 ≤ 135万 (第295条第1項第2号)."""
    r = trail.reader
    tp = hh.taxpayer
    statuses = []
    if tp.disability is not None:
        statuses.append("障害者")
    if tp.age < r.years("hikazei.minor_age"):
        statuses.append("未成年者")
    # The 500万 limit of 寡婦・ひとり親 is always met below 135万.
    if tp.widow:
        statuses.append("寡婦")
    if tp.single_parent:
        statuses.append("ひとり親")
    if not statuses:
        return None
    limit = r.yen("hikazei.shogaisha_etc_income_limit")
    exempt = income.gokei <= limit
    trail.add(
        "障害者・未成年者・寡婦・ひとり親の非課税限度額",
        "hikazei.shogaisha_etc",
        limit,
        f"{'・'.join(statuses)}: 合計所得 {yen(income.gokei)} {'≤' if exempt else '>'} {yen(limit)}"
        f" → {'均等割・所得割とも非課税' if exempt else '非課税に該当しない'}",
        ["hikazei.shogaisha_etc_income_limit", "hikazei.minor_age"],
    )
    return f"{'・'.join(statuses)}で合計所得金額が{yen(limit)}円以下" if exempt else None


def judge(trail: Trail, hh: Household, income: Income) -> Hikazei:
    r = trail.reader
    persons = _persons(trail, hh)
    shoto_limit, shoto_text = shotokuwari_limit(trail, persons)
    if hh.taxpayer.public_assistance:
        trail.add(
            "生活扶助による非課税", "hikazei.seikatsu_fujo", 0, "1月1日現在で生活扶助を受けている"
        )
        return Hikazei(True, True, "生活扶助を受けている", shoto_limit)
    reason = _status_exempt(trail, hh, income)
    if reason:
        return Hikazei(True, True, reason, shoto_limit)

    kyuchi = hh.municipality.kyuchi
    rules = r.table("hikazei.kintouwari")
    kin_limit, kin_text = _limit(dict(rules[str(kyuchi)]), persons)
    kin_exempt = income.gokei <= kin_limit
    trail.add(
        "均等割の非課税限度額",
        "hikazei.kintouwari",
        kin_limit,
        f"hikazei.kintouwari {kyuchi}級地: {kin_text}; 合計所得 {yen(income.gokei)} "
        f"{'≤' if kin_exempt else '>'} 限度額 → "
        f"{'均等割・所得割とも非課税' if kin_exempt else '課税'}",
        ["hikazei.kintouwari"],
    )
    if kin_exempt:
        return Hikazei(
            True, True, f"合計所得金額が均等割の非課税限度額（{kyuchi}級地）以下", shoto_limit
        )

    shoto_exempt = income.so_shotoku <= shoto_limit
    trail.add(
        "所得割の非課税限度額",
        "hikazei.shotokuwari",
        shoto_limit,
        f"hikazei.shotokuwari: {shoto_text}; 総所得金額等 {yen(income.so_shotoku)} "
        f"{'≤' if shoto_exempt else '>'} 限度額 → {'所得割は非課税' if shoto_exempt else '課税'}",
        ["hikazei.shotokuwari"],
    )
    if shoto_exempt:
        return Hikazei(False, True, "総所得金額等が所得割の非課税限度額以下", shoto_limit)
    return Hikazei(False, False, None, shoto_limit)
