"""個人番号 check digits (平成26年総務省令第85号 第5条) and masking.

Published valid examples, each re-checked here with the formula:

- ``123456789018`` — TKC's e-TAX 法定調書 Q&A gives it as a well-formed 個人番号 (body
  12345678901, check digit 8), and shows that ``92345678901`` has check digit 4 so the typo
  ``923456789018`` is rejected:
  https://www.prft.tkc.co.jp/SystemqaCPNYFree/Main/QaItem.aspx?category_id=2038&item_id=0083412&system_id=260
- ``983205673214`` — valid, and ``983205673210`` invalid, in the worked example of
  https://qiita.com/ekzemplaro/items/6e4e782c00d29fda15a9 (also listed in standards.md §2.1).

No official (デジタル庁 / 国税庁) sample number was found in the sources searched; these are
vendor and community examples, which is why every one is recomputed rather than trusted.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyodo.atena.mynumber import check_digit, is_valid_my_number, mask, validate_my_number
from kyodo.platform.errors import ValidationFailed

PUBLISHED_VALID = ["123456789018", "983205673214", "923456789014"]
PUBLISHED_INVALID = ["923456789018", "983205673210", "123456789010"]


def _by_the_formula(body: str) -> int:
    """The 省令's wording, independently of the module: Pn from the right, Qn = n+1 or n−5."""
    total = 0
    for n in range(1, 12):
        p = int(body[-n])
        q = n + 1 if n <= 6 else n - 5
        total += p * q
    r = total % 11
    return 0 if r <= 1 else 11 - r


@pytest.mark.parametrize("number", PUBLISHED_VALID)
def test_published_numbers_are_valid(number: str) -> None:
    assert _by_the_formula(number[:11]) == int(number[11])
    assert check_digit(number[:11]) == int(number[11])
    assert validate_my_number(number) == number
    assert is_valid_my_number(number)


@pytest.mark.parametrize("number", PUBLISHED_INVALID)
def test_published_typos_are_rejected(number: str) -> None:
    assert not is_valid_my_number(number)
    with pytest.raises(ValidationFailed, match="検査用数字"):
        validate_my_number(number)


def test_tkc_worked_example() -> None:
    assert check_digit("12345678901") == 8
    assert check_digit("92345678901") == 4


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_exactly_one_check_digit_is_valid_per_body(body: str) -> None:
    valid = [d for d in "0123456789" if is_valid_my_number(body + d)]
    assert valid == [str(check_digit(body))]
    assert check_digit(body) == _by_the_formula(body)


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.integers(0, 10), st.data())
def test_a_single_digit_typo_in_the_body_is_always_caught(
    body: str, position: int, data: st.DataObject
) -> None:
    """Weights 2–7 are all coprime to 11, so changing one body digit changes the check digit —
    except where the remainder moves between 0 and 1, which both map to check digit 0."""
    number = body + str(check_digit(body))
    replacement = data.draw(st.sampled_from([d for d in "0123456789" if d != body[position]]))
    typo = number[:position] + replacement + number[position + 1 :]
    weights = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    remainders = {
        sum(int(d) * w for d, w in zip(b, weights, strict=True)) % 11 for b in (body, typo[:11])
    }
    if remainders != {0, 1}:
        assert not is_valid_my_number(typo)


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("", "未入力"),
        ("12345678901", "11桁"),
        ("1234567890180", "13桁"),
        ("１２３４５６７８９０１８", "半角数字以外"),
        ("1234-5678-9018", "半角数字以外"),
        ("12345678901a", "半角数字以外"),
        (" 123456789018", "半角数字以外"),
    ],
)
def test_malformed_input_names_the_reason(bad: str, reason: str) -> None:
    with pytest.raises(ValidationFailed, match=reason) as info:
        validate_my_number(bad, field="kojin_bango", source="転入届")
    assert info.value.field == "kojin_bango"
    assert info.value.source == "転入届"
    assert "12桁" in info.value.reason


def test_non_strings_are_rejected() -> None:
    with pytest.raises(ValidationFailed, match="文字列"):
        validate_my_number(123456789018)
    with pytest.raises(ValidationFailed) as info:
        validate_my_number(None)
    assert info.value.field == "my_number"


def test_error_messages_never_repeat_the_number() -> None:
    for bad in ("923456789018", "9234567890180", "92345678901８"):
        with pytest.raises(ValidationFailed) as info:
            validate_my_number(bad)
        assert "2345678" not in info.value.message


def test_check_digit_takes_exactly_eleven_ascii_digits() -> None:
    for bad in ("1234567890", "123456789012", "1234567890a", "１２３４５６７８９０１"):
        with pytest.raises(ValueError, match="eleven"):
            check_digit(bad)


def test_mask_shows_only_the_last_four_digits() -> None:
    assert mask("123456789018") == "********9018"
    assert mask("983205673214") == "********3214"
    assert len(mask("123456789018")) == 12


def test_mask_never_reveals_a_short_value_whole() -> None:
    assert mask("") == ""
    assert mask("9018") == "****"
    assert mask("18") == "**"
    assert mask("12345") == "*2345"
