"""The municipality's 固定資産税・都市計画税 choices (条例), as tenant parameters with effective
dates (`kyodo params set`). Read as in force on 1 April of the 年度.

* ``zei_kotei.rate``: 固定資産税の税率, 標準税率 1.4% (地方税法 第350条第1項); a municipality may
  set a higher one by 条例.
* ``zei_kotei.city_planning_rate``: 都市計画税の税率, at most the 制限税率 0.3% (第702条の4),
  or null where the municipality levies none (the default).
* ``zei_kotei.noki``: the 納期, April, July, December and February by default (第362条第1項:
  4月・7月・12月及び2月中において条例で定める); 都市計画税 is collected with 固定資産税
  (第702条の8第1項).
"""

from __future__ import annotations

from typing import Any

from kyodo.platform.parameters import (
    declare,
    fiscal_year_start,
    month_days,
    parameters_as_of,
    rate,
)

PREFIX = "zei_kotei."
CITY_PLANNING_LIMIT = 0.003  # 制限税率 (地方税法 第702条の4)


def city_planning_rate(value: Any) -> float | None:
    """None (not levied) or a rate up to the 制限税率."""
    if value is None:
        return None
    return rate(0.0, CITY_PLANNING_LIMIT)(value)


def declare_parameters() -> None:
    declare(
        "zei_kotei.rate",
        label="固定資産税の税率",
        validate=rate(0.0, 0.1),
        default=0.014,
        basis="地方税法 第350条第1項（標準税率 100分の1.4）",
    )
    declare(
        "zei_kotei.city_planning_rate",
        label="都市計画税の税率（課さない団体は null）",
        validate=city_planning_rate,
        default=None,
        basis="地方税法 第702条・第702条の4（制限税率 100分の0.3）",
    )
    declare(
        "zei_kotei.noki",
        label="固定資産税・都市計画税の納期（月-日）",
        validate=month_days,
        default=["04-30", "07-31", "12-25", "02-28"],
        basis="地方税法 第362条第1項（4月・7月・12月・2月中において条例で定める）・第702条の8",
    )


def for_year(fiscal_year: int) -> dict[str, Any]:
    """``rate``, ``city_planning_rate`` and ``noki`` in force on 1 April of the 年度."""
    return parameters_as_of(fiscal_year_start(fiscal_year), prefix=PREFIX)
