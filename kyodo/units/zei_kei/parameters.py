"""The municipality's 軽自動車税 種別割 choices (条例), as tenant parameters with effective dates.

``zei_kei.noki``: the 納期. The law puts it in April unless the 条例 sets another for a special
reason (地方税法 種別割の納期の規定, before the 令和元年 reform 第447条); most municipalities
choose May, so the default is 31 May (moved past a closed day, 第20条の5第2項).
"""

from __future__ import annotations

from typing import Any

from kyodo.platform.parameters import declare, fiscal_year_start, month_days, parameters_as_of

PREFIX = "zei_kei."


def declare_parameters() -> None:
    declare(
        "zei_kei.noki",
        label="軽自動車税（種別割）の納期（月-日）",
        validate=month_days,
        default=["05-31"],
        basis="地方税法 種別割の納期（4月中、特別の事情があれば条例で別に定める。旧第447条）",
    )


def for_year(fiscal_year: int) -> dict[str, Any]:
    """The parameters in force on 1 April of the 年度 (the 賦課期日)."""
    return parameters_as_of(fiscal_year_start(fiscal_year), prefix=PREFIX)
