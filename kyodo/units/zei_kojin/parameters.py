"""The municipality's 個人住民税 choices (条例), as tenant parameters with effective dates.

Defaults are the standard figures of 地方税法 (rules.md §1.1): 所得割 6 % + 4 % (指定都市 8 % +
2 %), 均等割 3,000 + 1,000 yen from 令和6年度; a municipality that levies 超過課税 or sits in
another 級地 sets its own values from a date on (`kyodo params set`).
"""

from __future__ import annotations

from typing import Any

from kyodo.platform.parameters import (
    boolean,
    choice,
    declare,
    fiscal_year_start,
    month_days,
    parameters_as_of,
    rate,
    yen,
)

PREFIX = "zei_kojin."
CALCULATOR_KEYS = (
    "designated_city",
    "kyuchi",
    "city_rate",
    "pref_rate",
    "city_kintouwari",
    "pref_kintouwari",
)


def declare_parameters() -> None:
    law = "地方税法 第310条・第314条の3・第35条・第38条（rules.md §1.1）"
    declare(
        "zei_kojin.designated_city",
        label="指定都市",
        validate=boolean,
        default=False,
        basis="地方自治法 第252条の19",
    )
    declare(
        "zei_kojin.kyuchi",
        label="級地（非課税限度額）",
        validate=choice(1, 2, 3),
        default=1,
        basis="生活保護法による保護の基準（級地区分）、地方税法施行令 第47条の3・第46条の2",
    )
    declare(
        "zei_kojin.city_rate",
        label="市町村民税 所得割の税率",
        validate=rate(0.0, 0.2),
        default=0.06,
        basis=law,
    )
    declare(
        "zei_kojin.pref_rate",
        label="道府県民税 所得割の税率",
        validate=rate(0.0, 0.2),
        default=0.04,
        basis=law,
    )
    declare(
        "zei_kojin.city_kintouwari",
        label="市町村民税 均等割額",
        validate=yen(0, 100_000),
        default=3000,
        basis=law,
    )
    declare(
        "zei_kojin.pref_kintouwari",
        label="道府県民税 均等割額",
        validate=yen(0, 100_000),
        default=1000,
        basis=law,
    )
    declare(
        "zei_kojin.futsu_noki",
        label="普通徴収の納期（月-日）",
        validate=month_days,
        default=["06-30", "08-31", "10-31", "01-31"],
        basis="地方税法 第320条（6月・8月・10月・1月中において条例で定める）",
    )


def municipality_for(fiscal_year: int) -> dict[str, Any]:
    """The calculator's ``municipality`` input, from the parameters in force on 1 April."""
    values = parameters_as_of(fiscal_year_start(fiscal_year), prefix=PREFIX)
    return {key: values[key] for key in CALCULATOR_KEYS}
