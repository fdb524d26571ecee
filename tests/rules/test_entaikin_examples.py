"""Official worked examples of 延滞金, each with its source, matched to the yen.

rules.md §10.2 gives the rates by calendar year (the table is checked in
test_entaikin_rules.py) but no worked example; these are municipal pages that show one.
"""

from __future__ import annotations

from typing import Any

from kyodo.rules.entaikin import calculate


def paid_once(tax: int, due: str, paid: str) -> dict[str, Any]:
    return {"tax": tax, "due_date": due, "payments": [{"date": paid, "amount": tax}]}


def spans(result: dict[str, Any]) -> list[tuple[str, str, int, int, float, int]]:
    return [
        (s["from"], s["to"], s["days"], s["base"], s["rate"], s["amount"])
        for s in result["segments"]
    ]


def test_toyohashi_across_1_january_and_a_rate_change() -> None:
    """豊橋市: 令和3年度固定資産税 第1期 65,000円, 納期限 令和3年5月31日, paid 令和4年1月31日:
    133 + 2,883 + 480 = 3,496 → 3,400円. Source: https://www.city.toyohashi.lg.jp/dd.aspx?menuid=10874
    (read from the cached copy https://www-city-toyohashi-lg-jp.cache.yimg.jp/dd.aspx?menuid=10874)."""
    result = calculate(paid_once(65_000, "2021-05-31", "2022-01-31"))
    assert spans(result) == [
        ("2021-06-01", "2021-06-30", 30, 65_000, 0.025, 133),
        ("2021-07-01", "2021-12-31", 184, 65_000, 0.088, 2_883),
        ("2022-01-01", "2022-01-31", 31, 65_000, 0.087, 480),
    ]
    assert result["entaikin"] == 3_400
    assert result["unconfirmed"] == []


def test_tomisato_in_a_leap_year_divides_by_365() -> None:
    """富里市: 市民税・県民税 117,300円, 納期限 令和6年1月31日, paid 令和6年8月31日 (2024 is a
    leap year; the month runs 2月1日〜2月29日): 223 + 5,131 = 5,354 → 5,300円.
    Source: https://www.city.tomisato.lg.jp/0000000057.html"""
    result = calculate(paid_once(117_300, "2024-01-31", "2024-08-31"))
    assert spans(result) == [
        ("2024-02-01", "2024-02-29", 29, 117_000, 0.024, 223),
        ("2024-03-01", "2024-08-31", 184, 117_000, 0.087, 5_131),
    ]
    assert result["entaikin"] == 5_300


def test_obu_first_month_from_the_first_of_the_month() -> None:
    """大府市: 市県民税 100,000円, 納期限 令和5年8月31日, paid 令和6年2月10日; the first span
    is 100,000 × 2.4% × 30日 ÷ 365 = 197.260 (the page shows it before truncation).
    Source: https://www.city.obu.aichi.jp/kurashi/zeikin/noufu/1001720.html"""
    result = calculate(paid_once(100_000, "2023-08-31", "2024-02-10"))
    first = result["segments"][0]
    assert (first["from"], first["to"], first["days"], first["rate"]) == (
        "2023-09-01",
        "2023-09-30",
        30,
        0.024,
    )
    assert first["amount"] == 197
    # The rest of the example is not in the excerpt read; the later span follows from the law:
    # 2023-10-01〜2024-02-10 is 133 days at 8.7% (the same in 2023 and 2024, so one span).
    assert spans(result)[1] == ("2023-10-01", "2024-02-10", 133, 100_000, 0.087, 3_170)
    assert result["entaikin"] == 3_300


def test_azumino_first_span() -> None:
    """安曇野市: 30,000円, 納期限 令和6年5月31日, paid 令和7年5月31日; (1) 30,000 × 2.4% × 30日
    ÷ 365 = 59円. Source: https://www.city.azumino.nagano.jp/soshiki/12/65538.html"""
    result = calculate(paid_once(30_000, "2024-05-31", "2025-05-31"))
    assert spans(result)[0] == ("2024-06-01", "2024-06-30", 30, 30_000, 0.024, 59)
    # 8.7% in both 2024 and 2025: one span of 335 days (2024-07-01〜2025-05-31).
    assert spans(result)[1] == ("2024-07-01", "2025-05-31", 335, 30_000, 0.087, 2_395)
    assert result["entaikin"] == 2_400


def test_issue_example_2026_rates() -> None:
    """The input of issue 5 under the 令和8年 rates (rules.md §10.2: 2.8% / 9.1%; 南陽市
    http://www.city.nanyo.yamagata.jp/hokensiharai/1136). A regression check, not an official
    vector: 56,400 → base 56,000; 2月3日〜3月2日 28日 × 2.8% = 120.28; 3月3日〜5月29日 88日 ×
    9.1% = 1,228.6; 1,348 → 1,300."""
    result = calculate(paid_once(56_400, "2026-02-02", "2026-05-29"))
    assert spans(result) == [
        ("2026-02-03", "2026-03-02", 28, 56_000, 0.028, 120),
        ("2026-03-03", "2026-05-29", 88, 56_000, 0.091, 1_228),
    ]
    assert result["entaikin"] == 1_300
