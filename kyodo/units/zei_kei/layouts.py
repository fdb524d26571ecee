"""The vehicle file layout Kyodo reads (docs/formats/kei-sharyo.md): 登録 (取得・名義変更) and
廃車 of 軽自動車等, as CSV with a header row of item names, one row per 異動.

Every problem is reported with file, line, item and reason (Japanese); the caller writes
nothing when there is any.
"""

from __future__ import annotations

import re

from kyodo.layouts.csvfile import (
    Column,
    Parser,
    date,
    flag,
    text,
)
from kyodo.rules.keiji import CLASSES
from kyodo.rules.wareki import parse_date
from kyodo.units.zei_kei.models import Idou

# --- item parsers ------------------------------------------------------------------------


def atena_no(value: str) -> int:
    if not value.isascii() or not value.isdigit():
        raise ValueError(f"宛名番号（数字）です: {value!r}")
    return int(value)


def choices(labels: dict[str, str], what: str) -> Parser:
    """A code, or its Japanese name, from ``labels`` (name → code)."""
    codes = set(labels.values())

    def parse(value: str) -> str:
        if value in labels:
            return labels[value]
        if value in codes:
            return value
        raise ValueError(f"{what}は {'・'.join(labels)} のいずれかです: {value!r}")

    return parse


IDOU = {"登録": Idou.TOROKU.value, "廃車": Idou.HAISHA.value}
KINDS = {
    "原付一種": "gentsuki_50",
    "原付二種乙": "gentsuki_90",
    "原付二種甲": "gentsuki_125",
    "ミニカー": "minicar",
    "軽二輪": "kei2_250",
    "二輪小型": "kogata2",
    "小型特殊農耕": "special_farm",
    "小型特殊その他": "special_other",
    "軽三輪": "kei3",
    "軽四輪乗用": "kei4_passenger",
    "軽四輪貨物": "kei4_cargo",
}
assert set(KINDS.values()) == set(CLASSES)
USES = {"自家用": "private", "営業用": "commercial"}
FUELS = {
    "ガソリン": "gasoline",
    "軽油": "diesel",
    "LPG": "lpg",
    "ハイブリッド": "hybrid",
    "電気": "electric",
    "燃料電池": "fuel_cell",
    "天然ガス": "natural_gas",
    "メタノール": "methanol",
    "混合メタノール": "mixed_methanol",
}
MONTH = re.compile(r"(\d{4})[-/.](\d{1,2})")


def month(value: str) -> str:
    """初度検査年月: ``YYYY-MM`` (or ``YYYY/MM``), or ``YYYY`` for old records with only a
    year; the calculator checks the rest."""
    match = MONTH.fullmatch(value)
    if match:
        if not 1 <= int(match[2]) <= 12:
            raise ValueError(f"月は1〜12です: {value!r}")
        return f"{match[1]}-{int(match[2]):02d}"
    if len(value) == 4 and value.isascii() and value.isdigit():
        return value
    try:
        day = parse_date(value)
    except ValueError:
        raise ValueError(f"初度検査年月は YYYY-MM（例: 2015-04）です: {value!r}") from None
    return f"{day.year}-{day.month:02d}"


SHARYO = (
    Column("標識番号", "hyoshiki_no", text(30)),
    Column("異動区分", "idou", choices(IDOU, "異動区分")),
    Column("異動日", "on", date),
    Column("車種", "kind", choices(KINDS, "車種"), required=False),
    Column("用途", "use", choices(USES, "用途"), required=False),
    Column("初度検査年月", "first_inspection", month, required=False),
    Column("燃料", "fuel", choices(FUELS, "燃料"), required=False),
    Column("燃費基準達成", "fuel_economy_2030_90", flag, required=False),
    Column("所有者", "atena_no", atena_no, required=False),
)


# --- reading -----------------------------------------------------------------------------
