"""The worked examples of 固定資産税・都市計画税, each with its source, matched to the yen.

rules.md §3 has one (V-FA-2, a builder's blog: a sanity check, not an official vector); the
新築住宅 reduction is also checked against the municipal examples of 鈴鹿市 and 横浜市.
"""

from __future__ import annotations

from typing import Any

from kyodo.rules.kotei import calculate

HOUSE_120 = {"floor_area": 120, "fire_resistant": False, "stories": 2}


def assets(
    *,
    fiscal_year: int = 2026,
    rate: float = 0.014,
    city_planning_rate: float | None = None,
    land: list[dict[str, Any]] | None = None,
    houses: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "fiscal_year": fiscal_year,
        "rate": rate,
        "city_planning_rate": city_planning_rate,
        "land": land or [],
        "houses": houses or [],
    }


def step(result: dict[str, Any], step_id: str) -> int:
    (value,) = [s["value"] for s in result["steps"] if s["id"] == step_id]
    return int(value)


def v_fa_2(built_year: int) -> dict[str, Any]:
    """rules.md §3 V-FA-2 (https://daiyukensetsu.jp/report/?p=144): land 200 ㎡ valued at
    12,000,000 (one house; last year's base at the 本則), a new house of 120 ㎡ valued at
    15,000,000."""
    land = {
        "area": 200,
        "valuation": 12_000_000,
        "use": "small_residential",
        "dwelling_units": 1,
        "prev_tax_base": 2_000_000,
    }
    house = {"valuation": 15_000_000, "built_year": built_year, **HOUSE_120}
    return assets(land=[land], houses=[house])


def test_v_fa_2_first_three_years() -> None:
    """V-FA-2: ×1/6 = 2,000,000 → 28,000; house 210,000 halved to 105,000; total 133,000."""
    result = calculate(v_fa_2(2025))
    assert result["land"][0]["tax_base"] == 2_000_000
    assert result["houses"][0] == {
        "tax_base": 15_000_000,
        "reduction": 105_000,
        "reduction_years": 3,
    }
    assert step(result, "sanshutsu_zeigaku") == 28_000 + 210_000
    assert result["tax"] == 133_000
    assert result["city_planning_tax"] == 0
    assert result["unconfirmed"] == []


def test_v_fa_2_from_year_four() -> None:
    """V-FA-2: "238,000 from year 4" (built in 2022, 令和8年度 is its 4th fiscal year)."""
    result = calculate(v_fa_2(2022))
    assert result["houses"][0]["reduction"] == 0
    assert result["tax"] == 238_000


def test_suzuka_new_house_of_125_square_metres() -> None:
    """鈴鹿市 https://www.city.suzuka.lg.jp/life/benri/5314.html: 木造2階建て 専用住宅, 125 ㎡,
    評価額 10,000,000: 固定資産税 140,000, 都市計画税 (0.2%) 20,000, 減額
    10,000,000 × 1.4% × 120/125 × 1/2 = 67,200, 差引 92,800 (都市計画税は減額なし).
    The same example: 鳥羽市
    https://www.city.toba.mie.jp/soshiki/koteishisanzei/gyomu/zeikin/koteishisanzei/4/2006.html"""
    house = {"valuation": 10_000_000, "floor_area": 125, "built_year": 2025}
    result = calculate(
        assets(city_planning_rate=0.002, houses=[{**house, "fire_resistant": False, "stories": 2}])
    )
    assert step(result, "sanshutsu_zeigaku") == 140_000
    assert result["houses"][0]["reduction"] == 67_200
    assert result["tax"] == 140_000 - 67_200
    assert result["city_planning_tax"] == 20_000
    assert result["total"] == 92_800


def test_yokohama_new_house_of_140_square_metres() -> None:
    """横浜市 税のあらまし 設例: 木造2階建て 専用住宅, 建築 令和6年7月, 140 ㎡, 令和7年度価格
    13,300,000: 固定資産税 186,200, 減額 13,300,000 × 1.4% × 120/140 × 1/2 = 79,800.
    Source: http://www.city.yokohama.lg.jp/kurashi/koseki-zei-hoken/zeikin/koho/zeimu/aramashi.files/0071_20250326.txt
    (read from the cached copy on cache.yimg.jp). The page's 都市計画税 reduction (17,100) is
    横浜市's own measure — the same page says 一般の新築住宅 has none under the law — so the
    都市計画税 here is the unreduced 39,900."""
    house = {
        "valuation": 13_300_000,
        "floor_area": 140,
        "built_year": 2024,
        "fire_resistant": False,
        "stories": 2,
    }
    result = calculate(assets(fiscal_year=2025, city_planning_rate=0.003, houses=[house]))
    assert step(result, "sanshutsu_zeigaku") == 186_200
    assert result["houses"][0]["reduction"] == 79_800
    assert result["tax"] == 186_200 - 79_800
    assert step(result, "toshi_keikaku.sanshutsu_zeigaku") == 39_900
    assert result["city_planning_tax"] == 39_900
