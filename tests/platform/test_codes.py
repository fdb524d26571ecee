"""全国地方公共団体コード check digits.

Source of the rule and of the worked examples: 総務省「全国地方公共団体コード」;
examples as restated in ../shared/domain/standards.md §2.4 (千代田区 131016, 札幌市 011002,
大阪市 271004, 横浜市 141003), and the demo consortium's own codes (射水市 162116,
滑川市 162086, 舟橋村 163210) from the same 総務省 list.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyodo.platform.errors import ValidationFailed
from kyodo.platform.tenancy.codes import PREFECTURES, check_digit, validate_lg_code

PUBLISHED = ["131016", "011002", "271004", "141003", "162116", "162086", "163210"]


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code: str) -> None:
    assert validate_lg_code(code) == code


@pytest.mark.parametrize("code", PUBLISHED)
def test_every_other_check_digit_is_rejected(code: str) -> None:
    for digit in "0123456789":
        if digit != code[5]:
            with pytest.raises(ValidationFailed, match="検査数字"):
                validate_lg_code(code[:5] + digit)


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ("16211", "6桁"),
        ("1621166", "6桁"),
        ("16211a", "6桁"),
        ("１６２１１６", "6桁"),
        ("481234", "都道府県コード"),
        ("001234", "都道府県コード"),
        ("", "6桁"),
    ],
)
def test_malformed_codes_name_the_reason(bad: str, reason: str) -> None:
    with pytest.raises(ValidationFailed, match=reason) as info:
        validate_lg_code(bad, source="test")
    assert info.value.field == "code"


@given(st.sampled_from(sorted(PREFECTURES)), st.integers(0, 999))
def test_exactly_one_check_digit_is_valid(prefecture: str, municipality: int) -> None:
    body = f"{prefecture}{municipality:03d}"
    valid = [d for d in range(10) if str(check_digit(body)) == str(d)]
    assert len(valid) == 1
    assert validate_lg_code(body + str(valid[0]))
