"""Kyodo's layout of the 21-digit 自由使用欄 (free field) of a コンビニ納付書 barcode.

Pure: no Django, no database. The GS1-128 標準料金代理収納 guideline leaves the 21 digits to
the issuer (rules.md §10.3); Kyodo puts in them exactly what finds the installment a slip
pays, so a payment-result row can be matched (消込) from its barcode alone:

=======  ======  ==========================================================================
digits   length  field
=======  ======  ==========================================================================
1–6      6       団体コード: the municipality's 全国地方公共団体コード (check digit included).
                 A consortium may share one 請求書発行企業コード, so the barcode itself says
                 whose slip it is; another municipality's slip is never matched here.
7–8      2       税目コード (``TAX_CODES``)
9–10     2       年度: the fiscal year's last two digits (2000–2099)
11–19    9       通知書番号, zero-padded
20–21    2       期別 (01–99)
=======  ======  ==========================================================================

Every digit is used: 通知書番号 therefore has at most 9 digits.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InvalidInput

__all__ = ["MAX_NOTICE_NO", "TAX_CODES", "NoticeRef", "decode", "decode_key", "encode"]

LENGTH = 21
MAX_NOTICE_NO = 999_999_999
# 税目 → 2-digit code. Codes are never reused once a slip may carry them.
TAX_CODES: dict[str, str] = {
    "juminzei_futsu": "01",
    "kokuho": "02",
    "kotei": "03",
    "kei": "04",
    "hojin": "05",
}
_KINDS = {code: kind for kind, code in TAX_CODES.items()}


@dataclass(frozen=True)
class NoticeRef:
    """Which installment a slip pays: municipality, 税目, 年度, 通知書番号, 期別."""

    tenant_code: str
    tax_kind: str
    fiscal_year: int
    notice_no: int
    kibetsu: int


def encode(ref: NoticeRef) -> str:
    """The 21 digits for ``ref``; every part is checked first."""
    if not (len(ref.tenant_code) == 6 and ref.tenant_code.isascii() and ref.tenant_code.isdigit()):
        raise InvalidInput("tenant_code", f"団体コードは6桁の数字です (got {ref.tenant_code!r})")
    if ref.tax_kind not in TAX_CODES:
        raise InvalidInput("tax_kind", f"税目 {ref.tax_kind!r} には税目コードがありません")
    if not 2000 <= ref.fiscal_year <= 2099:
        raise InvalidInput("fiscal_year", f"年度は 2000〜2099 です (got {ref.fiscal_year})")
    if not 1 <= ref.notice_no <= MAX_NOTICE_NO:
        raise InvalidInput(
            "notice_no", f"通知書番号は 1〜{MAX_NOTICE_NO}（9桁まで）です (got {ref.notice_no})"
        )
    if not 1 <= ref.kibetsu <= 99:
        raise InvalidInput("kibetsu", f"期別は 1〜99 です (got {ref.kibetsu})")
    return (
        f"{ref.tenant_code}{TAX_CODES[ref.tax_kind]}{ref.fiscal_year % 100:02d}"
        f"{ref.notice_no:09d}{ref.kibetsu:02d}"
    )


def decode_key(free: str) -> tuple[str, str, int, int, int] | None:
    """:func:`decode` as a plain tuple (団体コード, 税目, 年度, 通知書番号, 期別), or None when
    the digits are not Kyodo's (:func:`decode` then says why). A payment file decodes 100,000
    of these, and a tuple is much cheaper to build than a frozen dataclass."""
    kind = _KINDS.get(free[6:8])
    if kind is None or len(free) != LENGTH or not free.isdigit():
        return None
    notice_no, kibetsu = int(free[10:19]), int(free[19:21])
    if notice_no == 0 or kibetsu == 0:
        return None
    return (free[:6], kind, 2000 + int(free[8:10]), notice_no, kibetsu)


def decode(free: str) -> NoticeRef:
    """Read the 21 digits back; :class:`InvalidInput` (field ``free``) if they are not ours."""
    if not (len(free) == LENGTH and free.isascii() and free.isdigit()):
        raise InvalidInput("free", f"自由使用欄は{LENGTH}桁の数字です (got {free!r})")
    kind = _KINDS.get(free[6:8])
    if kind is None:
        raise InvalidInput("free", f"税目コード {free[6:8]} は使われていません")
    notice_no, kibetsu = int(free[10:19]), int(free[19:21])
    if notice_no == 0:
        raise InvalidInput("free", "通知書番号が 0 です")
    if kibetsu == 0:
        raise InvalidInput("free", "期別が 00 です")
    return NoticeRef(
        tenant_code=free[:6],
        tax_kind=kind,
        fiscal_year=2000 + int(free[8:10]),
        notice_no=notice_no,
        kibetsu=kibetsu,
    )
