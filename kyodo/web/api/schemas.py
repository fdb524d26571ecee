"""Request and response shapes of the API (documented in the OpenAPI schema)."""

from typing import Any

from ninja import Schema


class Error(Schema):
    error: str
    field: str | None = None
    source: str | None = None


class AddressIn(Schema):
    town: str
    banchi: str
    katagaki: str = ""
    postal_code: str = ""


class MemberIn(Schema):
    family_name: str
    given_name: str = ""
    family_kana: str = ""
    given_kana: str = ""
    birth_date: str  # YYYY-MM-DD
    sex: str  # M | F
    relationship: str  # 続柄, e.g. 世帯主, 妻, 子, 子の子
    nationality: str = "JP"  # ISO 3166-1 alpha-2
    my_number: str | None = None
    kyuuji: str = ""
    kyuuji_kana: str = ""
    honseki: str = ""
    hittousha: str = ""
    alpha_name: str = ""
    tsusho: str = ""
    category: str = ""  # 法第30条の45区分 (foreign residents)
    residence_status: str = ""
    period_of_stay: str = ""
    period_end: str = ""
    residence_card_no: str = ""
    special_permanent_card_no: str = ""


class MoveInIn(Schema):
    moved_on: str
    notified_on: str
    address: AddressIn
    previous_address: str
    members: list[MemberIn]
    from_abroad: bool = False
    ex_officio: bool = False  # 職権記載 (e.g. 住所設定 of someone found living here)


class MovedMember(Schema):
    atena_no: int
    juminhyo_code: str


class MoveInOut(Schema):
    household_no: int
    idou: int
    members: list[MovedMember]


class MoveOutIn(Schema):
    atena_nos: list[int]
    moved_on: str
    notified_on: str
    destination: str
    abroad: bool = False


class MoveOutConfirmIn(Schema):
    moved_in_on: str


class DeathIn(Schema):
    died_on: str
    notified_on: str | None = None


class BirthIn(Schema):
    household_no: int
    notified_on: str
    child: MemberIn


class TenkyoIn(Schema):
    household_no: int
    moved_on: str
    notified_on: str
    address: AddressIn


class CancelIn(Schema):
    reason: str


class IdouOut(Schema):
    idou: int
    kind: str
    records: list[dict[str, Any]]
    notices: list[str] = []


class PersonHit(Schema):
    atena_no: int
    kind: str
    name: str
    kana: str
    birth_date: str
    sex: int
    address: str
    household_no: int | None
    blocked: bool


class SearchOut(Schema):
    results: list[PersonHit]


class CertificateIn(Schema):
    atena_no: int
    kind: str  # juminhyo | kisaijiko | josho | tenshutsu
    requester: str
    purpose: str
    household: bool = False
    layout: str | None = None  # setai_renki | kojin
    with_items: list[str] = []  # zokugara, honseki, juminhyo_code, kojin_bango, history …


class RevealOut(Schema):
    atena_no: int
    my_number: str | None


class BlockIn(Schema):
    kind: str  # shien | kari_shien | general
    operations: list[str]  # shokai, idou, hakko
    level: str = "error"  # error | alert (支援措置 are always error)
    start: str  # YYYY-MM-DD
    end: str | None = None  # 支援措置: start + 1 year - 1 day when omitted
    reason: str = ""


class BlockOut(Schema):
    id: int
    atena_no: int
    kind: str
    operations: list[str]
    level: str
    start_date: str
    end_date: str | None
    ended_on: str | None
    lifted_until: str | None
    reason: str


class LiftIn(Schema):
    on: str | None = None  # YYYY-MM-DD, default today


class TemporaryLiftIn(Schema):
    minutes: int


class JutogaiIn(Schema):
    family_name: str
    given_name: str = ""
    family_kana: str = ""
    given_kana: str = ""
    birth_date: str  # YYYY-MM-DD
    sex: int  # 1 男, 2 女
    address: str  # the address where the person lives (outside this municipality)
    my_number: str | None = None


class JutogaiOut(Schema):
    atena_no: int
    kind: str
