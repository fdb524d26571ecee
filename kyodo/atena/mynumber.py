"""個人番号 (My Number): 12 digits, the last one a check digit (検査用数字).

The number is an 11-digit body followed by one check digit (番号法施行令 第8条). The formula is
fixed by 平成26年総務省令第85号 第5条:

    check digit = 11 − (Σ Pn × Qn mod 11), but 0 when (Σ Pn × Qn mod 11) ≤ 1
    Pn: the n-th digit of the body counted from the right (n = 1 is the rightmost)
    Qn: n + 1 for 1 ≤ n ≤ 6, n − 5 for 7 ≤ n ≤ 11

Read left to right, the weights of body digits 1–11 are 6,5,4,3,2,7,6,5,4,3,2.
Source: ../shared/domain/standards.md §2.1 (which quotes the 省令 via
https://mynumber.okinawa-spot.com/core/archives/227).

We only validate the check digit. The body is J-LIS's conversion of the 住民票コード and is never
derived here (standards.md §2.1). A 個人番号 is 特定個人情報: error messages never repeat it, and
what is displayed goes through ``mask``.
"""

from __future__ import annotations

from kyodo.platform.errors import ValidationFailed

# Weights for body digits 1..11 read left to right (Qn with n counted from the right).
_WEIGHTS = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


# The blind index of a 個人番号 is keyed for this purpose everywhere (search, imports).
INDEX_PURPOSE = "my_number"


def _is_ascii_digits(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()


def check_digit(first11: str) -> int:
    """The 検査用数字 for an 11-digit body (平成26年総務省令第85号 第5条)."""
    if not isinstance(first11, str) or not _is_ascii_digits(first11, 11):
        raise ValueError("expected exactly eleven ASCII digits")
    total = sum(int(d) * w for d, w in zip(first11, _WEIGHTS, strict=True))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_valid_my_number(value: object) -> bool:
    """True when ``value`` is 12 ASCII digits with a matching check digit."""
    return (
        isinstance(value, str)
        and _is_ascii_digits(value, 12)
        and check_digit(value[:11]) == int(value[11])
    )


def validate_my_number(
    value: object, *, field: str = "my_number", source: str | None = None
) -> str:
    """Return ``value`` when it is a well-formed 個人番号; raise ValidationFailed otherwise.

    The reason never contains the number itself (it would end up in logs and on screens);
    it names the length or the check-digit mismatch only.
    """
    if not isinstance(value, str):
        raise ValidationFailed(
            "個人番号は文字列（半角数字12桁）で指定してください", field=field, source=source
        )
    if not _is_ascii_digits(value, 12):
        if not value:
            detail = "未入力"
        elif value.isascii() and value.isdigit():
            detail = f"{len(value)}桁"
        else:
            detail = "半角数字以外の文字（全角数字・ハイフン・空白など）を含みます"
        raise ValidationFailed(
            f"個人番号は半角数字12桁です（入力: {detail}）", field=field, source=source
        )
    if check_digit(value[:11]) != int(value[11]):
        raise ValidationFailed(
            "個人番号の検査用数字（12桁目）が一致しません。入力誤りがないか確認してください",
            field=field,
            source=source,
        )
    return value


def mask(value: str) -> str:
    """Hide all but the last four characters: ``"123456789018"`` → ``"********9018"``.

    Values of four characters or fewer are hidden completely, so masking never reveals a whole
    (malformed) input.
    """
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]
