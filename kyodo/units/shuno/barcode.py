"""コンビニ収納 barcode data: the 44 digits of a GS1-128 標準料金代理収納 symbol.

Pure: no Django, no database (import contract ``shuno-slip-is-pure``). The layout, from
rules.md §10.3 (after the GS1 Japan 標準料金代理収納ガイドライン and Hitachi's EUR manual
https://itpfdoc.hitachi.co.jp/manuals/3021/3021701210/EUDS0050.HTM):

====  ======  =====================================================  ==================
from  digits  field                                                  here
====  ======  =====================================================  ==================
0     2       AI, always ``91``                                      ``AI``
2     6       請求書発行企業コード (GS1 company prefix without its "4")  ``company_code``
8     21      自由使用欄, right-padded with 0                          ``free``
29    1       再発行区分 (0 = original, n = n-th reissue)             ``reissue``
30    6       支払期限日 YYMMDD, ``999999`` = no due date              ``due_date``
36    1       印紙フラグ (0 for public money)                          ``stamp``
37    6       支払金額 in yen, zero-padded                             ``amount``
43    1       check digit, modulus 10 weights 3-1                    ``check_digit``
====  ======  =====================================================  ==================

No barcode is made for an amount above the collector's limit (30万円 by default; the cap is
contractual, so it is a parameter). Errors are :class:`InvalidInput` naming the field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .errors import InvalidInput, require_digits, require_int

__all__ = [
    "AI",
    "DEFAULT_LIMIT",
    "LENGTH",
    "MAX_AMOUNT",
    "NO_DUE_DATE",
    "Barcode",
    "build",
    "check_digit",
    "human_readable",
    "modulus10_weight31",
    "parse",
]

AI = "91"  # a user-defined AI; the payment-specific one was never used (rules.md §10.3)
LENGTH = 44
FREE_LENGTH = 21
NO_DUE_DATE = "999999"  # 支払期限日 when there is none
MAX_AMOUNT = 999_999  # what six digits hold
DEFAULT_LIMIT = 300_000  # most chains cap one payment at 30万円; per collector contract
# Japan's GS1 company prefixes start 45 or 49; the code drops the "4" (rules.md §10.3).
COMPANY_CODE_FIRST = ("5", "9")

# Field slices of the 44 digits.
_COMPANY = slice(2, 8)
_FREE = slice(8, 29)
_REISSUE = 29
_DUE = slice(30, 36)
_STAMP = 36
_AMOUNT = slice(37, 43)
_CHECK = 43


@dataclass(frozen=True)
class Barcode:
    """The fields of one 標準料金代理収納 barcode (what :func:`parse` reads back)."""

    company_code: str  # 請求書発行企業コード, 6 digits
    free: str  # 自由使用欄, always 21 digits (padding included)
    reissue: int  # 再発行区分
    due_date: dt.date | None  # 支払期限日; None = 期限なし (999999)
    stamp: int  # 印紙フラグ
    amount: int  # 支払金額 (円)
    check_digit: int

    @property
    def data(self) -> str:
        """The 44 digits (without FNC1, which belongs to the symbol, not to the data)."""
        body = _body(
            company_code=self.company_code,
            free=self.free,
            reissue=self.reissue,
            due=self.due_date,
            stamp=self.stamp,
            amount=self.amount,
        )
        return body + str(self.check_digit)


def check_digit(digits: str) -> int:
    """The check digit of the 43 digits before it: modulus 10, weights 3-1.

    Positions count from the right with the check digit at 1: digits in even positions weigh 3,
    odd ones 1; the check digit brings the weighted sum to a multiple of 10. The AI "91" is
    included (rules.md §10.3).
    """
    require_digits(digits, "data", exact=LENGTH - 1)
    return modulus10_weight31(digits)


def modulus10_weight31(digits: str) -> int:
    """:func:`check_digit` for callers that have checked the 43 ASCII digits themselves (a
    payment file of 100,000 rows checks 100,000 barcodes)."""
    # The rightmost of the 43 is position 2 (even, weight 3). Summing the ASCII bytes and
    # taking 48 ("0") off each is the digit sum without one int() per digit.
    heavy, light = digits[-1::-2].encode(), digits[-2::-2].encode()
    total = 3 * (sum(heavy) - 48 * len(heavy)) + sum(light) - 48 * len(light)
    return (10 - total % 10) % 10


def build(
    *,
    company_code: str,
    free: str,
    reissue: int,
    due_date: dt.date | None,
    stamp: int,
    amount: int,
    limit: int = DEFAULT_LIMIT,
) -> str:
    """The 44 digits for these fields; every field is checked first.

    ``free`` may be shorter than 21 digits and is right-padded with 0, as the guideline says
    ("21桁に満たない場合は,後ろを「0」で埋めて"). ``stamp`` must be 0: Kyodo collects public money
    (公金), whose 印紙フラグ is always 0. ``amount`` above ``limit`` gets no barcode.
    """
    _check_limit(limit)
    _check_company_code(company_code)
    require_digits(free, "free", most=FREE_LENGTH)
    if not free:
        raise InvalidInput("free", "空です。納付書を特定する番号（1〜21桁の数字）が必要です")
    _check_reissue(reissue)
    _check_due_date(due_date)
    require_int(stamp, "stamp")
    if stamp != 0:
        raise InvalidInput(
            "stamp", f"公金の納付書では印紙フラグは 0 です (got {stamp!r}; rules.md §10.3)"
        )
    _check_amount(amount, limit)
    body = _body(
        company_code=company_code,
        free=free.ljust(FREE_LENGTH, "0"),
        reissue=reissue,
        due=due_date,
        stamp=stamp,
        amount=amount,
    )
    return body + str(check_digit(body))


def parse(data: str) -> Barcode:
    """Split 44 digits back into their fields, verifying the AI and the check digit."""
    require_digits(data, "data", exact=LENGTH)
    if not data.startswith(AI):
        raise InvalidInput("data", f"先頭はアプリケーション識別子 {AI} です (got {data[:2]})")
    expected = check_digit(data[:_CHECK])
    if int(data[_CHECK]) != expected:
        raise InvalidInput(
            "data", f"チェックデジットが合いません（{data[_CHECK]} ではなく {expected} のはず）"
        )
    company_code = data[_COMPANY]
    _check_company_code(company_code, field="data")
    stamp = int(data[_STAMP])
    if stamp not in (0, 1):
        raise InvalidInput("data", f"印紙フラグは 0 か 1 です (got {stamp})")
    return Barcode(
        company_code=company_code,
        free=data[_FREE],
        reissue=int(data[_REISSUE]),
        due_date=_read_due_date(data[_DUE]),
        stamp=stamp,
        amount=int(data[_AMOUNT]),
        check_digit=expected,
    )


def human_readable(data: str) -> tuple[str, str]:
    """The two lines printed under the symbol, fields split by hyphens.

    The guideline asks for the digits in two lines under the bars, with the AI in parentheses;
    hyphens between fields are the form Hitachi's EUR accepts ("(91)912345-...-1"). Line one is
    the AI, company code and free field; line two the rest.
    """
    code = parse(data)
    first = f"({AI}){code.company_code}-{code.free}"
    second = "-".join(
        [data[_REISSUE], data[_DUE], data[_STAMP], data[_AMOUNT], data[_CHECK]],
    )
    return first, second


# --- fields ------------------------------------------------------------------------------------


def _body(
    *, company_code: str, free: str, reissue: int, due: dt.date | None, stamp: int, amount: int
) -> str:
    due_text = NO_DUE_DATE if due is None else due.strftime("%y%m%d")
    return f"{AI}{company_code}{free}{reissue}{due_text}{stamp}{amount:06d}"


def _check_company_code(value: object, field: str = "company_code") -> None:
    code = require_digits(value, field, exact=6)
    if code[0] not in COMPANY_CODE_FIRST:
        raise InvalidInput(
            field,
            f"請求書発行企業コードは 9 か 5 で始まります（GS1事業者コード 49/45… から先頭の 4 を"
            f"除いた6桁） (got {code})",
        )


def _check_reissue(value: object) -> None:
    reissue = require_int(value, "reissue")
    if not 0 <= reissue <= 9:
        raise InvalidInput("reissue", f"再発行区分は 0〜9 の1桁です (got {reissue})")


def _check_due_date(value: object) -> None:
    if value is None:
        return
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InvalidInput("due_date", f"日付か null で指定してください (got {value!r})")
    # YYMMDD keeps two digits of the year: only 2000–2099 reads back unambiguously.
    if not 2000 <= value.year <= 2099:
        raise InvalidInput(
            "due_date", f"支払期限日は 2000〜2099 年の日付です (got {value.isoformat()})"
        )


def _check_limit(value: object) -> None:
    limit = require_int(value, "limit")
    if not 0 <= limit <= MAX_AMOUNT:
        raise InvalidInput("limit", f"収納限度額は 0〜{MAX_AMOUNT:,}円です (got {limit:,})")


def _check_amount(value: object, limit: int) -> None:
    amount = require_int(value, "amount")
    if amount < 0:
        raise InvalidInput("amount", f"支払金額は 0円以上です (got {amount:,})")
    if amount > limit:
        raise InvalidInput(
            "amount",
            f"支払金額 {amount:,}円 は収納限度額 {limit:,}円 を超えるため、"
            "コンビニ収納のバーコードは作れません",
        )


def _read_due_date(text: str) -> dt.date | None:
    if text == NO_DUE_DATE:
        return None
    try:
        return dt.date(2000 + int(text[:2]), int(text[2:4]), int(text[4:]))
    except ValueError:
        raise InvalidInput(
            "data", f"支払期限日 {text} は YYMMDD の日付でも {NO_DUE_DATE} でもありません"
        ) from None
