"""One 納税義務者's 固定資産税・都市計画税: the 物件 they hold on the 賦課期日 → the calculator's
input → the pure calculator (kyodo.rules.kotei: 住宅用地特例, 負担調整, 免税点, 新築住宅の減額)
→ the installments over the municipality's 納期.

Every parcel and house the owner (or the co-owner group) holds in the municipality goes into one
calculation, because the 免税点 is judged on their sum (地方税法 第351条). 都市計画税 is
computed beside it when the municipality levies one, every 物件 taken to be in the 市街化区域
(the calculator's assumption), and collected with 固定資産税 (第702条の8). The annual total is
split over the 納期 (第362条) with the remainder in the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kyodo.rules import kotei
from kyodo.rules.choshu import Installment, futsu_installments
from kyodo.units.zei_kotei.models import Bukken, KaokuDaicho, TochiDaicho, Use
from kyodo.units.zei_kotei.owners import Ownership


@dataclass(frozen=True)
class Assessment:
    calc_input: dict[str, Any]
    result: dict[str, Any]
    assets: list[dict[str, Any]]
    installments: list[Installment]
    notes: list[str]


def _holders(ownership: Ownership) -> list[dict[str, Any]]:
    return [{"atena_no": h.atena_no, "share": str(h.share)} for h in ownership.holders]


def _parcel(row: TochiDaicho, city_planning: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "area": float(row.area),
        "valuation": row.valuation,
        "use": row.use,
        "prev_tax_base": row.prev_tax_base,
    }
    if row.dwelling_units is not None:
        item["dwelling_units"] = row.dwelling_units
    if city_planning and row.prev_city_planning_tax_base is not None:
        item["prev_city_planning_tax_base"] = row.prev_city_planning_tax_base
    return item


def _house(row: KaokuDaicho) -> dict[str, Any]:
    item: dict[str, Any] = {
        "valuation": row.valuation,
        "floor_area": float(row.floor_area),
        "built_year": row.built_year,
        "fire_resistant": row.fire_resistant,
        "stories": row.stories,
    }
    if row.residential_floor_area is not None:
        item["residential_floor_area"] = float(row.residential_floor_area)
    if row.rental:
        item["rental"] = True
    return item


def assess(
    *,
    fiscal_year: int,
    land: Sequence[TochiDaicho],
    houses: Sequence[KaokuDaicho],
    bukken: dict[int, Bukken],
    ownership: dict[int, Ownership],
    rate: float,
    city_planning_rate: float | None,
    noki: Sequence[str],
) -> Assessment:
    """The whole assessment of one 納税義務者 (pure apart from reading its arguments). Raises
    kyodo.rules.inputs.InputError when the calculator refuses the ledger's values."""
    land = sorted(land, key=lambda r: (bukken[r.bukken_id].shozai, bukken[r.bukken_id].bango))
    houses = sorted(houses, key=lambda r: (bukken[r.bukken_id].shozai, bukken[r.bukken_id].bango))
    levied = city_planning_rate is not None
    calc_input = {
        "fiscal_year": fiscal_year,
        "rate": rate,
        "city_planning_rate": city_planning_rate,
        "land": [_parcel(r, levied) for r in land],
        "houses": [_house(r) for r in houses],
    }
    result = kotei.calculate(calc_input)
    assets: list[dict[str, Any]] = []
    for row, out in zip(land, result["land"], strict=True):
        b = bukken[row.bukken_id]
        assets.append(
            {
                "kind": "tochi",
                "shozai": b.shozai,
                "bango": b.bango,
                "chimoku": row.chimoku,
                "use": Use(row.use).label,
                "area": str(row.area),
                "valuation": row.valuation,
                "tax_base": out["tax_base"],
                "city_planning_tax_base": out["city_planning_tax_base"],
                "owners": _holders(ownership[row.bukken_id]),
            }
        )
    for house, figures in zip(houses, result["houses"], strict=True):
        b = bukken[house.bukken_id]
        assets.append(
            {
                "kind": "kaoku",
                "shozai": b.shozai,
                "bango": b.bango,
                "shurui": house.shurui,
                "kozo": house.kozo,
                "floor_area": str(house.floor_area),
                "built_year": house.built_year,
                "valuation": house.valuation,
                "tax_base": figures["tax_base"],
                "reduction": figures["reduction"],
                "owners": _holders(ownership[house.bukken_id]),
            }
        )
    total = int(result["total"])
    notes = list(result.get("assumptions", []))
    return Assessment(
        calc_input=calc_input,
        result=result,
        assets=assets,
        installments=futsu_installments(total, fiscal_year=fiscal_year, noki=noki),
        notes=notes,
    )
