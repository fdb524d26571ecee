"""The 課税台帳 file layouts Kyodo reads (docs/formats/kotei-daicho.md): 土地 and 家屋 of a
年度, 所有権の移転 (登記済通知), and 住登外 owners, as CSV with a header row of item names.

Every problem is reported with file, line, item and reason (Japanese); the caller writes
nothing when there is any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from kyodo.layouts.csvfile import (
    Column,
    date,
    flag,
    text,
)
from kyodo.units.zei_kotei.models import Use

MAX_OWNERS = 200


@dataclass(frozen=True)
class Owner:
    atena_no: int
    share: Fraction


# --- item parsers ------------------------------------------------------------------------


def yen(text: str) -> int:
    cleaned = text.replace(",", "")
    if not cleaned.isascii() or not cleaned.isdigit():
        raise ValueError(f"金額は0以上の整数（円）です: {text!r}")
    value = int(cleaned)
    if value > 10**12:
        raise ValueError(f"金額が大きすぎます: {value:,}")
    return value


def area(text: str) -> Decimal:
    """㎡, up to two decimals (地積 and 床面積 are recorded to 0.01 ㎡)."""
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"面積（㎡）は数値です: {text!r}") from None
    if not value.is_finite() or value <= 0 or value >= Decimal(10**12):
        raise ValueError(f"0より大きい面積（㎡）です: {text!r}")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(f"面積は小数点以下2桁までです: {text!r}")
    return value


def count(text: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise ValueError(f"1以上の整数です: {text!r}")
    return int(text)


def year(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1868 <= int(text) <= 2200:
        raise ValueError(f"西暦4桁の年です（例: 2025）: {text!r}")
    return int(text)


USE_LABELS = {label: value for value, label in Use.choices}


def use(value: str) -> str:
    """課税上の区分: the label (住宅用地, 一般住宅用地, 商業地等, 一般農地) or the code."""
    if value in USE_LABELS:
        return USE_LABELS[value]
    if value in Use.values:
        return value
    raise ValueError(f"{'・'.join(USE_LABELS)} のいずれかです: {value!r}")


KIND_LABELS = {"土地": "tochi", "家屋": "kaoku", "tochi": "tochi", "kaoku": "kaoku"}


def bukken_kind(value: str) -> str:
    if value not in KIND_LABELS:
        raise ValueError(f"土地 か 家屋 です: {value!r}")
    return KIND_LABELS[value]


SEX = {"1": 1, "2": 2, "男": 1, "女": 2}


def sex(value: str) -> int:
    if value not in SEX:
        raise ValueError(f"1（男）か 2（女）です: {value!r}")
    return SEX[value]


SHARE = re.compile(r"(\d{1,9})/(\d{1,9})")


def owners(value: str) -> list[Owner]:
    """所有者: ``宛名番号[:持分]`` joined by ``;`` — ``1001`` alone, or ``1001:1/2;1002:1/2``
    for 共有. The shares must add up to 1; the first listed is the 代表者."""
    out: list[Owner] = []
    parts = [p.strip() for p in value.split(";") if p.strip()]
    if len(parts) > MAX_OWNERS:
        raise ValueError(f"所有者は{MAX_OWNERS}人までです（{len(parts)}人）")
    for n, part in enumerate(parts, start=1):
        number, _, share_text = part.partition(":")
        if not number.isascii() or not number.isdigit():
            raise ValueError(f"{n}人目: 宛名番号（数字）[:持分] の形です: {part!r}")
        share = Fraction(1)
        if share_text:
            match = SHARE.fullmatch(share_text)
            if match is None or int(match[1]) == 0 or int(match[1]) > int(match[2]):
                raise ValueError(f"{n}人目: 持分は 1/2 のような分数です: {share_text!r}")
            share = Fraction(int(match[1]), int(match[2]))
        elif len(parts) > 1:
            raise ValueError(f"{n}人目: 共有のときは持分が必要です（例: {number}:1/2）")
        if any(o.atena_no == int(number) for o in out):
            raise ValueError(f"{n}人目: 宛名番号 {number} が重複しています")
        out.append(Owner(int(number), share))
    if not out:
        raise ValueError("所有者の宛名番号がありません")
    total = sum((o.share for o in out), Fraction(0))
    if total != 1:
        raise ValueError(f"持分の合計が1になりません（合計 {total}）")
    return out


# --- layouts -----------------------------------------------------------------------------

OWNERS = (
    Column("所有者", "owners", owners),
    Column("所有開始日", "effective_from", date),
)

TOCHI = (
    Column("所在", "shozai", text(100)),
    Column("地番", "bango", text(30)),
    Column("登記地目", "chimoku", text(20), required=False),
    Column("課税地目", "use", use),
    Column("地積", "area", area),
    Column("住宅戸数", "dwelling_units", count, required=False),
    Column("評価額", "valuation", yen),
    Column("前年度課税標準額", "prev_tax_base", yen),
    Column("前年度課税標準額（都市計画税）", "prev_city_planning_tax_base", yen, required=False),
    *OWNERS,
)

KAOKU = (
    Column("所在", "shozai", text(100)),
    Column("家屋番号", "bango", text(30)),
    Column("種類", "shurui", text(20), required=False),
    Column("構造", "kozo", text(40), required=False),
    Column("耐火", "fire_resistant", flag),
    Column("地上階数", "stories", count),
    Column("床面積", "floor_area", area),
    Column("居住部分の床面積", "residential_floor_area", area, required=False),
    Column("貸家", "rental", flag, required=False),
    Column("建築年", "built_year", year),
    Column("評価額", "valuation", yen),
    *OWNERS,
)

SHOYU = (
    Column("区分", "kind", bukken_kind),
    Column("所在", "shozai", text(100)),
    Column("地番・家屋番号", "bango", text(30)),
    *OWNERS,
)

JUTOGAI = (
    Column("氏", "family_name", text(60)),
    Column("名", "given_name", text(60), required=False),
    Column("氏カナ", "family_kana", text(60)),
    Column("名カナ", "given_kana", text(60), required=False),
    Column("生年月日", "birth_date", date),
    Column("性別", "sex", sex),
    Column("住所", "address", text(200)),
    Column("個人番号", "my_number", text(12), required=False),
)

LAYOUTS = {"tochi": TOCHI, "kaoku": KAOKU, "shoyu": SHOYU, "jutogai": JUTOGAI}


# --- reading -----------------------------------------------------------------------------
