"""個人住民税 rule by rule, at the edges of each band. Each test cites the figure's source; the
amounts follow from the statute's tables (not from any one household's example)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.rules.juminzei_helpers import (
    DESIGNATED_CITY,
    ORDINARY_CITY,
    basis,
    compute,
    has_step,
    shotokuwari,
    step,
)

# --- 給与所得 (所得税法 別表第五, 第28条第3項) --------------------------------------------------

# 令和8年度: 大和郡山市 https://www.city.yamatokoriyama.lg.jp/soshiki/zeimuka/zeikin/3/12252.html ;
# 内子町 https://www.town.uchiko.ehime.jp/soshiki/5/145066.html (最低保障 65万).
KYUYO_2026 = [
    (650_999, 0),
    (651_000, 1_000),
    (1_100_000, 450_000),
    (1_230_000, 580_000),
    (1_899_999, 1_249_999),
    (1_900_000, 1_250_000),
    (1_903_999, 1_250_000),  # 4,000円刻み (別表第五)
    (1_904_000, 1_252_800),
    (3_599_999, 2_437_200),  # 3,596,000 × 70% − 80,000
    (3_600_000, 2_440_000),
    (6_599_999, 4_836_800),  # 6,596,000 × 80% − 440,000
    (6_600_000, 4_840_000),
    (6_600_005, 4_840_004),  # × 90% − 1,100,000, 1円未満切捨て
    (8_499_999, 6_549_999),
    (8_500_000, 6_550_000),
    (10_000_000, 8_050_000),
]

# 令和7年度 (改正前の別表第五): the same 大和郡山市 page gives the old table; OpenFisca-Japan's
# tests (citing https://www.nta.go.jp/taxes/shiraberu/taxanswer/shotoku/1410.htm) give
# 1,625,000 → 1,074,000 and 1,800,000 → 1,180,000.
KYUYO_2025 = [
    (550_999, 0),
    (551_000, 1_000),
    (1_100_000, 550_000),
    (1_618_999, 1_068_999),
    (1_619_000, 1_069_000),
    (1_620_000, 1_070_000),
    (1_622_000, 1_072_000),
    (1_625_000, 1_074_000),
    (1_628_000, 1_076_800),  # 1,628,000 × 60% + 100,000
    (1_800_000, 1_180_000),
    (3_600_000, 2_440_000),
]


@pytest.mark.parametrize(("salary", "expected"), KYUYO_2026)
def test_kyuyo_shotoku_2026(salary: int, expected: int) -> None:
    assert step(compute(salary_income=salary), "kyuyo_shotoku") == expected


@pytest.mark.parametrize(("salary", "expected"), KYUYO_2025)
def test_kyuyo_shotoku_2025(salary: int, expected: int) -> None:
    assert step(compute(fiscal_year=2025, salary_income=salary), "kyuyo_shotoku") == expected


def test_the_salary_floor_is_data_not_code() -> None:
    """The same salary in two fiscal years: 最低保障 55万 (令和7年度) → 65万 (令和8年度), read
    from juminzei/2025.json and 2026.json (rules.md §1.2)."""
    assert step(compute(fiscal_year=2025, salary_income=1_000_000), "kyuyo_shotoku") == 450_000
    assert step(compute(fiscal_year=2026, salary_income=1_000_000), "kyuyo_shotoku") == 350_000
    # 給与収入 1,030,000 alone: taxed (均等割) under 令和7年度 law, nothing under 令和8年度.
    assert compute(fiscal_year=2025, salary_income=1_030_000)["total"] > 0
    assert compute(fiscal_year=2026, salary_income=1_030_000)["total"] == 0


def test_the_uncertain_4000_yen_steps_of_1_9m_to_3_6m_are_flagged() -> None:
    """rules.md §12.4: the steps in this band are not verified against the amended statute."""
    inside = compute(salary_income=2_000_000)
    assert inside["unconfirmed"] == ["kyuyo_shotoku[1900000-3599999]"]
    assert "未確認の数値: kyuyo_shotoku[1900000-3599999]" in basis(inside, "kyuyo_kojogo")
    assert compute(salary_income=3_600_000)["unconfirmed"] == []
    assert compute(salary_income=1_899_999)["unconfirmed"] == []


# --- 公的年金等に係る雑所得 (所得税法 第35条第4項; 愛西市
# https://www.city.aisai.lg.jp/contents_detail.php?co=cat&frmId=10931&frmCd=3-30-9-3-0) --------


@pytest.mark.parametrize(
    ("age", "pension", "other", "expected"),
    [
        (65, 1_100_000, 0, 0),
        (65, 1_100_001, 0, 1),
        (64, 600_000, 0, 0),
        (64, 600_001, 0, 1),
        (64, 1_300_000, 0, 700_000),  # 1,300,000 × 75% − 275,000
        (65, 3_300_000, 0, 2_200_000),
        (65, 3_156_234, 0, 2_056_234),
        (64, 3_156_234, 0, 2_092_175),  # × 75% − 275,000 = 2,092,175.5 → 1円未満切捨て
        (70, 5_000_000, 0, 3_565_000),  # × 85% − 685,000
        (70, 8_000_000, 0, 6_145_000),  # × 95% − 1,455,000
        (70, 12_000_000, 0, 10_045_000),  # − 1,955,000
        # 公的年金等以外の合計所得が1,000万円超 → 控除が10万円少ない; 2,000万円超 → 20万円.
        (70, 2_000_000, 10_000_000, 900_000),
        (70, 2_000_000, 10_000_001, 1_000_000),
        (70, 2_000_000, 20_000_001, 1_100_000),
    ],
)
def test_nenkin_zatsu_shotoku(age: int, pension: int, other: int, expected: int) -> None:
    result = compute(age=age, pension_income=pension, other_income=other)
    assert step(result, "nenkin_zatsu_shotoku") == expected


# --- 所得金額調整控除 (租税特別措置法 第41条の3の3; rules.md §1.2 [memory] → unconfirmed) ----


def test_chosei_kyuyo_and_nenkin() -> None:
    # 67歳, 給与 2,000,000 (→ 1,320,000) and 年金 2,000,000 (→ 900,000):
    # min(1,320,000, 10万) + min(900,000, 10万) − 10万 = 100,000.
    result = compute(age=67, salary_income=2_000_000, pension_income=2_000_000)
    assert step(result, "shotoku_chosei.nenkin") == 100_000
    assert step(result, "kyuyo_shotoku") == 1_220_000
    assert step(result, "gokei_shotoku") == 2_120_000
    assert "shotoku_chosei.nenkin" in result["unconfirmed"]
    # A small salary: min(50,000, 10万) + 10万 − 10万.
    small = compute(age=67, salary_income=700_000, pension_income=2_000_000)
    assert step(small, "shotoku_chosei.nenkin") == 50_000
    assert step(small, "kyuyo_shotoku") == 0


@pytest.mark.parametrize(
    ("salary", "dependents", "expected"),
    [
        (9_000_000, [{"age": 10, "income": 0}], 50_000),
        (12_000_000, [{"age": 22, "income": 0}], 150_000),  # 収入は1,000万円が上限
        (9_000_000, [{"age": 23, "income": 0}], 0),  # 23歳未満ではない
        (9_000_000, [{"age": 10, "income": 600_000}], 0),  # 扶養親族ではない
        (9_000_000, [{"age": 40, "income": 0, "disability": "special"}], 50_000),
        (8_500_000, [{"age": 10, "income": 0}], 0),  # 850万円超が条件
        (9_000_005, [{"age": 10, "income": 0}], 50_001),  # 50,000.5 → 切上げ
    ],
)
def test_chosei_kodomo(salary: int, dependents: list[dict[str, Any]], expected: int) -> None:
    result = compute(salary_income=salary, dependents=dependents)
    assert step(result, "shotoku_chosei.kodomo") == expected
    assert ("shotoku_chosei.kodomo" in result["unconfirmed"]) == (expected > 0)
    assert ("shotoku_chosei.kodomo_rounding" in result["unconfirmed"]) == (salary == 9_000_005)


def test_chosei_kodomo_for_a_special_disabled_taxpayer_or_spouse() -> None:
    assert (
        step(compute(salary_income=9_500_000, disability="special"), "shotoku_chosei.kodomo")
        == 100_000
    )
    spouse = {"age": 50, "income": 0, "disability": "special_cohabiting"}
    assert step(compute(salary_income=9_500_000, spouse=spouse), "shotoku_chosei.kodomo") == 100_000
    assert (
        step(compute(salary_income=9_500_000, disability="general"), "shotoku_chosei.kodomo") == 0
    )


# --- 基礎控除 (地方税法 第314条の2第2項; 寄居町
# https://www.town.yorii.saitama.jp/soshiki/04/r8-tyouken-zeikaisei.html: 住民税は43万円のまま) ----


@pytest.mark.parametrize(
    ("income", "expected", "flag"),
    [
        (24_000_000, 430_000, None),
        (24_000_001, 290_000, "kiso_kojo[24000001-24500000]"),
        (24_500_000, 290_000, "kiso_kojo[24000001-24500000]"),
        (24_500_001, 150_000, "kiso_kojo[24500001-25000000]"),
        (25_000_000, 150_000, "kiso_kojo[24500001-25000000]"),
        (25_000_001, 0, "kiso_kojo[25000001-]"),
    ],
)
def test_kiso_kojo_steps(income: int, expected: int, flag: str | None) -> None:
    result = compute(other_income=income, social_insurance=3_000_000)
    assert step(result, "kojo.kiso") == expected
    flagged = [u for u in result["unconfirmed"] if u.startswith("kiso_kojo")]
    assert flagged == ([flag] if flag else [])


# --- 配偶者控除・配偶者特別控除 (地方税法 第314条の2; 京丹波町
# https://www.town.kyotamba.kyoto.jp/kurashi_tetsuzuki/zeikin/machifuminzei/4001.html ;
# 58万円: 内子町 https://www.town.uchiko.ehime.jp/soshiki/5/145066.html) -----------------------


@pytest.mark.parametrize(
    ("spouse_income", "step_id", "expected"),
    [
        (0, "kojo.haigusha", 330_000),
        (580_000, "kojo.haigusha", 330_000),
        (580_001, "kojo.haigusha_tokubetsu", 330_000),
        (1_000_000, "kojo.haigusha_tokubetsu", 330_000),
        (1_000_001, "kojo.haigusha_tokubetsu", 310_000),
        (1_050_001, "kojo.haigusha_tokubetsu", 260_000),
        (1_100_001, "kojo.haigusha_tokubetsu", 210_000),
        (1_150_001, "kojo.haigusha_tokubetsu", 160_000),
        (1_200_001, "kojo.haigusha_tokubetsu", 110_000),
        (1_250_001, "kojo.haigusha_tokubetsu", 60_000),
        (1_300_001, "kojo.haigusha_tokubetsu", 30_000),
        (1_330_000, "kojo.haigusha_tokubetsu", 30_000),
        (1_330_001, "kojo.haigusha_tokubetsu", 0),
    ],
)
def test_haigusha_bands(spouse_income: int, step_id: str, expected: int) -> None:
    result = compute(salary_income=5_000_000, spouse={"age": 40, "income": spouse_income})
    assert step(result, step_id) == expected
    # The bands above 58万 are assumed unchanged from 令和7年度 (rules.md §1.5 [UNCERTAIN]).
    assert ("haigusha_tokubetsu_kojo" in result["unconfirmed"]) == (spouse_income > 580_000)


@pytest.mark.parametrize(
    ("taxpayer_income", "general", "elderly", "tokubetsu_at_1_1m"),
    [
        (9_000_000, 330_000, 380_000, 260_000),
        (9_000_001, 220_000, 260_000, 180_000),
        (9_500_000, 220_000, 260_000, 180_000),
        (9_500_001, 110_000, 130_000, 90_000),
        (10_000_000, 110_000, 130_000, 90_000),
        (10_000_001, 0, 0, 0),
    ],
)
def test_haigusha_by_the_taxpayers_income(
    taxpayer_income: int, general: int, elderly: int, tokubetsu_at_1_1m: int
) -> None:
    def spouse_deduction(spouse: dict[str, int], step_id: str) -> int:
        return step(compute(other_income=taxpayer_income, spouse=spouse), step_id)

    assert spouse_deduction({"age": 69, "income": 0}, "kojo.haigusha") == general
    assert spouse_deduction({"age": 70, "income": 0}, "kojo.haigusha") == elderly
    assert spouse_deduction({"age": 40, "income": 1_100_000}, "kojo.haigusha_tokubetsu") == (
        tokubetsu_at_1_1m
    )


def test_the_spouse_income_limit_moved_from_48_to_58_man() -> None:
    """rules.md §1.3 [src]: 同一生計配偶者 48万 → 58万, 配偶者特別控除 from 58万超 in 令和8年度."""
    spouse = {"age": 40, "income": 500_000}
    assert (
        step(
            compute(fiscal_year=2025, salary_income=5_000_000, spouse=spouse),
            "kojo.haigusha_tokubetsu",
        )
        == 330_000
    )
    assert (
        step(compute(fiscal_year=2026, salary_income=5_000_000, spouse=spouse), "kojo.haigusha")
        == 330_000
    )


# --- 扶養控除, 特定親族特別控除 (地方税法 第314条の2;
# 瑞穂市 https://www.city.mizuho.lg.jp/1785.htm ;
# 特定親族: 三郷町 https://www.town.sango.nara.jp/soshiki/5/12807.html ,
# 筑前町 https://www.town.chikuzen.fukuoka.jp/S009/170/010/190/20251217130617.html) -------------


@pytest.mark.parametrize(
    ("dependant", "step_id", "expected"),
    [
        ({"age": 15, "income": 0}, "kojo.fuyo.dependents[0]", 0),
        ({"age": 16, "income": 0}, "kojo.fuyo.dependents[0]", 330_000),
        ({"age": 18, "income": 0}, "kojo.fuyo.dependents[0]", 330_000),
        ({"age": 19, "income": 0}, "kojo.fuyo.dependents[0]", 450_000),
        ({"age": 22, "income": 580_000}, "kojo.fuyo.dependents[0]", 450_000),
        ({"age": 23, "income": 0}, "kojo.fuyo.dependents[0]", 330_000),
        ({"age": 69, "income": 0}, "kojo.fuyo.dependents[0]", 330_000),
        ({"age": 70, "income": 0}, "kojo.fuyo.dependents[0]", 380_000),
        ({"age": 70, "income": 0, "cohabiting_parent": True}, "kojo.fuyo.dependents[0]", 450_000),
        ({"age": 69, "income": 0, "cohabiting_parent": True}, "kojo.fuyo.dependents[0]", 330_000),
        ({"age": 40, "income": 580_001}, "kojo.fuyo.dependents[0]", 0),
        # 特定親族特別控除: 19〜22歳で合計所得 58万円超 123万円以下.
        ({"age": 20, "income": 580_001}, "kojo.tokutei_shinzoku.dependents[0]", 450_000),
        ({"age": 20, "income": 950_000}, "kojo.tokutei_shinzoku.dependents[0]", 450_000),
        ({"age": 20, "income": 950_001}, "kojo.tokutei_shinzoku.dependents[0]", 410_000),
        ({"age": 20, "income": 1_000_001}, "kojo.tokutei_shinzoku.dependents[0]", 310_000),
        ({"age": 20, "income": 1_050_001}, "kojo.tokutei_shinzoku.dependents[0]", 210_000),
        ({"age": 20, "income": 1_100_001}, "kojo.tokutei_shinzoku.dependents[0]", 110_000),
        ({"age": 20, "income": 1_150_001}, "kojo.tokutei_shinzoku.dependents[0]", 60_000),
        ({"age": 19, "income": 1_230_000}, "kojo.tokutei_shinzoku.dependents[0]", 30_000),
        ({"age": 22, "income": 1_230_001}, "kojo.tokutei_shinzoku.dependents[0]", 0),
    ],
)
def test_fuyo_and_tokutei_shinzoku(dependant: dict[str, Any], step_id: str, expected: int) -> None:
    result = compute(salary_income=5_000_000, dependents=[dependant])
    assert step(result, step_id) == expected


def test_tokutei_shinzoku_does_not_exist_before_2026() -> None:
    dependant = {"age": 20, "income": 800_000}
    assert (
        step(
            compute(fiscal_year=2025, salary_income=5_000_000, dependents=[dependant]),
            "kojo.tokutei_shinzoku.dependents[0]",
        )
        == 0
    )
    assert (
        step(
            compute(fiscal_year=2026, salary_income=5_000_000, dependents=[dependant]),
            "kojo.tokutei_shinzoku.dependents[0]",
        )
        == 450_000
    )


# --- 障害者・寡婦・ひとり親・勤労学生 (瑞穂市 https://www.city.mizuho.lg.jp/1785.htm) ---


def test_shogaisha_kojo_for_each_person() -> None:
    result = compute(
        salary_income=5_000_000,
        disability="general",
        spouse={"age": 40, "income": 0, "disability": "special"},
        dependents=[
            {"age": 10, "income": 0, "disability": "special_cohabiting"},
            {"age": 30, "income": 900_000, "disability": "general"},  # not a 扶養親族
        ],
    )
    assert step(result, "kojo.shogaisha.taxpayer") == 260_000
    assert step(result, "kojo.shogaisha.spouse") == 300_000
    assert step(result, "kojo.shogaisha.dependents[0]") == 530_000
    assert not has_step(result, "kojo.shogaisha.dependents[1]")


@pytest.mark.parametrize(
    ("flags", "step_id", "amount"),
    [({"widow": True}, "kojo.kafu", 260_000), ({"single_parent": True}, "kojo.hitorioya", 300_000)],
)
def test_kafu_and_hitorioya_income_limit(flags: dict[str, bool], step_id: str, amount: int) -> None:
    # 合計所得 500万円以下 (地方税法 第292条第1項; 瑞穂市).
    assert step(compute(other_income=5_000_000, **flags), step_id) == amount
    assert step(compute(other_income=5_000_001, **flags), step_id) == 0


def test_kinro_gakusei_limit_is_85_man_from_2026() -> None:
    # 勤労学生 75万 → 85万 (rules.md §1.3 [src], 内子町).
    assert (
        step(compute(other_income=850_000, working_student=True), "kojo.kinro_gakusei") == 260_000
    )
    assert step(compute(other_income=850_001, working_student=True), "kojo.kinro_gakusei") == 0
    assert (
        step(
            compute(fiscal_year=2025, other_income=800_000, working_student=True),
            "kojo.kinro_gakusei",
        )
        == 0
    )


# --- 生命保険料控除 (住民税; 相模原市
# https://www-host.city.sagamihara.kanagawa.jp/kurashi/1026448/zeikin/1026477/jyuminzei_kojin/1007716.html)


@pytest.mark.parametrize(
    ("premiums", "expected", "unconfirmed"),
    [
        ({"old_general": 15_000}, 15_000, []),
        ({"old_general": 40_000}, 27_500, []),  # ×1/2 + 7,500
        ({"old_general": 70_000}, 35_000, []),  # ×1/4 + 17,500
        ({"old_general": 70_001}, 35_000, []),
        ({"new_general": 12_000}, 12_000, []),
        ({"new_general": 32_000}, 22_000, []),  # ×1/2 + 6,000
        ({"new_general": 56_000}, 28_000, []),  # ×1/4 + 14,000
        ({"new_general": 100_000}, 28_000, []),
        ({"old_general": 15_001}, 15_001, ["seimei_hoken.rounding"]),  # 15,000.5 → 切上げ
        # 35,000 + 28,000 + 28,000 → 上限 70,000 (相模原市).
        ({"old_general": 100_000, "new_pension": 100_000, "care_medical": 100_000}, 70_000, []),
        # 同じ区分に新旧両方: max(旧のみ 35,000, min(旧 + 新, 28,000)).
        ({"old_general": 100_000, "new_general": 100_000}, 35_000, ["seimei_hoken.mixed_cap"]),
        ({"old_general": 10_000, "new_general": 10_000}, 20_000, ["seimei_hoken.mixed_cap"]),
        ({"old_general": 20_000, "new_general": 30_000}, 28_000, ["seimei_hoken.mixed_cap"]),
    ],
)
def test_seimei_hoken(premiums: dict[str, int], expected: int, unconfirmed: list[str]) -> None:
    result = compute(salary_income=5_000_000, life_insurance=premiums)
    assert step(result, "kojo.seimei_hoken") == expected
    assert result["unconfirmed"] == unconfirmed


# --- 課税標準と税額の端数 (地方税法 第20条の4の2) -------------------------------------------------


def test_truncations() -> None:
    result = compute(other_income=1_234_567)
    assert step(result, "kazei_shotoku.before") == 804_567
    assert step(result, "kazei_shotoku") == 804_000
    city, pref = shotokuwari(result)
    # 804,000 × 6% = 48,240 − 1,500 = 46,740 → 46,700; × 4% = 32,160 − 1,000 = 31,160 → 31,100.
    assert (city, pref) == (46_700, 31_100)


def test_excess_rates_with_fractions_truncate_once_at_the_end() -> None:
    """超過課税 2.025% (神奈川県, rules.md §1.1): 804,000 × 2.025% = 16,281; − 1,000 → 15,200."""
    municipality = {**ORDINARY_CITY, "pref_rate": 0.02025, "pref_kintouwari": 1_300}
    result = compute(other_income=1_234_567, municipality=municipality)
    assert step(result, "pref.sanshutsu_shotokuwari") == 16_281
    assert result["pref"] == {"shotokuwari": 15_200, "kintouwari": 1_300}


# --- 調整控除 (地方税法 第37条, 第314条の6;
# 郡山市 https://www.city.koriyama.lg.jp/soshiki/30/5211.html) ---


def test_chosei_kojo_up_to_2_million_is_5_percent_of_the_smaller() -> None:
    # 課税 440,000 ≤ 200万, 差 = 基礎 5万 + 配偶者 5万 = 10万 → 5% × min(10万, 44万).
    result = compute(other_income=1_200_000, spouse={"age": 40, "income": 0})
    assert step(result, "kazei_shotoku") == 440_000
    assert step(result, "chosei_kojo.jinteki_kojo_sa") == 100_000
    assert (step(result, "city.chosei_kojo"), step(result, "pref.chosei_kojo")) == (3_000, 2_000)
    # 課税 30,000 < 差 5万 → 5% × 30,000.
    small = compute(other_income=460_000)
    assert step(small, "kazei_shotoku") == 30_000
    assert (step(small, "city.chosei_kojo"), step(small, "pref.chosei_kojo")) == (900, 600)


def test_chosei_kojo_above_2_million() -> None:
    # 課税 2,100,000, 差 33万 (Mitsuke's household): max(330,000 − 100,000, 50,000) = 230,000.
    household: dict[str, Any] = {
        "social_insurance": 0,
        "spouse": {"age": 40, "income": 0},
        "dependents": [{"age": 19, "income": 0}, {"age": 16, "income": 0}],
    }
    result = compute(other_income=3_640_000, **household)
    assert step(result, "kazei_shotoku") == 2_100_000
    assert step(result, "chosei_kojo.kijun") == 230_000
    assert (step(result, "city.chosei_kojo"), step(result, "pref.chosei_kojo")) == (6_900, 4_600)
    # Far above: the 5万 minimum, i.e. 2,500 yen (市 1,500, 県 1,000).
    rich = compute(other_income=10_000_000)
    assert (step(rich, "city.chosei_kojo"), step(rich, "pref.chosei_kojo")) == (1_500, 1_000)


def test_no_chosei_kojo_above_25_million() -> None:
    result = compute(other_income=25_000_001, social_insurance=5_000_000)
    assert (step(result, "city.chosei_kojo"), step(result, "pref.chosei_kojo")) == (0, 0)
    assert not has_step(result, "chosei_kojo.jinteki_kojo_sa")


def test_haigusha_tokubetsu_difference_by_year() -> None:
    """令和7年度: spouse 48万超〜50万未満 → 差 5万 (瑞穂市 https://www.city.mizuho.lg.jp/1785.htm).
    令和8年度: those rows are kept as the statute's last known text, so a spouse over 58万 has no
    差; whether they moved is [UNCERTAIN] (rules.md §12.3), hence flagged."""
    spouse = {"age": 40, "income": 490_000}
    income: dict[str, int] = {"other_income": 3_000_000, "social_insurance": 1_000_000}
    before = compute(fiscal_year=2025, spouse=spouse, **income)
    assert step(before, "chosei_kojo.jinteki_kojo_sa") == 100_000  # 基礎 5万 + 配偶者特別 5万
    assert before["unconfirmed"] == []
    after = compute(spouse={"age": 40, "income": 590_000}, **income)
    assert step(after, "chosei_kojo.jinteki_kojo_sa") == 50_000
    assert "chosei_kojo.sa_haigusha_tokubetsu" in after["unconfirmed"]
    # In 令和8年度 a spouse of 49万 is a 同一生計配偶者: 配偶者控除 and its 差 5万, confirmed.
    now = compute(spouse=spouse, **income)
    assert step(now, "chosei_kojo.jinteki_kojo_sa") == 100_000
    assert now["unconfirmed"] == []


def test_tokutei_shinzoku_difference_is_assumed_zero_and_flagged() -> None:
    result = compute(other_income=3_000_000, dependents=[{"age": 20, "income": 800_000}])
    assert step(result, "chosei_kojo.jinteki_kojo_sa") == 50_000
    assert "chosei_kojo.sa_tokutei_shinzoku" in result["unconfirmed"]


@pytest.mark.parametrize(("sex", "difference"), [("F", 100_000), ("M", 60_000), (None, 100_000)])
def test_hitorioya_difference_depends_on_the_parent(sex: str | None, difference: int) -> None:
    # 差: 基礎 5万 + ひとり親 母 5万 / 父 1万 (rules.md §1.6, 瑞穂市).
    result = compute(other_income=1_500_000, single_parent=True, sex=sex)
    assert step(result, "chosei_kojo.jinteki_kojo_sa") == difference
    assert bool(result["assumptions"]) == (sex is None)


def test_designated_city_splits_the_credit_4_to_1() -> None:
    """指定都市: 8% / 2% and 調整控除 4% / 1% (地方税法 第314条の3, 第314条の6; 相模原市). On
    Mitsuke's household: 1,059,000 × 8% − 330,000 × 4% = 71,520 → 71,500; × 2% − 1% = 17,880
    → 17,800; together the same 10% less 5% as in an ordinary city."""
    result = compute(
        municipality=DESIGNATED_CITY,
        salary_income=4_370_000,
        social_insurance=420_000,
        life_insurance={"old_general": 100_000},
        spouse={"age": 40, "income": 0},
        dependents=[{"age": 19, "income": 0}, {"age": 16, "income": 0}],
    )
    assert (step(result, "city.chosei_kojo"), step(result, "pref.chosei_kojo")) == (13_200, 3_300)
    assert shotokuwari(result) == (71_500, 17_800)


# --- 非課税 (地方税法 第24条の5, 第295条, 附則第3条の3; 合志市
# https://www.city.koshi.lg.jp/kiji00311808/index.html ;
# LIMO https://limo.media/articles/-/46074?page=2) ---


KINTOUWARI_LIMITS = [
    # (級地, persons, 均等割 非課税限度額)
    (1, 1, 450_000),
    (1, 2, 1_010_000),  # 350,000 × 2 + 100,000 + 210,000
    (1, 3, 1_360_000),
    (2, 1, 415_000),
    (2, 2, 919_000),  # 315,000 × 2 + 100,000 + 189,000
    (2, 4, 1_549_000),
    (3, 1, 380_000),
    (3, 2, 828_000),  # 280,000 × 2 + 100,000 + 168,000
    (3, 3, 1_108_000),
]


def _family(persons: int) -> dict[str, Any]:
    """persons − 1 relatives: a spouse first, then small children."""
    family: dict[str, Any] = {}
    if persons > 1:
        family["spouse"] = {"age": 40, "income": 0}
    family["dependents"] = [{"age": 5, "income": 0}] * max(0, persons - 2)
    return family


@pytest.mark.parametrize(("kyuchi", "persons", "limit"), KINTOUWARI_LIMITS)
def test_kintouwari_hikazei_by_kyuchi_and_household_size(
    kyuchi: int, persons: int, limit: int
) -> None:
    municipality = {**ORDINARY_CITY, "kyuchi": kyuchi}
    at = compute(municipality=municipality, other_income=limit, **_family(persons))
    assert step(at, "hikazei.ninzu") == persons
    assert step(at, "hikazei.kintouwari") == limit
    assert at["hikazei"]["kintouwari"] is True
    assert at["total"] == 0
    above = compute(municipality=municipality, other_income=limit + 1, **_family(persons))
    assert above["hikazei"]["kintouwari"] is False
    assert (above["city"]["kintouwari"], above["pref"]["kintouwari"]) == (3_000, 1_000)
    assert above["forest_env_tax"] == 1_000


@pytest.mark.parametrize(("persons", "limit"), [(1, 450_000), (2, 1_120_000), (3, 1_470_000)])
def test_shotokuwari_hikazei_is_the_same_in_every_kyuchi(persons: int, limit: int) -> None:
    for kyuchi in (1, 2, 3):
        municipality = {**ORDINARY_CITY, "kyuchi": kyuchi}
        at = compute(municipality=municipality, other_income=limit, **_family(persons))
        assert at["hikazei"]["shotokuwari"] is True
        assert shotokuwari(at) == (0, 0)
        above = compute(municipality=municipality, other_income=limit + 1, **_family(persons))
        assert above["hikazei"]["shotokuwari"] is False


def test_kintouwari_only_between_the_two_limits() -> None:
    # 2級地 single: 均等割 above 415,000, 所得割 only above 450,000.
    result = compute(municipality={**ORDINARY_CITY, "kyuchi": 2}, other_income=430_000)
    assert result["hikazei"] == {
        "kintouwari": False,
        "shotokuwari": True,
        "reason": "総所得金額等が所得割の非課税限度額以下",
    }
    assert result["total"] == 3_000 + 1_000 + 1_000


def test_a_relative_above_the_income_limit_does_not_count() -> None:
    result = compute(other_income=1_000_000, dependents=[{"age": 30, "income": 580_001}])
    assert step(result, "hikazei.ninzu") == 1


@pytest.mark.parametrize(
    "status",
    [{"disability": "general"}, {"age": 17}, {"widow": True}, {"single_parent": True}],
)
def test_135_man_rule(status: dict[str, Any]) -> None:
    # 障害者・未成年者・寡婦・ひとり親: 合計所得 135万円以下なら均等割も所得割もかからない.
    at = compute(other_income=1_350_000, **status)
    assert at["total"] == 0
    assert at["hikazei"]["reason"].endswith("合計所得金額が1,350,000円以下")
    above = compute(other_income=1_350_001, **status)
    assert above["total"] > 0
    assert above["hikazei"]["kintouwari"] is False


def test_age_18_is_not_a_minor() -> None:
    assert compute(other_income=1_000_000, age=18)["total"] > 0


def test_seikatsu_fujo() -> None:
    result = compute(other_income=5_000_000, public_assistance=True)
    assert result["total"] == 0
    assert result["hikazei"]["reason"] == "生活扶助を受けている"


# --- 所得割の非課税限度額を少し超える者の調整 (附則第3条の3, from memory → unconfirmed) ---


def test_shotokuwari_just_above_its_limit_is_capped_and_flagged() -> None:
    # Spouse without income: 限度額 350,000 × 2 + 100,000 + 320,000 = 1,120,000. 給与 2,000,000
    # → 1,320,000 (excess 200,000); 課税 560,000: 市 33,600 − 3,000 = 30,600 > 200,000 × 6%.
    result = compute(salary_income=2_000_000, spouse={"age": 40, "income": 0})
    assert step(result, "city.shotokuwari_cap") == 12_000
    assert step(result, "pref.shotokuwari_cap") == 8_000
    assert shotokuwari(result) == (12_000, 8_000)
    assert "hikazei.shotokuwari_cap" in result["unconfirmed"]
    assert "未確認の数値: hikazei.shotokuwari_cap" in basis(result, "city.shotokuwari_cap")


def test_the_cap_is_not_reported_where_it_does_not_bind() -> None:
    result = compute(salary_income=5_000_000, social_insurance=700_000)
    assert not has_step(result, "city.shotokuwari_cap")
    assert "hikazei.shotokuwari_cap" not in result["unconfirmed"]


# --- 森林環境税 and the result's shape ---------------------------------------------------------


def test_forest_env_tax_follows_kintouwari() -> None:
    assert compute(other_income=450_000)["forest_env_tax"] == 0
    assert compute(other_income=450_001)["forest_env_tax"] == 1_000


def test_result_shape_and_step_ids_are_unique() -> None:
    result = compute(
        salary_income=6_000_000,
        pension_income=0,
        spouse={"age": 72, "income": 700_000},
        dependents=[
            {"age": 20, "income": 0},
            {"age": 12, "income": 0},
            {"age": 80, "income": 0, "cohabiting_parent": True},
        ],
    )
    assert set(result) == {
        "fiscal_year",
        "city",
        "pref",
        "forest_env_tax",
        "total",
        "hikazei",
        "unconfirmed",
        "assumptions",
        "law",
        "steps",
    }
    ids = [s["id"] for s in result["steps"]]
    assert len(ids) == len(set(ids))
    for s in result["steps"]:
        assert set(s) == {"item", "id", "value", "basis"}
        assert type(s["value"]) is int
    assert result["law"]["data"] == "kyodo/rules/data/juminzei/2026.json"
    assert result["total"] == (
        sum(result["city"].values()) + sum(result["pref"].values()) + result["forest_env_tax"]
    )
