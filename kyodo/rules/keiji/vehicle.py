"""The input of a 軽自動車税 種別割 calculation, checked: one vehicle owned on 4月1日 (賦課期日).

Input (JSON)::

    {"fiscal_year": 2026, "class": "kei4_passenger", "use": "private",
     "first_inspection": "2012-10", "fuel": "gasoline"}

* ``class``: one of :data:`CLASSES`.
* ``use``: ``"private"`` (自家用) or ``"commercial"`` (営業用); required for 四輪, whose rates
  depend on it, and ignored for the other classes.
* ``first_inspection``: 初度検査年月 (the month the vehicle was first given a number),
  ``"YYYY-MM"``; required for 三輪 and 四輪, whose rate depends on it, ignored otherwise. A vehicle
  inspected before 14 October 2003 may have only a year on record (``"YYYY"``, 2003 or earlier),
  which is read as December of that year (rules.md §4). A month after April of the fiscal year
  is refused: the vehicle did not exist on the 賦課期日.
* ``fuel`` (optional): the fuel kinds of the law data (``jukazei.exempt_fuels``:
  ``gasoline``, ``diesel``, ``lpg``, ``hybrid`` (ガソリン電力併用), ``electric``, ``fuel_cell``,
  ``natural_gas``, ``methanol``, ``mixed_methanol``). It changes the tax only for a 三輪・四輪
  13 years or more after its first inspection (重課 or not) or one new in the グリーン化特例
  period; left out there, the vehicle is taken to run on gasoline and the result says so.
* ``fuel_economy_2030_90`` (optional, default false): ``true`` states that a 営業用 四輪乗用 car
  meets the 令和2年度燃費基準, 90% of the 令和12年度燃費基準 and the 排出ガス condition of the
  グリーン化特例's 50% tier.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kyodo.rules.inputs import Checker

__all__ = [
    "CLASSES",
    "NEEDS_USE",
    "THREE_WHEELS_OR_MORE",
    "USES",
    "Month",
    "Vehicle",
    "fiscal_year_of",
    "parse",
    "parse_month",
]

CLASSES = {
    "gentsuki_50": "原動機付自転車（総排気量50cc以下・特定小型原動機付自転車を含む）",
    "gentsuki_90": "原動機付自転車 二種乙（50cc超90cc以下）",
    "gentsuki_125": "原動機付自転車 二種甲（90cc超125cc以下）",
    "minicar": "ミニカー",
    "kei2_250": "軽二輪（125cc超250cc以下、被けん引車を含む）",
    "kogata2": "二輪の小型自動車（250cc超）",
    "special_farm": "小型特殊自動車（農耕作業用）",
    "special_other": "小型特殊自動車（その他）",
    "kei3": "三輪の軽自動車",
    "kei4_passenger": "四輪以上の軽自動車（乗用）",
    "kei4_cargo": "四輪以上の軽自動車（貨物用）",
}
THREE_WHEELS_OR_MORE = ("kei3", "kei4_passenger", "kei4_cargo")
NEEDS_USE = ("kei4_passenger", "kei4_cargo")
USES = {"private": "自家用", "commercial": "営業用"}

# Records that show only a year date from before 14 October 2003 (rules.md §4).
YEAR_ONLY_UNTIL = 2003
YEAR_ONLY_MONTH = 12


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"


@dataclass(frozen=True)
class Vehicle:
    fiscal_year: int
    kind: str  # a key of CLASSES
    use: str | None
    first_inspection: Month | None
    first_inspection_year_only: bool
    fuel: str | None
    fuel_economy_2030_90: bool


def fiscal_year_of(month: Month) -> int:
    """The fiscal year (April to March) a month belongs to."""
    return month.year if month.month >= 4 else month.year - 1


def parse_month(check: Checker, value: object, path: str) -> tuple[Month | None, bool]:
    """(the month, whether only a year was given)."""
    text = value if isinstance(value, str) else None
    if text and len(text) == 4 and text.isdigit():
        year = int(text)
        if year > YEAR_ONLY_UNTIL:
            check.fail(
                path,
                f"年だけの指定は{YEAR_ONLY_UNTIL}年以前の記録に限ります（平成15年10月14日より前の"
                f"車検証）。YYYY-MM で指定してください（値: {text}）",
            )
            return None, False
        return Month(year, YEAR_ONLY_MONTH), True
    if text and len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        month = Month(int(text[:4]), int(text[5:]))
        if 1 <= month.month <= 12 and month.year >= 1900:
            return month, False
    check.fail(path, f"初度検査年月は YYYY-MM の形の文字列で指定してください（値: {value!r}）")
    return None, False


def parse(
    data: object, *, check: Checker, fuels: tuple[str, ...], fiscal_year: int
) -> Vehicle | None:
    """Check the vehicle (``fiscal_year`` was checked by the caller: 0 when it is bad, and the
    賦課期日 test is then left out). ``fuels``: the fuel kinds the law data knows (empty when
    there is no law data to check against). Problems go to ``check``; the caller raises."""
    root: Mapping[str, Any] = check.obj(
        data,
        "",
        required=("fiscal_year", "class"),
        optional=("use", "first_inspection", "fuel", "fuel_economy_2030_90"),
    )
    kind = check.choice(root["class"], "class", tuple(CLASSES)) if "class" in root else None
    valid_kind = "class" in root and kind == root["class"]
    use = root.get("use")
    if use is not None:
        use = check.choice(use, "use", tuple(USES))
    fuel = root.get("fuel")
    if fuel is not None and fuels:
        fuel = check.choice(fuel, "fuel", fuels)
    economy = False
    if "fuel_economy_2030_90" in root:
        economy = check.boolean(root["fuel_economy_2030_90"], "fuel_economy_2030_90")
    first: Month | None = None
    year_only = False
    if root.get("first_inspection") is not None:
        first, year_only = parse_month(check, root["first_inspection"], "first_inspection")
    if valid_kind and kind in THREE_WHEELS_OR_MORE:
        if root.get("first_inspection") is None:
            check.fail(
                "first_inspection",
                "三輪以上の軽自動車では必須です（初度検査年月で新税率・旧税率・重課が決まります）",
            )
        if kind in NEEDS_USE and use is None:
            check.fail("use", "四輪の軽自動車では必須です（自家用か営業用かで税率が決まります）")
    if first is not None and fiscal_year and first > Month(fiscal_year, 4):
        check.fail(
            "first_inspection",
            f"賦課期日（{fiscal_year}年4月1日）より後の初度検査です（{first}）:"
            f" {fiscal_year}年度の種別割は課されません",
        )
    if not valid_kind:
        return None
    return Vehicle(
        fiscal_year=fiscal_year,
        kind=str(kind),
        use=use if use in USES else None,
        first_inspection=first,
        first_inspection_year_only=year_only,
        fuel=fuel if isinstance(fuel, str) else None,
        fuel_economy_2030_90=economy,
    )
