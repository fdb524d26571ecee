"""The worked examples of rules.md §1.10, each with its source.

V-JU-1 is an official municipal example (its final 所得割 follow from the steps the page shows);
V-JU-4 is [derived] in rules.md, a regression check rather than an official vector. V-JU-3
(Komatsu, Suzuka) uses the law before 令和3年度 (給与所得 ×80% − 540,000, 年金 − 120万), for
which there is no data file: a historical-law engine is out of scope, so they are not tests.
"""

from __future__ import annotations

import pytest

from kyodo.rules.juminzei import calculate
from tests.rules.juminzei_helpers import compute, household, shotokuwari, step

MITSUKE = "https://www.city.mitsuke.niigata.jp/soshiki/5/2908.html"


def mitsuke(fiscal_year: int) -> dict[str, object]:
    """V-JU-1, 見附市: 給与収入 4,370,000; 国保料 420,000; 旧一般生命保険料 100,000; spouse
    without income (under 70); children of 19 and 16 without income; ordinary city 6% / 4%."""
    return household(
        fiscal_year=fiscal_year,
        salary_income=4_370_000,
        social_insurance=420_000,
        life_insurance={"old_general": 100_000},
        spouse={"age": 40, "income": 0},
        dependents=[{"age": 19, "income": 0}, {"age": 16, "income": 0}],
    )


# The page shows the law of 令和3〜5年度; every figure this household touches is the same in
# 令和7年度 and 令和8年度 (the 令和8年度 reform changes only 給与収入 ≤ 1,900,000 and the income
# limits of relatives, and these relatives have no income).
@pytest.mark.parametrize("fiscal_year", [2025, 2026])
def test_v_ju_1_mitsuke(fiscal_year: int) -> None:
    """Source: 見附市 https://www.city.mitsuke.niigata.jp/soshiki/5/2908.html (rules.md §1.10
    V-JU-1, [src+calc]); 人的控除額の差: https://www.city.mitsuke.niigata.jp/soshiki/5/3049.html"""
    result = calculate(mitsuke(fiscal_year))
    # 4,370,000 floored to 4,368,000 (別表第五), × 80% − 440,000.
    assert step(result, "kyuyo_shotoku") == 3_054_400
    assert step(result, "kojo.shakai_hoken") == 420_000
    assert step(result, "kojo.seimei_hoken") == 35_000
    assert step(result, "kojo.haigusha") == 330_000
    assert step(result, "kojo.fuyo.dependents[0]") == 450_000  # 特定扶養 (19)
    assert step(result, "kojo.fuyo.dependents[1]") == 330_000  # 一般扶養 (16)
    assert step(result, "kojo.kiso") == 430_000
    assert step(result, "kojo.gokei") == 1_995_000
    assert step(result, "kazei_shotoku") == 1_059_000  # 1,059,400 → 1,059,000
    assert step(result, "city.sanshutsu_shotokuwari") == 63_540
    assert step(result, "pref.sanshutsu_shotokuwari") == 42_360
    # 人的控除額の差 = 基礎5 + 配偶者5 + 一般扶養5 + 特定18 = 33万 ≤ 課税所得.
    assert step(result, "chosei_kojo.jinteki_kojo_sa") == 330_000
    assert step(result, "city.chosei_kojo") == 9_900
    assert step(result, "pref.chosei_kojo") == 6_600
    # 63,540 − 9,900 = 53,640 → 53,600; 42,360 − 6,600 = 35,760 → 35,700.
    assert shotokuwari(result) == (53_600, 35_700)
    # 均等割 under 令和6年度以降 law: 3,000 + 1,000 + 森林環境税 1,000.
    assert result["city"]["kintouwari"] == 3_000
    assert result["pref"]["kintouwari"] == 1_000
    assert result["forest_env_tax"] == 1_000
    assert result["total"] == 53_600 + 35_700 + 5_000
    assert result["unconfirmed"] == []


def test_v_ju_4_single_salary_1_100_000_pays_nothing() -> None:
    """rules.md §1.10 V-JU-4 [derived], 令和8年度, 1級地: 給与所得 450,000 ≤ 45万 → 非課税.
    Figures: 給与所得控除 65万 (内子町 https://www.town.uchiko.ehime.jp/soshiki/5/145066.html),
    非課税限度額 45万 (合志市 https://www.city.koshi.lg.jp/kiji00311808/index.html)."""
    result = compute(salary_income=1_100_000)
    assert step(result, "kyuyo_shotoku") == 450_000
    assert result["hikazei"]["kintouwari"] is True
    assert (result["city"], result["pref"]) == (
        {"shotokuwari": 0, "kintouwari": 0},
        {"shotokuwari": 0, "kintouwari": 0},
    )
    assert result["forest_env_tax"] == 0
    assert result["total"] == 0


def test_v_ju_4_single_salary_1_230_000_pays_17_500() -> None:
    """rules.md §1.10 V-JU-4 [derived], 令和8年度, ordinary city, standard rates: 給与所得
    580,000; 課税所得 150,000; 市 9,000 − 1,500 = 7,500; 県 6,000 − 1,000 = 5,000; 均等割
    3,000 + 1,000 + 森林環境税 1,000; total 17,500."""
    result = compute(salary_income=1_230_000)
    assert step(result, "kyuyo_shotoku") == 580_000
    assert step(result, "kazei_shotoku") == 150_000
    assert step(result, "city.sanshutsu_shotokuwari") == 9_000
    assert step(result, "pref.sanshutsu_shotokuwari") == 6_000
    assert step(result, "city.chosei_kojo") == 1_500
    assert step(result, "pref.chosei_kojo") == 1_000
    assert shotokuwari(result) == (7_500, 5_000)
    assert result["total"] == 17_500
