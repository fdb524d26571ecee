"""国民健康保険税 rule by rule, at the edges. Each test cites where its figure comes from; the
amounts follow from the rules (rules.md §2), not from any one household's example."""

from __future__ import annotations

from typing import Any

import pytest

from tests.rules.kokuho_helpers import (
    ASAKA_CHILD,
    NATORI,
    basis,
    compute,
    has_step,
    member,
    step,
)

# --- 法定軽減 limits (地方税法 第703条の5, 施行令 第56条の89; rules.md §2.3) ---------------------

# Per-member amounts of the 5割 and 2割 limits.
# 令和7年度: 30.5万 / 56万 (唐津市 https://www.city.karatsu.lg.jp/page/2406.html ;
# 富加町 https://www.town.tomika.gifu.jp/docs/1982169.html).
# 令和8年度: 31万 / 57万, *unconfirmed* (rules.md §12.1; see the data file's note).
PER_MEMBER = {2025: (305_000, 560_000), 2026: (310_000, 570_000)}


def limits(year: int, members: int, earners: int) -> dict[str, int]:
    seven = 430_000 + 100_000 * max(0, earners - 1)
    five, two = PER_MEMBER[year]
    return {"7割": seven, "5割": seven + five * members, "2割": seven + two * members}


EDGES = [
    (limit, at, over)
    for limit, at, over in (("7割", "7割", "5割"), ("5割", "5割", "2割"), ("2割", "2割", None))
]


@pytest.mark.parametrize("year", [2025, 2026])
@pytest.mark.parametrize(("limit", "at", "over"), EDGES)
def test_tiers_of_a_single_member_at_and_one_yen_over_each_limit(
    year: int, limit: str, at: str, over: str | None
) -> None:
    """One member, no 給与所得者等: 7割 ≤ 43万; 5割 ≤ 43万 + per-member amount; 2割 likewise."""
    edge = limits(year, members=1, earners=0)[limit]
    assert compute(member(45, edge), fiscal_year=year)["reduction"] == at
    assert compute(member(45, edge + 1), fiscal_year=year)["reduction"] == over


# A second salary earner (給与収入 100万) whose 給与所得 is 100万 − 給与所得控除 (55万 in R7, 65万
# in R8: rules.md §1.2).
SECOND_EARNER_INCOME = {2025: 450_000, 2026: 350_000}


@pytest.mark.parametrize("year", [2025, 2026])
@pytest.mark.parametrize(("limit", "at", "over"), EDGES)
def test_tiers_of_three_members_with_two_salary_earners(
    year: int, limit: str, at: str, over: str | None
) -> None:
    """Two 給与所得者等 add 10万 × (2 − 1) to every limit; three members multiply the per-member
    amounts (rules.md §2.3; 銚子市 https://www.city.choshi.chiba.jp/kurashi/page050055.html)."""
    edge = limits(year, members=3, earners=2)[limit]
    other = SECOND_EARNER_INCOME[year]

    def household_with(first: int) -> dict[str, Any]:
        return compute(
            member(45, first, salary_income=3_000_000),
            member(43, other, salary_income=1_000_000),
            member(10),
            fiscal_year=year,
        )

    at_edge = household_with(edge - other)
    assert step(at_edge, "hantei.kyuyo_shotokusha_su") == 2
    assert step(at_edge, "hantei.ninzu") == 3
    assert step(at_edge, "hantei.kijun.7wari") == 530_000
    assert at_edge["reduction"] == at
    assert household_with(edge - other + 1)["reduction"] == over


def test_one_earner_adds_nothing_and_three_add_two_hundred_thousand() -> None:
    """10万 × (給与所得者等の数 − 1) only from the second one (rules.md §2.3)."""
    one = compute(member(45, 0, salary_income=600_000), fiscal_year=2025)
    assert step(one, "hantei.kijun.7wari") == 430_000
    three = compute(
        member(45, 0, salary_income=600_000),
        member(44, 0, salary_income=600_000),
        member(20, 0, salary_income=600_000),
        fiscal_year=2025,
    )
    assert step(three, "hantei.kijun.7wari") == 630_000


# 給与所得者等 (令和7年度, confirmed): salary over 55万, or pension over 60万 (under 65) / 125万
# (65 or over). 唐津市 https://www.city.karatsu.lg.jp/page/2406.html ; 釧路市
# https://www.city.kushiro.lg.jp/kurashi/honen/1004010/1004017/1004023.html
@pytest.mark.parametrize(
    ("age", "fields", "earner"),
    [
        (45, {"salary_income": 550_000}, 0),
        (45, {"salary_income": 550_001}, 1),
        (60, {"pension_income": 600_000}, 0),
        (60, {"pension_income": 600_001}, 1),
        (64, {"pension_income": 1_250_000}, 1),
        (70, {"pension_income": 1_250_000}, 0),
        (70, {"pension_income": 1_250_001}, 1),
        (45, {"salary_income": None, "pension_income": None}, 0),
    ],
)
def test_who_is_a_kyuyo_shotokusha(age: int, fields: dict[str, Any], earner: int) -> None:
    result = compute(member(age, 0, **fields), fiscal_year=2025)
    assert step(result, "hantei.kyuyo_shotokusha_su") == earner


def test_the_2026_salary_test_is_flagged_unconfirmed() -> None:
    """rules.md §2.3 [UNCERTAIN]: the 55万 salary test may have become 65万 in 令和8年度."""
    result = compute(member(45, 0, salary_income=600_000), fiscal_year=2026)
    assert step(result, "hantei.kyuyo_shotokusha_su") == 1
    assert "kyuyo_shotokusha.salary_over" in result["unconfirmed"]
    assert "未確認の数値: kyuyo_shotokusha.salary_over" in basis(
        result, "hantei.kyuyo_shotokusha_su"
    )
    # Without a salary the test is not applied, so the flag does not appear.
    assert "kyuyo_shotokusha.salary_over" not in compute(member(45, 0))["unconfirmed"]


def test_a_7wari_household_does_not_depend_on_the_unconfirmed_per_member_amounts() -> None:
    result = compute(member(45, 430_000), fiscal_year=2026)
    assert result["reduction"] == "7割"
    assert not has_step(result, "hantei.kijun.5wari")
    assert result["unconfirmed"] == []


# --- the 15万円 pension deduction for 65 and over (rules.md §2.3; 釧路市, URL above; 福島市
# https://www.city.fukushima.fukushima.jp/soshiki/7/1030/2/6193.html) -------------------------


def test_pensioner_65_or_over_has_up_to_150_000_left_out() -> None:
    """公的年金等 2,000,000 at 70: 雑所得 2,000,000 − 1,100,000 = 900,000 (所得税法 第35条第4項,
    via the 住民税 tables), judged at 900,000 − 150,000 = 750,000."""
    result = compute(member(70, 900_000, pension_income=2_000_000))
    assert step(result, "hantei.members[0].nenkin_shotoku") == 900_000
    assert step(result, "hantei.members[0].nenkin_tokubetsu_kojo") == 150_000
    assert step(result, "hantei.shotoku") == 750_000
    assert result["reduction"] == "2割"  # 74万 < 75万 ≤ 100万
    assert "juminzei:nenkin.zatsu_shotoku.elderly" in result["law"]["figures_used"]
    # 所得割 is not affected: the deduction is for the judgment only.
    assert step(result, "shotokuwari_kiso.members[0]") == 470_000


def test_the_deduction_is_capped_by_the_pension_income() -> None:
    """公的年金等 1,200,000 at 70: 雑所得 100,000, so only 100,000 is left out."""
    result = compute(member(70, 100_000, pension_income=1_200_000))
    assert step(result, "hantei.members[0].nenkin_tokubetsu_kojo") == 100_000
    assert step(result, "hantei.shotoku") == 0
    assert result["reduction"] == "7割"


def test_no_deduction_under_65() -> None:
    """64: the younger table (2,000,000 × 75% − 275,000 = 1,225,000) and no 15万."""
    result = compute(member(64, 1_225_000, pension_income=2_000_000))
    assert not has_step(result, "hantei.members[0].nenkin_tokubetsu_kojo")
    assert step(result, "hantei.shotoku") == 1_225_000


def test_65_on_1_april_is_taken_as_65_on_31_december_and_said() -> None:
    result = compute(member(65, 900_000, pension_income=2_000_000))
    assert step(result, "hantei.members[0].nenkin_tokubetsu_kojo") == 150_000
    assert any("household.members[0]" in a and "12月31日" in a for a in result["assumptions"])


# --- 擬制世帯主 and 特定同一世帯所属者 (rules.md §2.1, §2.3) --------------------------------------


def test_a_head_who_is_not_a_member_counts_for_the_judgment_but_is_not_assessed() -> None:
    """The 世帯主 is the 納税義務者 even when not a member; their income is in the judgment
    (豊明市「被保険者ではない世帯主も含む」https://www.city.toyoake.lg.jp/5848.htm) but not in the
    member count nor the 所得割. One member without income: 2割 limit 43万 + 57万 = 100万."""
    head = member(50, 1_000_000, salary_income=1_650_000)
    result = compute(member(45), head=head)
    assert step(result, "hantei.shotoku") == 1_000_000
    assert step(result, "hantei.ninzu") == 1
    assert step(result, "hantei.kyuyo_shotokusha_su") == 1  # the head's salary
    assert result["reduction"] == "2割"
    assert step(result, "medical.shotokuwari") == 0
    assert step(result, "medical.kintouwari") == 27_100  # one member only
    # 27,100 × 80% + 24,100 × 80% = 21,680 + 19,280 = 40,960 → 40,900.
    assert result["components"]["medical"] == 40_900

    richer = compute(member(45), head={**head, "income": 1_000_001})
    assert richer["reduction"] is None


def test_the_same_person_as_a_member_is_assessed() -> None:
    as_member = compute(member(50, 1_000_000), member(45))
    assert step(as_member, "medical.shotokuwari") == 570_000 * 75 // 1000
    assert step(as_member, "hantei.ninzu") == 2


def test_a_head_who_moved_to_koki_counts_as_a_member_for_the_judgment() -> None:
    """特定同一世帯所属者 count in 被保険者等の数 (唐津市 A + B, URL above)."""
    head = member(76, 1_000_000, former_member=True)
    result = compute(member(45), head=head)
    assert step(result, "hantei.ninzu") == 2
    assert step(result, "hantei.kijun.5wari") == 430_000 + 310_000 * 2
    assert result["reduction"] == "5割"


def test_former_members_count_for_the_judgment_only() -> None:
    result = compute(member(70, 0), former_members=[member(77, 500_000)])
    assert step(result, "hantei.shotoku") == 500_000
    assert step(result, "hantei.ninzu") == 2
    assert result["reduction"] == "5割"  # 43万 < 50万 ≤ 43万 + 31万 × 2
    assert step(result, "medical.kintouwari") == 27_100


def test_an_undeclared_income_means_no_reduction() -> None:
    """未申告の世帯は軽減されない (rules.md §2.3; 銚子市, URL above)."""
    result = compute(member(45), member(40, declared=False))
    assert result["reduction"] is None
    assert "household.members[1]" in basis(result, "keigen.wari")
    assert not has_step(result, "hantei.shotoku")


# --- reductions of the 均等割 -------------------------------------------------------------------


def test_reduction_touches_kintouwari_and_byodowari_but_not_shotokuwari() -> None:
    result = compute(member(45, 600_000))  # 5割 (≤ 74万)
    assert result["reduction"] == "5割"
    assert step(result, "medical.shotokuwari") == 170_000 * 75 // 1000
    assert step(result, "medical.kintouwari.keigen") == 13_550
    assert step(result, "medical.byodowari.keigen") == 12_050
    assert step(result, "medical.byodowari.gengaku_go") == 12_050


@pytest.mark.parametrize(("age", "preschool"), [(0, True), (5, True), (6, False), (17, False)])
def test_preschool_follows_the_age_on_1_april(age: int, preschool: bool) -> None:
    """未就学児: under 6 on 1 April (地方税法 第703条の5の2; rules.md §2.3): half of the
    均等割 after the 法定軽減 (here 7割: 27,100 → 8,130 → 4,065)."""
    result = compute(member(30), member(age))
    assert result["reduction"] == "7割"
    expected = 8_130 + (4_065 if preschool else 8_130)
    assert step(result, "medical.kintouwari.gengaku_go") == expected
    assert has_step(result, "medical.kintouwari.mishugakuji") is preschool


def test_preschool_without_a_reduction_is_half_the_full_amount() -> None:
    result = compute(member(30, 5_000_000), member(2, preschool=True))
    assert result["reduction"] is None
    assert step(result, "medical.kintouwari.mishugakuji") == 13_550
    assert step(result, "medical.kintouwari.gengaku_go") == 27_100 + 13_550


def test_fractions_of_a_yen_are_kept_until_the_component_is_truncated() -> None:
    """7割 of an odd 均等割 leaves tenths of a yen (1,123 × 30% = 336.9 per member)."""
    rates = {"medical": {"income_rate": 0.05, "per_capita": 1_123, "per_household": 766}}
    result = compute(member(45), member(40), member(3), rates=rates)
    assert result["reduction"] == "7割"
    # 336.9 + 336.9 + 168.45 = 842.25; 平等割 766 × 30% = 229.8; 1,072.05 → 1,000.
    assert step(result, "medical.kintouwari.gengaku_go") == 842
    assert step(result, "medical.gokei") == 1_072
    assert result["components"]["medical"] == 1_000


# --- 子ども・子育て支援納付金分 (from 令和8年度; rules.md §2.2, §2.3) -------------------------


@pytest.mark.parametrize(("age", "pays"), [(0, 0), (17, 0), (18, 1_900), (40, 1_900)])
def test_child_component_kintouwari_is_not_levied_under_18(age: int, pays: int) -> None:
    """Under 18 on 1 April (the first 31 March after turning 18 not yet past): the 被保険者均等割
    is reduced in full; from 18 the 18歳以上被保険者均等割 (+100) is added. 朝霞市
    https://www.city.asaka.lg.jp/soshiki/25/kodomo-kosodade.html ; 棚倉町
    https://www.town.tanagura.fukushima.jp/jumin/jumin-news/page003083.html"""
    adult = member(45, 5_000_000)
    with_member = compute(adult, member(age), rates={"child": ASAKA_CHILD})
    alone = compute(adult, rates={"child": ASAKA_CHILD})
    assert with_member["reduction"] is None
    added = step(with_member, "child.kintouwari.gengaku_go") - step(
        alone, "child.kintouwari.gengaku_go"
    )
    assert added == pays


def test_an_under_18_with_income_still_pays_the_child_shotokuwari() -> None:
    """Only the 均等割 of an under-18 is reduced; their 所得割 is levied like anyone's."""
    result = compute(member(45, 430_000), member(17, 1_430_000), rates={"child": ASAKA_CHILD})
    assert step(result, "child.shotokuwari") == 3_000  # 1,000,000 × 0.3%
    assert step(result, "child.kintouwari.kodomo") > 0


def test_the_adult_per_capita_is_reduced_by_the_legal_reduction_too() -> None:
    """The 18歳以上被保険者均等割 is a 均等割: 7割 of 1,800 + 100 leaves 570."""
    result = compute(member(45), rates={"child": ASAKA_CHILD})
    assert result["reduction"] == "7割"
    assert step(result, "child.kintouwari_18") == 100
    assert step(result, "child.kintouwari.gengaku_go") == 570


# --- 介護納付金分: members of 40 to 64 (介護保険法 第9条第2号) ---------------------------------


def test_care_takes_only_members_of_40_to_64() -> None:
    result = compute(
        member(39, 1_000_000),
        member(40, 2_000_000),
        member(64, 3_000_000),
        member(65, 4_000_000),
    )
    # 算定基礎 of the 40- and the 64-year-old: 1,570,000 + 2,570,000.
    assert step(result, "care.shotokuwari") == (1_570_000 + 2_570_000) * 265 // 10_000
    assert step(result, "care.kintouwari") == 2 * 11_500
    texts = " ".join(result["assumptions"])
    assert "household.members[0]: 4月1日に39歳" in texts
    assert "household.members[2]: 4月1日に64歳" in texts


def test_no_care_without_a_member_of_40_to_64_not_even_its_byodowari() -> None:
    result = compute(member(30, 3_000_000), member(70))
    assert result["components"]["care"] == 0
    assert result["breakdown"]["care"]["levied"] is False
    assert not has_step(result, "care.byodowari")


# --- components and caps ------------------------------------------------------------------------


def test_a_component_left_out_is_not_levied() -> None:
    rates = {c: v for c, v in NATORI[2026].items() if c != "support"}
    result = compute(member(50, 1_202_000), rates=rates)
    assert result["components"]["support"] == 0
    assert result["breakdown"]["support"]["levied"] is False
    assert "rates に support がない" in basis(result, "support")
    assert result["total"] == 109_100 + 41_900


def test_the_cap_applies_after_the_reduction() -> None:
    """地方税法 第703条の5第1項: the amount *after* the 減額 is capped ("減額して得た額が限度額を
    超える場合には、限度額"). Ten members, 2割 (limit 43万 + 57万 × 10 = 613万): 医療分
    5,700,000 × 7.5% + 271,000 × 80% + 24,100 × 80% = 663,580, under 67万 → 663,500. Capping
    first and reducing after would give 670,000 − 59,020 = 610,980."""
    result = compute(member(50, 6_130_000), *[member(30) for _ in range(9)])
    assert result["reduction"] == "2割"
    assert step(result, "medical.gokei") == 663_580
    assert result["components"]["medical"] == 663_500
    assert result["breakdown"]["medical"]["capped"] is False


def test_every_component_is_truncated_separately() -> None:
    """rules.md §0 (Natori vectors): 支援 43,160 → 43,100 and 介護 41,958 → 41,900."""
    result = compute(member(50, 1_202_000))
    assert result["components"]["support"] == 43_100
    assert result["components"]["care"] == 41_900
    assert "100円未満切捨て" in basis(result, "care")


def test_local_exemption_covers_the_age_given_and_not_above() -> None:
    result = compute(
        member(45, 5_000_000), member(18), member(19), local_exemption={"per_capita_max_age": 18}
    )
    assert step(result, "medical.kintouwari.genmen") == 27_100
    assert "members[1]" in basis(result, "medical.kintouwari.genmen")
    assert "members[2]" not in basis(result, "medical.kintouwari.genmen")


def test_adding_a_member_without_income_can_bring_a_reduction() -> None:
    """The limits grow with 被保険者等の数, so one more member without income can move a
    household into 5割 and *lower* its 平等割 and even its total: the law's design, which is
    why the property test adds members with income (test_kokuho_properties)."""
    alone = compute(member(45, 1_000_001))
    assert alone["reduction"] is None
    two = compute(member(45, 1_000_001), member(40))
    assert two["reduction"] == "5割"
    assert two["breakdown"]["medical"]["byodowari"] < alone["breakdown"]["medical"]["byodowari"]
    assert two["total"] < alone["total"]  # 146,100 < 167,600
