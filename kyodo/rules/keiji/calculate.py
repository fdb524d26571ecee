"""軽自動車税 種別割: the annual amount of one vehicle owned on 4月1日 (賦課期日).

The owner on 1 April pays the whole year; there is no pro-rating (rules.md §4). For 三輪 and
四輪 the rate depends on the first inspection (初度検査年月):

* 重課 (地方税法 第463条の15第2項): from the fiscal year after the one in which 13 years have
  passed since the first inspection — in 令和8年度, first inspected in March 2013 or earlier —
  unless the vehicle runs on a fuel the law exempts (electric, natural gas, hybrid …);
* 旧税率: first inspected before April 2015 and not (or exempt from) 重課;
* 新税率 (the standard rate) otherwise; a new vehicle first inspected in the グリーン化特例
  period pays the reduced amount for the fiscal year after (地方税法 附則第30条, unconfirmed).

Motorcycles, mopeds and small special vehicles pay one rate regardless of age (rate_kind "new",
the rates since 平成28年度).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from kyodo.rules import lawdata
from kyodo.rules.inputs import Checker, InputError, Problem
from kyodo.rules.juminzei.household import nendo
from kyodo.rules.keiji import vehicle as v
from kyodo.rules.keiji.vehicle import CLASSES, USES, Month, Vehicle, fiscal_year_of
from kyodo.rules.steps import Trail, yen

__all__ = ["REQUIRED_FIGURES", "TOPIC", "calculate", "calculate_vehicle"]

TOPIC = "keiji"
ASSUMED_FUEL = "gasoline"

REQUIRED_FIGURES = (
    "hyojun",
    "kyu",
    "kyu.first_inspection_before",
    "jukazei",
    "jukazei.years",
    "jukazei.exempt_fuels",
    "green.period",
    "green.ev_fuels",
    "green.ev",
    "green.fuel_economy",
)


def _law(fiscal_year: int) -> lawdata.LawData:
    try:
        law = lawdata.load(TOPIC, fiscal_year)
    except lawdata.UnknownPeriod as missing:
        years = "、".join(nendo(y) for y in missing.available) or "なし"
        raise InputError(
            [
                Problem(
                    "fiscal_year",
                    f"{nendo(fiscal_year)}の軽自動車税（種別割）の法令データがありません"
                    f"（利用できる年度: {years}）",
                )
            ]
        ) from None
    law.require(REQUIRED_FIGURES)
    return law


def _month_figure(law: lawdata.LawData, figure_id: str, text: str) -> Month:
    try:
        year, month = (int(part) for part in text.split("-"))
        return Month(year, month)
    except ValueError:
        raise lawdata.LawDataError(
            law.path, f"figures.{figure_id}.value", f"YYYY-MM が必要です（{text!r}）"
        ) from None


def _green_period(law: lawdata.LawData) -> tuple[Month, Month]:
    text = str(law.figure("green.period").value)
    start, _, end = text.partition("/")
    return _month_figure(law, "green.period", start), _month_figure(law, "green.period", end)


def _amount(table: Mapping[str, Any], vehicle: Vehicle) -> int | None:
    """The amount of ``vehicle`` in a rate table keyed by class (and use), if it has one."""
    entry = table.get(vehicle.kind)
    if isinstance(entry, Mapping):
        entry = entry.get(vehicle.use or "")
    return None if entry is None else int(entry)


def _label(vehicle: Vehicle) -> str:
    use = f"・{USES[vehicle.use]}" if vehicle.kind in v.NEEDS_USE and vehicle.use else ""
    return CLASSES[vehicle.kind] + use


def _heavy_age(law: lawdata.LawData, vehicle: Vehicle) -> bool:
    first = vehicle.first_inspection
    years = int(law.figure("jukazei.years").value)
    return first is not None and fiscal_year_of(first) + years < vehicle.fiscal_year


def _in_green_period(law: lawdata.LawData, vehicle: Vehicle) -> bool:
    start, end = _green_period(law)
    first = vehicle.first_inspection
    return first is not None and start <= first <= end


def _assume_fuel(law: lawdata.LawData, vehicle: Vehicle) -> tuple[Vehicle, list[str]]:
    """Without a fuel, a vehicle is taken to run on gasoline — by far the common case — and the
    result says so where the fuel changes the tax (重課, グリーン化特例); elsewhere it is moot."""
    if vehicle.kind not in v.THREE_WHEELS_OR_MORE or vehicle.fuel is not None:
        return vehicle, []
    assumed = replace(vehicle, fuel=ASSUMED_FUEL)
    if _heavy_age(law, vehicle):
        years = int(law.figure("jukazei.years").value)
        why = f"初度検査から{years}年を経過しており、燃料で重課の有無が決まる"
    elif _in_green_period(law, vehicle):
        why = "グリーン化特例の対象期間の初度検査で、燃料で軽課の有無が決まる"
    else:
        return assumed, []
    return assumed, [f"fuel の指定がないためガソリン車として計算した（{why}）"]


def _three_or_more(trail: Trail, vehicle: Vehicle) -> tuple[int, str, dict[str, Any] | None]:
    r = trail.reader
    law = r.law
    first = vehicle.first_inspection
    assert first is not None  # required for these classes by parse()
    label = _label(vehicle)
    shown = (
        f"{first}（年のみの記録のため12月とみなす）"
        if vehicle.first_inspection_year_only
        else str(first)
    )
    elapsed = vehicle.fiscal_year - fiscal_year_of(first)
    trail.add(
        "初度検査の年度からの経過年度数",
        "elapsed_fiscal_years",
        elapsed,
        f"{nendo(vehicle.fiscal_year)} − 初度検査 {shown} の年度 {fiscal_year_of(first)}",
    )
    if _heavy_age(law, vehicle):
        years = r.years("jukazei.years")
        exempt = int(r.table("jukazei.exempt_fuels")[vehicle.fuel or ""]) == 1
        if not exempt:
            amount = _amount(r.table("jukazei"), vehicle)
            assert amount is not None
            trail.add(
                "重課税率",
                "rate.jukazei",
                amount,
                f"{label}: 経過年度数 {elapsed} > {years}（jukazei.years）のため重課（jukazei）",
                ["jukazei.years", "jukazei.exempt_fuels", "jukazei"],
            )
            return amount, "heavy", None
        trail.add(
            "重課の対象外",
            "jukazei.exempt",
            0,
            f"経過年度数 {elapsed} > {years} だが燃料 {vehicle.fuel} は重課の対象外"
            "（jukazei.exempt_fuels）",
            ["jukazei.years", "jukazei.exempt_fuels"],
        )
    before = _month_figure(
        law, "kyu.first_inspection_before", str(r.peek("kyu.first_inspection_before").value)
    )
    if first < before:
        r.record("kyu.first_inspection_before")
        amount = _amount(r.table("kyu"), vehicle)
        assert amount is not None
        trail.add(
            "旧税率",
            "rate.kyu",
            amount,
            f"{label}: 初度検査 {shown} が {before} より前のため旧税率（kyu）",
            ["kyu.first_inspection_before", "kyu"],
        )
        return amount, "old", None
    amount = _amount(r.table("hyojun"), vehicle)
    assert amount is not None
    trail.add(
        "標準税率（新税率）",
        "rate.hyojun",
        amount,
        f"{label}: 初度検査 {shown} が {before} 以後のため新税率（hyojun）",
        ["hyojun"],
    )
    return amount, "new", _green(trail, vehicle, amount)


def _green(trail: Trail, vehicle: Vehicle, standard: int) -> dict[str, Any] | None:
    """グリーン化特例 (軽課): read only when the vehicle falls in its period, recorded only when
    it applies."""
    r = trail.reader
    if not _in_green_period(r.law, vehicle):
        return None
    period = str(r.peek("green.period").value)
    kind: str | None = None
    if int(r.peek("green.ev_fuels").value.get(vehicle.fuel or "", 0)) == 1:
        kind, figure, name = "ev", "green.ev", "概ね75%軽減（電気・燃料電池・天然ガス軽自動車）"
    elif (
        vehicle.fuel_economy_2030_90
        and vehicle.fuel in ("gasoline", "hybrid")
        and _amount(r.peek("green.fuel_economy").value, vehicle) is not None
    ):
        kind, figure, name = "fuel_economy", "green.fuel_economy", "概ね50%軽減（燃費基準達成車）"
    if kind is None:
        return None
    r.record("green.period")
    if kind == "ev":
        r.record("green.ev_fuels")
    amount = _amount(r.table(figure), vehicle)
    assert amount is not None
    trail.add(
        "グリーン化特例（軽課）後の税額",
        "green",
        amount,
        f"初度検査 {vehicle.first_inspection} が {period}（green.period）の新車: {name}"
        f"（{figure}）。標準税率 {yen(standard)} に代えて",
        ["green.period", figure] + (["green.ev_fuels"] if kind == "ev" else []),
    )
    return {"kind": kind, "amount": amount, "standard": standard}


def calculate_vehicle(vehicle: Vehicle) -> dict[str, Any]:
    law = _law(vehicle.fiscal_year)
    vehicle, assumptions = _assume_fuel(law, vehicle)
    trail = Trail(lawdata.Reader(law))
    r = trail.reader
    green: dict[str, Any] | None = None
    if vehicle.kind in v.THREE_WHEELS_OR_MORE:
        amount, kind, green = _three_or_more(trail, vehicle)
        if green:
            amount = green["amount"]
    else:
        amount = int(r.table("hyojun")[vehicle.kind])
        kind = "new"
        trail.add(
            "標準税率",
            "rate.hyojun",
            amount,
            f"{_label(vehicle)}（hyojun）: 初度検査年月によらない",
            ["hyojun"],
        )
    tax = trail.add(
        "種別割 年税額",
        "tax",
        amount,
        f"賦課期日 {vehicle.fiscal_year}年4月1日の所有者に1年分（月割なし）",
    )
    return {
        "fiscal_year": vehicle.fiscal_year,
        "class": vehicle.kind,
        "tax": tax,
        "rate_kind": kind,
        "green": green,
        "unconfirmed": r.unconfirmed(),
        "assumptions": assumptions,
        "law": {
            "data": law.path.relative_to(lawdata.DATA_DIR.parents[2]).as_posix(),
            "title": law.title,
            "figures_used": r.used,
        },
        "steps": trail.as_json(),
    }


def _fiscal_year(check: Checker, data: object) -> int:
    if not isinstance(data, dict) or "fiscal_year" not in data:
        return 0
    return check.integer(data["fiscal_year"], "fiscal_year", minimum=1, what="年度（西暦の整数）")


def calculate(data: object) -> dict[str, Any]:
    """Check ``data`` (the parsed JSON input) and compute. Raises
    :class:`~kyodo.rules.inputs.InputError` for bad input, every problem at once."""
    check = Checker()
    fiscal_year = _fiscal_year(check, data)
    law: lawdata.LawData | None = None
    if fiscal_year:
        try:
            law = _law(fiscal_year)
        except InputError as error:
            check.problems.extend(error.problems)
    fuels = tuple(law.figure("jukazei.exempt_fuels").value) if law else ()
    vehicle = v.parse(data, check=check, fuels=fuels, fiscal_year=fiscal_year)
    check.raise_if_any()
    assert vehicle is not None  # reported above when the class is missing or unknown
    return calculate_vehicle(vehicle)
