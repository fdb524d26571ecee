"""The 延滞金 rates of one calendar year, from that year's law data.

本則 (地方税法 第369条 and the like for every tax): 年7.3% up to one month after the 納期限 and
年14.6% after. While 延滞金特例基準割合 (平均貸付割合 + 1%) is below 7.3% (地方税法 附則第3条の2),
they become min(7.3%, 特例基準割合 + 1%) and 特例基準割合 + 7.3%; with the 本則 as a ceiling the
two cases are one formula. The 平均貸付割合 is announced for each calendar year, so the rates
belong to the calendar year of each day, not to a fiscal year.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from kyodo.rules.lawdata import Reader
from kyodo.rules.steps import percent

__all__ = ["FIGURES", "Wariai", "wariai"]

FIGURES = ("heikin_kashitsuke_wariai", "wariai.honsoku", "wariai.tokurei")


@dataclass(frozen=True)
class Wariai:
    year: int
    kijun: Decimal  # 延滞金特例基準割合
    first: Decimal  # 納期限の翌日から1月を経過する日まで
    later: Decimal  # その翌日以後
    basis_first: str
    basis_later: str


def wariai(reader: Reader, year: int) -> Wariai:
    heikin = reader.rate("heikin_kashitsuke_wariai")
    honsoku = reader.table("wariai.honsoku")
    tokurei = reader.table("wariai.tokurei")
    kijun = heikin + Decimal(tokurei["kijun_add"])
    first = min(Decimal(honsoku["first"]), kijun + Decimal(tokurei["first_add"]))
    later = min(Decimal(honsoku["later"]), kijun + Decimal(tokurei["later_add"]))
    head = (
        f"{year}年の延滞金特例基準割合 {percent(kijun)}"
        f"（平均貸付割合 {percent(heikin)} + {percent(tokurei['kijun_add'])}）"
    )
    return Wariai(
        year,
        kijun,
        first,
        later,
        f"{head}: min(本則 {percent(honsoku['first'])}, 特例基準割合 + "
        f"{percent(tokurei['first_add'])}) = {percent(first)}",
        f"{head}: min(本則 {percent(honsoku['later'])}, 特例基準割合 + "
        f"{percent(tokurei['later_add'])}) = {percent(later)}",
    )
