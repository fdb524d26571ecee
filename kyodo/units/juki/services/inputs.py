"""Parsing 異動 input (JSON from the CLI and the API, or form data) into checked values.

Every problem names where it is (``members[1].birth_date``) and why; nothing is written until
all of the input has passed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from kyodo.atena.kana import is_katakana_name, to_katakana
from kyodo.atena.mynumber import validate_my_number
from kyodo.atena.zokugara import validate_zokugara
from kyodo.platform.errors import ValidationFailed
from kyodo.units.juki.services.common import Address

SEXES = {"M": 1, "F": 2, "1": 1, "2": 2}
# 法第30条の45 区分 (standards.md §1.3)
FOREIGN_CATEGORIES = {
    "chuchoki": "中長期在留者",
    "tokubetsu_eijusha": "特別永住者",
    "ichiji_higo": "一時庇護許可者",
    "kari_taizai": "仮滞在者",
    "keika_taizai": "経過滞在者",
}
# The items each category requires (standards.md §1.3).
FOREIGN_REQUIRED = {
    "chuchoki": ("residence_status", "period_of_stay", "period_end", "residence_card_no"),
    "tokubetsu_eijusha": ("special_permanent_card_no",),
    "ichiji_higo": ("landing_period",),
    "kari_taizai": ("provisional_stay_period",),
    "keika_taizai": (),
}


@dataclass(frozen=True)
class MemberInput:
    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    birth_date: dt.date
    sex: int
    relationship: str
    nationality: str = "JP"
    my_number: str | None = None
    kyuuji: str = ""
    kyuuji_kana: str = ""
    honseki: str = ""
    hittousha: str = ""
    alpha_name: str = ""
    tsusho: str = ""
    foreign: dict[str, Any] = field(default_factory=dict)


class Reader:
    """Reads fields from a dict, raising ValidationFailed that names source and path."""

    def __init__(self, data: Any, *, source: str | None, path: str = "") -> None:
        if not isinstance(data, dict):
            raise ValidationFailed(
                "オブジェクト（{…}）が必要です", field=path or None, source=source
            )
        self.data, self.source, self.path = data, source, path

    def _field(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def fail(self, name: str, reason: str) -> ValidationFailed:
        return ValidationFailed(reason, field=self._field(name), source=self.source)

    def text(self, name: str, *, required: bool = True, max_length: int = 200) -> str:
        value = self.data.get(name)
        if value is None or value == "":
            if required:
                raise self.fail(name, "必須項目です")
            return ""
        if not isinstance(value, str):
            raise self.fail(name, "文字列が必要です")
        value = value.strip()
        if len(value) > max_length:
            raise self.fail(name, f"{max_length}文字以内です")
        return value

    def date(self, name: str, *, required: bool = True) -> dt.date | None:
        value = self.text(name, required=required, max_length=10)
        if not value:
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise self.fail(name, f"日付は YYYY-MM-DD です (got {value!r})") from None

    def child(self, name: str) -> Reader:
        return Reader(self.data.get(name), source=self.source, path=self._field(name))

    def items(self, name: str) -> list[Reader]:
        values = self.data.get(name)
        if not isinstance(values, list) or not values:
            raise self.fail(name, "1件以上の配列が必要です")
        return [
            Reader(v, source=self.source, path=f"{self._field(name)}[{i}]")
            for i, v in enumerate(values)
        ]


def read_address(reader: Reader) -> Address:
    return Address(
        town=reader.text("town", max_length=60),
        banchi=reader.text("banchi", max_length=40),
        katagaki=reader.text("katagaki", required=False, max_length=80),
        postal_code=reader.text("postal_code", required=False, max_length=8),
    )


def _kana(reader: Reader, name: str, *, required: bool) -> str:
    value = to_katakana(reader.text(name, required=required, max_length=60))
    if value and not is_katakana_name(value):
        raise reader.fail(name, f"カタカナで入力してください (got {value!r})")
    return value


def read_member(reader: Reader) -> MemberInput:
    sex = SEXES.get(reader.text("sex", max_length=1))
    if sex is None:
        raise reader.fail("sex", "性別は M または F です")
    nationality = reader.text("nationality", required=False, max_length=2).upper() or "JP"
    if len(nationality) != 2 or not nationality.isalpha() or not nationality.isascii():
        raise reader.fail("nationality", "国籍・地域は ISO 3166 の英字2文字です (例: JP, VN)")
    my_number = reader.text("my_number", required=False, max_length=12) or None
    if my_number:
        validate_my_number(my_number, field=reader._field("my_number"), source=reader.source)
    relationship = validate_zokugara(
        reader.text("relationship", max_length=30),
        field=reader._field("relationship"),
        source=reader.source,
    )
    foreign: dict[str, Any] = {}
    japanese = nationality == "JP"
    if not japanese:
        category = reader.text("category", max_length=20)
        if category not in FOREIGN_CATEGORIES:
            raise reader.fail(
                "category",
                "法第30条の45区分は " + ", ".join(FOREIGN_CATEGORIES) + " のいずれかです",
            )
        foreign["category"] = category
        for item in FOREIGN_REQUIRED[category]:
            foreign[item] = reader.text(item, max_length=60)
        if "period_end" in foreign:
            end = reader.date("period_end")
            foreign["period_end"] = end.isoformat() if end else ""
    birth = reader.date("birth_date")
    assert birth is not None
    return MemberInput(
        family_name=reader.text("family_name", max_length=60),
        given_name=reader.text("given_name", required=japanese, max_length=60),
        family_kana=_kana(reader, "family_kana", required=japanese),
        given_kana=_kana(reader, "given_kana", required=False),
        birth_date=birth,
        sex=sex,
        relationship=relationship,
        nationality=nationality,
        my_number=my_number,
        kyuuji=reader.text("kyuuji", required=False, max_length=60),
        kyuuji_kana=_kana(reader, "kyuuji_kana", required=False),
        honseki=reader.text("honseki", required=False) if japanese else "",
        hittousha=reader.text("hittousha", required=False, max_length=130) if japanese else "",
        alpha_name=reader.text("alpha_name", required=not japanese, max_length=120),
        tsusho=reader.text("tsusho", required=False, max_length=60),
        foreign=foreign,
    )
