"""宛名番号 and 世帯番号 check digits: modulus 11, weights 2–7 from the rightmost digit.

Source: 住民記録システム標準仕様書 v1.0 §1.1.13 (transcribed at
https://github.com/AkihiraYOSHIMOTO/jyuki-stnd/blob/master/doc/j130.txt), restated in
../shared/domain/standards.md §2.3: r = Σ(digit × weight) mod 11, check digit 11 − r, r = 0 → 0.
The standard does not say what r = 1 gives; Kyodo uses 0 and marks it unconfirmed
(``R1_CONVENTION_CONFIRMED``). The worked examples below are computed by hand from that rule.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyodo.atena.numbering import (
    R1_CONVENTION_CONFIRMED,
    is_valid,
    m11w27_check_digit,
    with_check_digit,
)


@pytest.mark.parametrize(
    ("body", "digit"),
    [
        # 6·2 + 5·3 + 4·4 + 3·5 + 2·6 + 1·7 = 77; 77 mod 11 = 0 → 0
        (123456, 0),
        # 1·2 + 1·2 (weights restart at 2 after 7) = 4 → 11 − 4 = 7
        (1000001, 7),
        # 0·2 + 0·3 + 1·4 = 4 → 7
        (100, 7),
        # 5·2 = 10 → 11 − 10 = 1
        (5, 1),
        # 9·2 + 8·3 + 7·4 + 6·5 + 5·6 + 4·7 + 3·2 + 2·3 + 1·4 = 174; 174 mod 11 = 9 → 2
        (123456789, 2),
    ],
)
def test_worked_examples(body: int, digit: int) -> None:
    assert m11w27_check_digit(body) == digit
    assert with_check_digit(body) == body * 10 + digit
    assert is_valid(body * 10 + digit)


def test_remainder_one_uses_the_unconfirmed_zero_convention() -> None:
    # 6·2 = 12; 12 mod 11 = 1 → 11 − 1 = 10 is not a digit: 0 by convention.
    assert m11w27_check_digit(6) == 0
    assert R1_CONVENTION_CONFIRMED is False


@given(st.integers(min_value=1, max_value=10**12))
def test_every_number_with_its_digit_is_valid_and_a_changed_digit_is_not(body: int) -> None:
    number = with_check_digit(body)
    assert is_valid(number)
    last = number % 10
    wrong = [number - last + d for d in range(10) if d != last]
    assert not any(is_valid(w) for w in wrong)


@pytest.mark.parametrize("bad", ["", "7", "12a4", "１２３４"])
def test_malformed_numbers_are_not_valid(bad: str) -> None:
    assert not is_valid(bad)
