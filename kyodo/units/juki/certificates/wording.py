"""Every fixed text printed on a certificate, in one place for review against the standard.

The standard (住民記録システム標準仕様書 第3章 5.1) prescribes the 認証文 in its 第4章 (帳票),
which we have not retrieved. The 住民票の写し wording matches what issued copies show (two
independent public descriptions). The other three are our wording, modelled on it: check them
against 第4章 before production.
"""

from __future__ import annotations

from .model import CertificateKind

TITLES: dict[CertificateKind, str] = {
    CertificateKind.JUMINHYO: "住民票の写し",
    CertificateKind.KISAIJIKO: "住民票記載事項証明書",
    CertificateKind.JOSHO: "住民票の除票の写し",
    CertificateKind.TENSHUTSU: "転出証明書",
}

CERTIFICATION_JUMINHYO = "この写しは、住民票の原本と相違ないことを証明する。"
CERTIFICATION_KISAIJIKO = "上記のとおり住民票に記載されていることを証明する。"
CERTIFICATION_JOSHO = "この写しは、住民票の除票の原本と相違ないことを証明する。"
CERTIFICATION_TENSHUTSU = "上記の者は、転出の届出をしたことを証明する。"

CERTIFICATION_TEXTS: dict[CertificateKind, str] = {
    CertificateKind.JUMINHYO: CERTIFICATION_JUMINHYO,
    CertificateKind.KISAIJIKO: CERTIFICATION_KISAIJIKO,
    CertificateKind.JOSHO: CERTIFICATION_JOSHO,
    CertificateKind.TENSHUTSU: CERTIFICATION_TENSHUTSU,
}

ISSUE_NO = "発行番号"
PAGE_NO = "{page} / {pages}"

# Always printed
ADDRESS = "住所"
NAME = "氏名"
BIRTH_DATE = "生年月日"
SEX = "性別"
KYUUJI = "旧氏"
BECAME_RESIDENT = "住民となった年月日"
ADDRESS_FIXED = "住所を定めた年月日"
NOTIFIED = "届出日"
PREVIOUS_ADDRESS = "転入前住所"
PRIOR_ADDRESS = "異動前住所"
ALPHABET_NAME = "氏名（英字）"
TSUSHO = "通称"

# Printed only when requested (Options)
SETAINUSHI = "世帯主"
ZOKUGARA = "続柄"
HONSEKI = "本籍"
HITTOSHA = "筆頭者"
JUMINHYO_CODE = "住民票コード"
KOJIN_BANGO = "個人番号"
HISTORY = "異動履歴"
HISTORY_CONTINUED = "異動履歴（{name}・続き）"
KOKUSEKI = "国籍・地域"
ZAIRYU_KUBUN = "法第30条の45に規定する区分"
ZAIRYU_SHIKAKU = "在留資格"
ZAIRYU_KIKAN = "在留期間"
ZAIRYU_MANRYO = "在留期間の満了の日"
ZAIRYU_CARD = "在留カード等の番号"

OPTIONAL_LABELS = (
    SETAINUSHI,
    ZOKUGARA,
    HONSEKI,
    HITTOSHA,
    JUMINHYO_CODE,
    KOJIN_BANGO,
    HISTORY,
    KOKUSEKI,
    ZAIRYU_KUBUN,
    ZAIRYU_SHIKAKU,
    ZAIRYU_KIKAN,
    ZAIRYU_MANRYO,
    ZAIRYU_CARD,
)

# 除票 / 転出証明書
REMOVAL_REASON = "消除事由"
REMOVED_ON = "消除日"
MOVED_OUT_TO = "転出先住所"
MOVE_OUT_ON = "転出予定年月日"
