"""The worked examples of rules.md §2.5 (国保), each with its source, and the 課税限度額 of §2.2.

rules.md gives no URL for the 名取市 page behind V-NHI-1; the vector is tagged [src+calc] there
(inputs and outputs read on the page, arithmetic re-run) and the rates are in §2.4.
"""

from __future__ import annotations

from typing import Any

import pytest

from kyodo.rules.kokuho import calculate
from tests.rules.kokuho_helpers import ASAKA_CHILD, NATORI, compute, household, member, step

NAMEGAWA_URL = "https://www.town.namegawa.saitama.jp/soshikikarasagasu/zeimuka/zeikin/3/4752.html"
KIYAMA_URL = "https://www.town.kiyama.lg.jp/kiji0032664/index.html"


# --- V-NHI-1: 名取市, one member aged 40–64, 所得 1,202,000 -----------------------------------


def test_v_nhi_1_natori_r7() -> None:
    """rules.md §2.5 V-NHI-1 (名取市, 令和7年度, [src+calc]; rates §2.4): 所得割 base 772,000;
    医療 57,900 + 26,600 + 23,000 = 107,500; 支援 23,160 + 10,500 + 8,000 = 41,660 → 41,600;
    介護 19,300 + 10,500 + 7,000 = 36,800; total 185,900. No 軽減: the 2割 limit for one member
    is 43万 + 56万 = 99万 < 120.2万."""
    result = compute(member(50, 1_202_000), fiscal_year=2025)
    assert step(result, "shotokuwari_kiso.members[0]") == 772_000
    assert step(result, "medical.shotokuwari") == 57_900
    assert step(result, "support.shotokuwari") == 23_160
    assert step(result, "care.shotokuwari") == 19_300
    assert step(result, "hantei.kijun.2wari") == 990_000
    assert result["reduction"] is None
    assert result["components"] == {
        "medical": 107_500,
        "support": 41_600,
        "care": 36_800,
        "child": 0,
    }
    assert result["total"] == 185_900
    assert result["unconfirmed"] == []


def test_v_nhi_1_natori_r8_without_the_child_component() -> None:
    """rules.md §2.5 V-NHI-1 (名取市, 令和8年度 excluding 子ども分, [src+calc]): 医療 57,900 +
    27,100 + 24,100 = 109,100; 支援 23,160 + 11,000 + 9,000 = 43,160 → 43,100; 介護
    772,000 × 2.65% = 20,458 + 11,500 + 10,000 = 41,958 → 41,900; total 194,100.

    Truncating per component is what makes 194,100: the total of the untruncated amounts,
    194,218, would give 194,200 (rules.md §0)."""
    result = compute(member(50, 1_202_000), fiscal_year=2026)
    assert step(result, "care.shotokuwari") == 20_458
    assert step(result, "support.gokei") == 43_160
    assert step(result, "care.gokei") == 41_958
    assert result["components"] == {
        "medical": 109_100,
        "support": 43_100,
        "care": 41_900,
        "child": 0,
    }
    assert result["total"] == 194_100
    assert result["reduction"] is None
    # Whether 120.2万 clears the 2割 limit rests on the 令和8年度 per-member amount.
    assert result["unconfirmed"] == ["keigen.kasan_per_member"]


# --- V-NHI-3: 滑川町, 均等割 after 軽減 (2方式, no 平等割) -------------------------------------

NAMEGAWA = {
    2025: {
        "medical": {"income_rate": 0.076, "per_capita": 38000},
        "support": {"income_rate": 0.027, "per_capita": 15000},
        "care": {"income_rate": 0.024, "per_capita": 16000},
    },
    2026: {
        "medical": {"income_rate": 0.08, "per_capita": 42000},
        "support": {"income_rate": 0.029, "per_capita": 16000},
        "care": {"income_rate": 0.026, "per_capita": 17000},
    },
}

# (year, income of the one member, tier, payable 均等割 per member: 医療, 支援, 介護).
# One member: 7割 ≤ 43万; 5割 ≤ 73.5万 (R7) / 74万 (R8); 2割 ≤ 99万 / 100万.
NAMEGAWA_PER_MEMBER = [
    (2025, 0, "7割", (11_400, 4_500, 4_800)),
    (2025, 600_000, "5割", (19_000, 7_500, 8_000)),
    (2025, 900_000, "2割", (30_400, 12_000, 12_800)),
    (2026, 0, "7割", (12_600, 4_800, 5_100)),
    (2026, 600_000, "5割", (21_000, 8_000, 8_500)),
    (2026, 900_000, "2割", (33_600, 12_800, 13_600)),
]


@pytest.mark.parametrize(("year", "income", "tier", "payable"), NAMEGAWA_PER_MEMBER)
def test_v_nhi_3_namegawa_kintouwari_after_keigen(
    year: int, income: int, tier: str, payable: tuple[int, int, int]
) -> None:
    """rules.md §2.5 V-NHI-3 (滑川町, [src+calc]) https://www.town.namegawa.saitama.jp/soshikikarasagasu/zeimuka/zeikin/3/4752.html"""
    result = compute(member(45, income), fiscal_year=year, rates=NAMEGAWA[year])
    assert result["reduction"] == tier
    got = tuple(step(result, f"{c}.kintouwari.gengaku_go") for c in ("medical", "support", "care"))
    assert got == payable
    for c in ("medical", "support", "care"):
        assert step(result, f"{c}.byodowari") == 0  # 2方式


@pytest.mark.parametrize(("year", "income", "tier", "payable"), NAMEGAWA_PER_MEMBER)
def test_v_nhi_3_namegawa_preschool_child_pays_half_of_the_reduced_amount(
    year: int, income: int, tier: str, payable: tuple[int, int, int]
) -> None:
    """rules.md §2.5 V-NHI-3: "A 未就学児 pays half of the post-軽減 amount" (滑川町
    https://www.town.namegawa.saitama.jp/soshikikarasagasu/zeimuka/zeikin/3/4752.html).
    With a second member the 5割 and 2割 limits rise (two members), so the incomes that
    reach each tier are taken from the two-member limits; the tier must stay the same."""
    income_for_two = {"7割": 0, "5割": 900_000, "2割": 1_400_000}[tier]
    result = compute(
        member(45, income_for_two),
        member(3, 0, preschool=True),
        fiscal_year=year,
        rates=NAMEGAWA[year],
    )
    assert result["reduction"] == tier
    medical, support, care = payable
    assert step(result, "medical.kintouwari.gengaku_go") == medical + medical // 2
    assert step(result, "support.kintouwari.gengaku_go") == support + support // 2
    # 介護分 is levied on the 45-year-old alone.
    assert step(result, "care.kintouwari.gengaku_go") == care


# --- V-NHI-4: 基山町, 条例減免 of the 均等割 of members aged 18 and under ----------------------


@pytest.mark.parametrize("medical_share", [24_000, 20_000])
def test_v_nhi_4_kiyama_local_exemption(medical_share: int) -> None:
    """rules.md §2.5 V-NHI-4 (基山町, 令和7年度, [src])
    https://www.town.kiyama.lg.jp/kiji0032664/index.html : 均等割 42,700 for 40–64 and
    33,800 under 40; husband 50 and wife 48 pay 42,700 each, the child of 20 pays 33,800, the
    children of 18/14/11/8 pay 0 (町の減免); total 119,200.

    The page gives only the sums per person, so 33,800 is split between 医療分 and 支援分 in
    two different ways (the total must not depend on it) and 介護分 is 42,700 − 33,800 = 8,900.
    The household's income is set high enough that no 法定軽減 applies."""
    rates = {
        "medical": {"income_rate": 0.07, "per_capita": medical_share},
        "support": {"income_rate": 0.02, "per_capita": 33_800 - medical_share},
        "care": {"income_rate": 0.02, "per_capita": 42_700 - 33_800},
    }
    result = compute(
        member(50, 5_000_000),
        member(48),
        member(20),
        member(18),
        member(14),
        member(11),
        member(8),
        fiscal_year=2025,
        rates=rates,
        local_exemption={"per_capita_max_age": 18},
    )
    assert result["reduction"] is None
    kintouwari = sum(result["breakdown"][c]["kintouwari"] for c in ("medical", "support", "care"))
    assert kintouwari == 119_200
    assert step(result, "medical.kintouwari.genmen") == 4 * medical_share


# --- 子ども・子育て支援納付金分: 朝霞市's rates ([derived]) ------------------------------------


def test_asaka_child_component_derived() -> None:
    """[derived] from 朝霞市's 令和8年度 rates (rules.md §2.4;
    https://www.city.asaka.lg.jp/soshiki/25/kodomo-kosodade.html): 0.3%, 均等割 1,800, 18歳以上
    +100, 2方式. Two adults and a child of 10, no 軽減 (2割 limit for three: 214万 < 300万):
    所得割 2,570,000 × 0.3% = 7,710; 均等割 1,900 × 2 + 0 (under 18) = 3,800; 11,510 → 11,500."""
    result = compute(
        member(45, 3_000_000),
        member(43),
        member(10),
        rates={"child": ASAKA_CHILD},
    )
    assert result["reduction"] is None
    assert step(result, "child.shotokuwari") == 7_710
    assert step(result, "child.kintouwari.gengaku_go") == 3_800
    assert result["components"]["child"] == 11_500
    assert result["total"] == 11_500


# --- 課税限度額 (rules.md §2.2) -----------------------------------------------------------------


def rich(year: int, **caps: int) -> dict[str, Any]:
    rates: dict[str, Any] = copy_rates(year)
    for c, cap in caps.items():
        rates[c]["cap"] = cap
    return household(member(50, 20_000_000), fiscal_year=year, rates=rates)


def copy_rates(year: int) -> dict[str, Any]:
    rates: dict[str, Any] = {c: dict(v) for c, v in NATORI[year].items()}
    if year >= 2026:
        # No cap given: the statutory one applies.
        rates["child"] = {k: v for k, v in ASAKA_CHILD.items() if k != "cap"}
    return rates


def test_statutory_caps_r7() -> None:
    """令和7年度: 医療 66万, 支援 26万, 介護 17万, total 109万 (rules.md §2.2; 川俣町
    https://www.town.kawamata.lg.jp/site/kurashi-tetsuzuki/kokuhozeigaku.html ; 富加町
    https://www.town.tomika.gifu.jp/docs/1982169.html)."""
    result = calculate(rich(2025))
    assert result["components"] == {
        "medical": 660_000,
        "support": 260_000,
        "care": 170_000,
        "child": 0,
    }
    assert result["total"] == 1_090_000
    assert all(result["breakdown"][c]["capped"] for c in ("medical", "support", "care"))


def test_statutory_caps_r8_with_the_child_component() -> None:
    """令和8年度: 医療 67万, 支援 26万, 介護 17万, 子ども 3万, total 113万 (rules.md §2.2;
    国民健康保険法施行令 令和8年政令第2号 https://www.psrn.jp/topics/detail.php?id=39581 ;
    子ども分 3万: 朝霞市 https://www.city.asaka.lg.jp/soshiki/25/kodomo-kosodade.html)."""
    result = calculate(rich(2026))
    assert result["components"] == {
        "medical": 670_000,
        "support": 260_000,
        "care": 170_000,
        "child": 30_000,
    }
    assert result["total"] == 1_130_000
    # The statutory caps decided the amounts, so they are among the figures used.
    used = result["law"]["figures_used"]
    assert {"gendogaku.medical", "gendogaku.child"} <= set(used)


def test_a_municipal_cap_below_the_statutory_one_applies() -> None:
    """柏原市's 65万 (rules.md §2.4: caps can lag the 政令 maximum)."""
    result = calculate(rich(2026, medical=650_000))
    assert result["components"]["medical"] == 650_000
    assert result["breakdown"]["medical"]["cap"] == 650_000
    assert "gendogaku.medical" not in result["law"]["figures_used"]
