"""The municipality's 国民健康保険税/料 choices (条例), as tenant parameters.

Rates are set per component (医療分, 後期高齢者支援金分, 介護納付金分, 子ども・子育て支援納付金
分 from 令和8年度): 所得割 rate, 均等割 (per capita), 平等割 (per household) and the 賦課限度額
(cap). There is no legal default rate — each insurer sets its own — so the default is "not
set" and an assessment refuses to run until the municipality has entered its rates.
"""

from __future__ import annotations

from typing import Any

from kyodo.platform.parameters import choice, declare, month_days

COMPONENTS = ("medical", "support", "care", "child")
COMPONENT_KEYS = {"income_rate", "per_capita"}
OPTIONAL_KEYS = {"per_household", "cap", "adult_per_capita"}  # null/absent: 0, statutory, 0


def rates(value: Any) -> dict[str, dict[str, float | int]] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not value:
        raise ValueError("区分（medical, support, care, child）ごとの税率を指定してください")
    clean: dict[str, dict[str, float | int]] = {}
    for component, figures in value.items():
        if component not in COMPONENTS:
            raise ValueError(f"区分 {component!r} は {', '.join(COMPONENTS)} のいずれかです")
        if not isinstance(figures, dict) or not set(figures) >= COMPONENT_KEYS:
            raise ValueError(f"{component} には {', '.join(sorted(COMPONENT_KEYS))} が必要です")
        extra = set(figures) - COMPONENT_KEYS - OPTIONAL_KEYS
        if extra:
            raise ValueError(f"{component} にない項目です: {', '.join(sorted(extra))}")
        income_rate = figures["income_rate"]
        if isinstance(income_rate, bool) or not isinstance(income_rate, int | float):
            raise ValueError(f"{component}.income_rate は数値です")
        if not 0 <= income_rate < 1:
            raise ValueError(f"{component}.income_rate は0以上1未満です")
        for key in ("per_capita", *sorted(OPTIONAL_KEYS)):
            amount = figures.get(key)
            if amount is None and key != "per_capita":
                continue
            if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
                raise ValueError(f"{component}.{key} は0以上の整数（円）です")
        clean[component] = {"income_rate": float(income_rate)} | {
            key: figures[key] for key in sorted(figures) if key != "income_rate"
        }
    return clean


def declare_parameters() -> None:
    declare(
        "kokuho.rates",
        label="国保税（料）の税率・限度額",
        validate=rates,
        default=None,
        basis="地方税法 第703条の4 / 国民健康保険法 第76条、各団体の条例",
    )
    declare(
        "kokuho.method",
        label="国保の賦課の方式（税・料）",
        validate=choice("tax", "premium"),
        default="tax",
        basis="地方税法 第703条の4（国民健康保険税）または国民健康保険法 第76条（保険料）",
    )
    declare(
        "kokuho.noki",
        label="国保の納期（月-日）",
        validate=month_days,
        default=["07-31", "08-31", "09-30", "10-31", "11-30", "12-25", "01-31", "02-28"],
        basis="各団体の条例",
    )
