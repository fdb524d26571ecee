"""What to print on a 住民記録 certificate: plain frozen data, decided entirely by the caller.

The renderer makes no decisions about who may see what. The caller (the issuing service) has
already applied 抑止, 支援措置 and the requester's choices; it passes exactly the persons and
the optional items to print. Optional items default to *omitted* (標準仕様書 §5.1: 省略 unless
specifically requested).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

NO_PERSONS = "A certificate needs at least one person."
REMOVAL_REQUIRED = "住民票の除票の写し needs 消除事由 and 消除日 for every person."
MOVE_OUT_REQUIRED = "転出証明書 needs 転出先住所 and 転出予定日 for every person."
HISTORY_DATE_REQUIRED = "History lines are (date, text) pairs."


class CertificateKind(enum.Enum):
    JUMINHYO = "juminhyo"  # 住民票の写し
    KISAIJIKO = "kisaijiko"  # 住民票記載事項証明書
    JOSHO = "josho"  # 住民票の除票の写し
    TENSHUTSU = "tenshutsu"  # 転出証明書


class Layout(enum.Enum):
    SETAI_RENKI = "setai_renki"  # 世帯連記式: up to 4 persons per sheet
    KOJIN = "kojin"  # 個人票: A4 portrait, one person per sheet


@dataclass(frozen=True, slots=True, kw_only=True)
class Options:
    """Optional items the requester asked for. Anything False is not printed at all."""

    setainushi_zokugara: bool = False  # 世帯主の氏名・世帯主との続柄
    honseki: bool = False  # 本籍・筆頭者 (Japanese residents only)
    juminhyo_code: bool = False  # 住民票コード
    kojin_bango: bool = False  # 個人番号
    history: bool = False  # 異動履歴
    # Foreign residents (標準仕様書 §5.1 lets each of these be omitted as well):
    kokuseki: bool = False  # 国籍・地域
    zairyu_kubun: bool = False  # 法第30条の45に規定する区分
    zairyu_shikaku: bool = False  # 在留資格・在留期間・在留期間の満了の日
    zairyu_card: bool = False  # 在留カード等の番号


@dataclass(frozen=True, slots=True, kw_only=True)
class ForeignResident:
    """Items of a 外国人住民 (住基法 第30条の45). Their 生年月日 prints in 西暦."""

    alphabet_name: str
    nationality: str  # 国籍・地域
    category: str  # 法第30条の45に規定する区分, e.g. "中長期在留者"
    tsusho: str = ""  # 通称
    tsusho_kana: str = ""
    residence_status: str = ""  # 在留資格
    period_of_stay: str = ""  # 在留期間, e.g. "3年"
    period_expires_on: date | None = None  # 在留期間の満了の日 (printed in 西暦)
    card_number: str = ""  # 在留カード等の番号


@dataclass(frozen=True, slots=True, kw_only=True)
class PersonEntry:
    """One person as printed. Text may carry IVS sequences exactly as the registry holds them."""

    name: str  # 氏名 (for a foreign resident: the name as registered, kanji 併記 or alphabet)
    name_kana: str  # 氏名の振り仮名 (may be "" while the 戸籍 reading is not yet notified)
    birth_date: date
    sex: str  # "男" / "女"
    became_resident_on: date  # 住民となった年月日
    address_fixed_on: date  # 住所を定めた年月日
    notified_on: date | None = None  # 届出日 (None: 職権 or unknown)
    zokugara: str = ""  # 世帯主との続柄
    previous_address: str = ""  # 転入前住所 ("" when no data survives)
    prior_address: str = ""  # 異動前住所 (after an in-town 転居)
    kyuuji: str = ""  # 旧氏
    kyuuji_kana: str = ""
    honseki: str = ""  # 本籍
    hittosha: str = ""  # 筆頭者
    juminhyo_code: str = ""
    kojin_bango: str = ""
    foreign: ForeignResident | None = None
    # 除票 / 転出証明書
    removal_reason: str = ""  # 消除事由, e.g. "転出", "死亡"
    removed_on: date | None = None  # 消除日
    moved_out_to: str = ""  # 転出先住所
    move_out_on: date | None = None  # 転出予定年月日 (転出証明書)
    history: Sequence[tuple[date, str]] = ()  # 異動履歴: (date, text), oldest first

    def __post_init__(self) -> None:
        history = tuple((when, str(text)) for when, text in self.history)
        if any(not isinstance(when, date) for when, _ in history):
            raise ValueError(HISTORY_DATE_REQUIRED)
        object.__setattr__(self, "history", history)

    @property
    def is_foreign(self) -> bool:
        return self.foreign is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class Certificate:
    """One certificate (one 発行番号). It may run over several pages."""

    kind: CertificateKind
    layout: Layout
    options: Options = field(default_factory=Options)
    municipality: str  # e.g. "富山県射水市"
    mayor: str  # e.g. "射水市長　山田　太郎"
    address: str  # 住所, 方書 included
    setainushi: str  # 世帯主の氏名 (printed only with Options.setainushi_zokugara)
    persons: Sequence[PersonEntry]
    issue_no: str  # 発行番号
    issued_on: date
    # A line under the 発行番号 on every page, e.g. how fresh the data of a down-recovery
    # (ダウンリカバリ) issue is; nothing when empty.
    remark: str = ""

    def __post_init__(self) -> None:
        persons = tuple(self.persons)
        object.__setattr__(self, "persons", persons)
        if not persons:
            raise ValueError(NO_PERSONS)
        if self.kind is CertificateKind.JOSHO and any(
            not p.removal_reason or p.removed_on is None for p in persons
        ):
            raise ValueError(REMOVAL_REQUIRED)
        if self.kind is CertificateKind.TENSHUTSU and any(
            not p.moved_out_to or p.move_out_on is None for p in persons
        ):
            raise ValueError(MOVE_OUT_REQUIRED)
