"""The input of a 固定資産税・都市計画税 calculation, checked: the land and houses one owner holds
in one municipality (or one ward of a 特別区・指定都市) on 1 January (賦課期日).

Input (JSON)::

    {"fiscal_year": 2026, "rate": 0.014, "city_planning_rate": 0.003,
     "land": [{"area": 200, "valuation": 17000000, "use": "small_residential",
               "dwelling_units": 1, "prev_tax_base": 2500000}],
     "houses": [{"valuation": 15000000, "floor_area": 120, "built_year": 2025,
                 "fire_resistant": false, "stories": 2}]}

* ``rate``: the 固定資産税 rate of the municipality's 条例 (標準税率 1.4%, as a fraction).
* ``city_planning_rate``: the 都市計画税 rate (up to the 制限税率 0.3%), or null where it is
  not levied. Every parcel and house given is taken to be in the 市街化区域 when it is levied.
* ``land[]``: one parcel (筆) each.

  - ``area``: 地積 in ㎡; ``valuation``: 評価額 (価格) of this fiscal year, in yen;
  - ``use``: ``small_residential`` — 住宅用地: the part up to 200 ㎡ per dwelling unit is
    小規模住宅用地 and the rest 一般住宅用地, the 評価額 split in proportion to the area;
    ``general_residential`` — 一般住宅用地 in full (a parcel whose 小規模 allowance is used by
    another parcel of the same site); ``non_residential`` — 商業地等 (宅地 other than 住宅用地);
    ``farmland`` — 一般農地;
  - ``dwelling_units``: the number of dwellings on the 住宅用地 (required for
    ``small_residential``);
  - ``prev_tax_base``: 前年度課税標準額 of 固定資産税;
  - ``prev_city_planning_tax_base`` (optional): 前年度課税標準額 of 都市計画税. Left out for
    住宅用地, it is taken at the same 負担水準 as 固定資産税, and the result says so.
* ``houses[]``: one house (or one independently partitioned dwelling of a building) each.

  - ``valuation``: 評価額 in yen; ``floor_area``: 床面積 in ㎡;
  - ``built_year``: the calendar year of 新築 (the house is first taxed the next fiscal year);
  - ``fire_resistant``: 耐火 or 準耐火建築物; ``stories``: 地上階数;
  - ``residential_floor_area`` (optional, default ``floor_area``): the floor area used as a
    dwelling, for 併用住宅;
  - ``rental`` (optional, default false): a rented dwelling in a building other than a detached
    house (一戸建以外の貸家), for which the floor-area floor of the 新築 reduction is lower.

Not covered: 償却資産, 市街化区域農地 and 生産緑地, 住宅用地 limited to 10 times the floor area,
the 併用住宅 ratios for the site (rules.md §3), 長期優良住宅 and other reductions, 減免 and
条例減額 of 商業地等.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kyodo.rules.inputs import Checker, join

__all__ = ["USES", "Assets", "House", "Land", "parse"]

USES = {
    "small_residential": "住宅用地（小規模・一般）",
    "general_residential": "一般住宅用地",
    "non_residential": "商業地等",
    "farmland": "一般農地",
}
RESIDENTIAL = ("small_residential", "general_residential")
MAX_AREA = Decimal(10**9)  # ㎡: far beyond any parcel; a bigger value is a typing mistake
MAX_STORIES = 200


@dataclass(frozen=True)
class Land:
    path: str
    area: Decimal
    valuation: int
    use: str
    dwelling_units: int
    prev_tax_base: int
    prev_city_planning_tax_base: int | None


@dataclass(frozen=True)
class House:
    path: str
    valuation: int
    floor_area: Decimal
    residential_floor_area: Decimal
    built_year: int
    fire_resistant: bool
    stories: int
    rental: bool


@dataclass(frozen=True)
class Assets:
    fiscal_year: int
    rate: Decimal
    city_planning_rate: Decimal | None
    land: tuple[Land, ...]
    houses: tuple[House, ...]


def area(check: Checker, value: object, path: str) -> Decimal:
    """A positive area in ㎡ (decimals allowed: 地積 is recorded to 0.01 ㎡)."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        check.fail(path, f"面積（㎡）を数値で指定してください（値: {value!r}）")
        return Decimal(0)
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite() or not 0 < number <= MAX_AREA:
        check.fail(path, f"0より大きい面積（㎡）で指定してください（値: {value}）")
        return Decimal(0)
    return number


def _land(check: Checker, raw: object, path: str, city_planning: bool) -> Land:
    optional = ("dwelling_units", "prev_city_planning_tax_base")
    required = ("area", "valuation", "use", "prev_tax_base")
    item: Mapping[str, Any] = check.obj(raw, path, required=required, optional=optional)
    use = check.choice(item["use"], join(path, "use"), tuple(USES)) if "use" in item else ""
    units = 0
    if item.get("dwelling_units") is not None:
        units = check.integer(
            item["dwelling_units"], join(path, "dwelling_units"), minimum=1, what="戸数（整数）"
        )
    elif use == "small_residential":
        check.fail(
            join(path, "dwelling_units"),
            "住宅用地（small_residential）では必須です（住宅1戸につき200㎡までが小規模住宅用地）",
        )
    prev_cp = None
    if item.get("prev_city_planning_tax_base") is not None:
        prev_cp = check.yen(
            item["prev_city_planning_tax_base"], join(path, "prev_city_planning_tax_base")
        )
        if not city_planning:
            check.fail(
                join(path, "prev_city_planning_tax_base"),
                "city_planning_rate が null（都市計画税を課さない）なので指定できません",
            )
    return Land(
        path=path,
        area=area(check, item["area"], join(path, "area")) if "area" in item else Decimal(0),
        valuation=check.yen(item["valuation"], join(path, "valuation"))
        if "valuation" in item
        else 0,
        use=use,
        dwelling_units=units,
        prev_tax_base=(
            check.yen(item["prev_tax_base"], join(path, "prev_tax_base"))
            if "prev_tax_base" in item
            else 0
        ),
        prev_city_planning_tax_base=prev_cp,
    )


def _house(check: Checker, raw: object, path: str, fiscal_year: int) -> House:
    required = ("valuation", "floor_area", "built_year", "fire_resistant", "stories")
    optional = ("residential_floor_area", "rental")
    item: Mapping[str, Any] = check.obj(raw, path, required=required, optional=optional)
    floor_area = (
        area(check, item["floor_area"], join(path, "floor_area"))
        if "floor_area" in item
        else Decimal(0)
    )
    residential = floor_area
    if item.get("residential_floor_area") is not None:
        at = join(path, "residential_floor_area")
        residential = area(check, item["residential_floor_area"], at)
        if floor_area and residential > floor_area:
            check.fail(
                at, f"床面積 floor_area（{floor_area}㎡）を超えています（値: {residential}）"
            )
    built = 0
    if "built_year" in item:
        built = check.integer(
            item["built_year"],
            join(path, "built_year"),
            minimum=1868,
            what="新築の年（西暦の整数）",
        )
        if built and fiscal_year and built >= fiscal_year:
            check.fail(
                join(path, "built_year"),
                f"{fiscal_year}年度の賦課期日（{fiscal_year}年1月1日）より後の新築です"
                f"（{built}年）: この年度には課税されません",
            )
    return House(
        path=path,
        valuation=check.yen(item["valuation"], join(path, "valuation"))
        if "valuation" in item
        else 0,
        floor_area=floor_area,
        residential_floor_area=residential,
        built_year=built,
        fire_resistant=(
            check.boolean(item["fire_resistant"], join(path, "fire_resistant"))
            if "fire_resistant" in item
            else False
        ),
        stories=(
            check.integer(
                item["stories"],
                join(path, "stories"),
                minimum=1,
                maximum=MAX_STORIES,
                what="階数（整数）",
            )
            if "stories" in item
            else 1
        ),
        rental=check.boolean(item["rental"], join(path, "rental")) if "rental" in item else False,
    )


def parse(
    data: object, *, check: Checker, fiscal_year: int, city_planning_limit: Decimal | None
) -> Assets:
    """Check the assets (``fiscal_year`` was checked by the caller; 0 when bad).
    ``city_planning_limit``: the 制限税率 of 都市計画税 from the law data, if there is any.
    Problems go to ``check``; the caller raises."""
    root: Mapping[str, Any] = check.obj(
        data,
        "",
        required=("fiscal_year", "rate", "city_planning_rate"),
        optional=("land", "houses"),
    )
    rate = check.rate(root["rate"], "rate") if "rate" in root else Decimal(0)
    cp_rate = None
    if root.get("city_planning_rate") is not None:
        cp_rate = check.rate(root["city_planning_rate"], "city_planning_rate")
        if city_planning_limit is not None and cp_rate > city_planning_limit:
            check.fail(
                "city_planning_rate",
                f"都市計画税の制限税率 {city_planning_limit} を超えています（値: {cp_rate}）",
            )
    raw_land = root.get("land")
    raw_houses = root.get("houses")
    land = tuple(
        _land(check, item, join("land", i), cp_rate is not None)
        for i, item in enumerate([] if raw_land is None else check.array(raw_land, "land"))
    )
    houses = tuple(
        _house(check, item, join("houses", i), fiscal_year)
        for i, item in enumerate([] if raw_houses is None else check.array(raw_houses, "houses"))
    )
    return Assets(fiscal_year, rate, cp_rate, land, houses)
