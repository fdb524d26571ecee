"""宛名番号 and 世帯番号: a sequential body plus an M11W2–7 check digit.

Weights 2,3,4,5,6,7,2,3,… from the rightmost digit of the body; r = sum mod 11; check digit
11 − r, with r = 0 → 0. The standard's excerpt does not say what r = 1 (→ 10) gives: we use 0,
the common convention, marked unconfirmed (standards.md §2.3; 住民記録システム標準仕様書 v1.0
§1.1.13, https://github.com/AkihiraYOSHIMOTO/jyuki-stnd/blob/master/doc/j130.txt).
"""

from __future__ import annotations

R1_CONVENTION_CONFIRMED = False


def m11w27_check_digit(body: int | str) -> int:
    digits = str(body)
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"not a number body: {body!r}")
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(digits)))
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def with_check_digit(body: int) -> int:
    """The full number: the body followed by its check digit."""
    return body * 10 + m11w27_check_digit(body)


def is_valid(number: int | str) -> bool:
    digits = str(number)
    if len(digits) < 2 or not digits.isascii() or not digits.isdigit():
        return False
    return m11w27_check_digit(digits[:-1]) == int(digits[-1])
