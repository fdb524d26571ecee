"""The 課税資料 file layouts Kyodo reads: 給与支払報告書 (個人別明細書) and 公的年金等支払報告書
as CSV, one row per person and payer, with a header row of the item names.

The items and their order follow the paper forms' 個人別明細書 (所得税法 第226条 / 地方税法
第317条の6); eLTAX delivers the same items. The exact column layout is documented in
docs/formats/kazei-shiryo.md. Every problem is reported with file, line, item and reason, and
the caller writes nothing when there is any.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kyodo.layouts.csvfile import Column, Parser, date, flag, text


def yen(text: str) -> int:
    cleaned = text.replace(",", "")
    if not cleaned.isascii() or not cleaned.isdigit():
        raise ValueError(f"金額は0以上の整数（円）です: {text!r}")
    value = int(cleaned)
    if value > 10_000_000_000:
        raise ValueError(f"金額が大きすぎます: {value:,}")
    return value


def digits(length_min: int, length_max: int) -> Parser:
    def parse(text: str) -> str:
        if not text.isascii() or not text.isdigit() or not length_min <= len(text) <= length_max:
            span = f"{length_min}" if length_min == length_max else f"{length_min}〜{length_max}"
            raise ValueError(f"半角数字{span}桁です")
        return text

    return parse


def disability(value: str) -> str | None:
    kinds = {"": None, "0": None, "1": "general", "2": "special"}
    if value not in kinds:
        raise ValueError(f"障害者区分は 0（なし）・1（障害者）・2（特別障害者）です: {value!r}")
    return kinds[value]


def dependents(value: str) -> list[dict[str, Any]]:
    """扶養親族: ``生年月日:合計所得`` joined by ``;`` (e.g. ``2010-05-05:0;1950-03-03:0``),
    optionally ``:同居`` for a 同居老親等."""
    out = []
    for n, part in enumerate(p for p in value.split(";") if p.strip()):
        pieces = part.strip().split(":")
        if len(pieces) not in (2, 3) or (len(pieces) == 3 and pieces[2] != "同居"):
            raise ValueError(f"{n + 1}人目: 生年月日:所得[:同居] の形で書いてください: {part!r}")
        out.append(
            {
                "birth_date": date(pieces[0]),
                "income": yen(pieces[1]),
                "cohabiting": len(pieces) == 3,
            }
        )
    return out


KYUYO = (
    Column("提出義務者番号", "payer_no", digits(1, 20)),
    Column("提出義務者名称", "payer_name", text(100)),
    Column("個人番号", "my_number", digits(12, 12), required=False),
    Column("氏名", "name", text(60)),
    Column("生年月日", "birth_date", date),
    Column("支払金額", "salary_income", yen),
    Column("社会保険料等の金額", "social_insurance", yen),
    Column("新生命保険料", "new_general", yen, required=False),
    Column("旧生命保険料", "old_general", yen, required=False),
    Column("介護医療保険料", "care_medical", yen, required=False),
    Column("新個人年金保険料", "new_pension", yen, required=False),
    Column("旧個人年金保険料", "old_pension", yen, required=False),
    Column("控除対象配偶者の生年月日", "spouse_birth_date", date, required=False),
    Column("配偶者の合計所得", "spouse_income", yen, required=False),
    Column("扶養親族", "dependents", dependents, required=False),
    Column("障害者区分", "disability", disability, required=False),
    Column("寡婦", "widow", flag, required=False),
    Column("ひとり親", "single_parent", flag, required=False),
    Column("勤労学生", "working_student", flag, required=False),
    Column("普通徴収切替理由", "futsu_reason", text(10), required=False),
)

NENKIN = (
    Column("年金保険者番号", "payer_no", digits(1, 20)),
    Column("年金保険者名称", "payer_name", text(100)),
    Column("個人番号", "my_number", digits(12, 12), required=False),
    Column("氏名", "name", text(60)),
    Column("生年月日", "birth_date", date),
    Column("支払金額", "pension_income", yen),
    Column("社会保険料の金額", "social_insurance", yen, required=False),
)

LAYOUTS = {"kyuyo": KYUYO, "nenkin": NENKIN}


def birth(values: dict[str, Any]) -> dt.date:
    return dt.date.fromisoformat(values["birth_date"])
