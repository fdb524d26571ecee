"""コンビニ収納 barcode data (GS1-128 標準料金代理収納, 44 digits): build, parse, check digit.

Pure tests: no database. Sources of the format:

* /work/shared/domain/rules.md §10.3 (field table, check digit, the worked example, the 30万円
  limit), which restates the GS1 Japan 標準料金代理収納ガイドライン
  (http://www.dsri.jp/standard/barcode/gs1-128_payment_service.html);
* Hitachi EUR システム設計ガイド 4.4.6
  https://itpfdoc.hitachi.co.jp/manuals/3021/3021701210/EUDS0050.HTM: "自由使用欄です。21桁に
  満たない場合は,後ろを「0」で埋めて指定してください", the 5/9 first digit of the
  請求書発行企業コード, YYMMDD, and the hyphenated human-readable form "(91)912345-...-1".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyodo.units.shuno.barcode import (
    DEFAULT_LIMIT,
    NO_DUE_DATE,
    Barcode,
    build,
    check_digit,
    human_readable,
    parse,
)
from kyodo.units.shuno.errors import InvalidInput

# rules.md §10.3, "Verified vector (reproduced independently; taken from comments in a public
# Java codebase)": 91 + 912345 + 0123456789012345678901 + 010331 + 0 + 123000 → CD 3, where
# the 22-digit group is the 21-digit free field plus the 再発行区分.
RULES_VECTOR = "91" + "912345" + "0123456789012345678901" + "010331" + "0" + "123000" + "3"

FIELDS: dict[str, Any] = {
    "company_code": "912345",
    "free": "123456789",
    "reissue": 0,
    "due_date": dt.date(2026, 12, 25),
    "stamp": 0,
    "amount": 12300,
}


def make(**change: Any) -> str:
    return build(**{**FIELDS, **change})


def with_check_digit(digits43: str) -> str:
    return digits43 + str(check_digit(digits43))


# --- the check digit ------------------------------------------------------------------------


def test_check_digit_of_the_rules_md_worked_example() -> None:
    """rules.md §10.3: the 43 digits of the verified vector have check digit 3."""
    assert len(RULES_VECTOR) == 44
    assert check_digit(RULES_VECTOR[:43]) == 3
    assert parse(RULES_VECTOR).check_digit == 3


def test_the_worked_example_splits_into_its_fields() -> None:
    """rules.md §10.3's note: the 22-digit group is 21 free digits plus the 再発行区分."""
    assert parse(RULES_VECTOR) == Barcode(
        company_code="912345",
        free="012345678901234567890",
        reissue=1,
        due_date=dt.date(2001, 3, 31),
        stamp=0,
        amount=123000,
        check_digit=3,
    )
    assert (
        build(
            company_code="912345",
            free="012345678901234567890",
            reissue=1,
            due_date=dt.date(2001, 3, 31),
            stamp=0,
            amount=123000,
        )
        == RULES_VECTOR
    )


def test_the_stack_notes_sample_value_has_a_wrong_check_digit() -> None:
    """stack-notes §5 scanned "(91)912345012345678901234567890123412612310013" as a symbol
    test; by rules.md §10.3's rule its check digit is 5, not 3, so parse refuses it."""
    sample = "91912345012345678901234567890123412612310013"
    assert check_digit(sample[:43]) == 5
    with pytest.raises(InvalidInput, match="チェックデジットが合いません"):
        parse(sample)


@given(st.text("0123456789", min_size=43, max_size=43))
def test_weighted_sum_including_the_check_digit_is_a_multiple_of_ten(digits: str) -> None:
    """rules.md §10.3 restated: counting from the right with the check digit at position 1,
    weight 1 on odd and 3 on even positions makes the total a multiple of 10."""
    data = with_check_digit(digits)
    weights = [1 if i % 2 == 0 else 3 for i in range(44)]
    assert sum(int(d) * w for d, w in zip(reversed(data), weights, strict=True)) % 10 == 0


@given(
    st.text("0123456789", min_size=41, max_size=41),
    st.integers(2, 43),
    st.integers(1, 9),
)
def test_every_single_digit_error_is_caught(digits: str, position: int, delta: int) -> None:
    """Weights 3 and 1 are both prime to 10, so changing any one digit after the AI changes
    the weighted sum mod 10, and parse says so before looking at any other field."""
    data = with_check_digit("91" + digits)
    wrong = data[:position] + str((int(data[position]) + delta) % 10) + data[position + 1 :]
    with pytest.raises(InvalidInput, match="チェックデジットが合いません") as info:
        parse(wrong)
    assert info.value.field == "data"


# --- build and parse ------------------------------------------------------------------------


def test_build_lays_out_every_field() -> None:
    data = make()
    assert len(data) == 44 and data.isdigit()
    assert data[:2] == "91"
    assert data[2:8] == "912345"
    # Hitachi EUR 4.4.6: "21桁に満たない場合は,後ろを「0」で埋めて".
    assert data[8:29] == "123456789" + "0" * 12
    assert data[29] == "0"
    assert data[30:36] == "261225"
    assert data[36] == "0"
    assert data[37:43] == "012300"
    assert data[43] == str(check_digit(data[:43]))


def test_no_due_date_is_999999() -> None:
    """rules.md §10.3: 999999 = no due date."""
    data = make(due_date=None)
    assert data[30:36] == NO_DUE_DATE == "999999"
    assert parse(data).due_date is None


company_codes = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("59"),
    st.text("0123456789", min_size=5, max_size=5),
)
free_fields = st.text("0123456789", min_size=1, max_size=21)
due_dates = st.none() | st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))


@given(
    company_code=company_codes,
    free=free_fields,
    reissue=st.integers(0, 9),
    due_date=due_dates,
    limit=st.integers(0, 999_999),
    data=st.data(),
)
def test_build_then_parse_gives_every_field_back(
    *,
    company_code: str,
    free: str,
    reissue: int,
    due_date: dt.date | None,
    limit: int,
    data: st.DataObject,
) -> None:
    amount = data.draw(st.integers(0, limit))
    built = build(
        company_code=company_code,
        free=free,
        reissue=reissue,
        due_date=due_date,
        stamp=0,
        amount=amount,
        limit=limit,
    )
    code = parse(built)
    assert code.company_code == company_code
    assert code.free == free.ljust(21, "0")
    assert code.reissue == reissue
    assert code.due_date == due_date
    assert code.stamp == 0
    assert code.amount == amount
    assert code.data == built


@given(
    st.builds(
        lambda company, free, reissue, due, stamp, amount: (
            "91" + company + free + reissue + due + stamp + amount
        ),
        company_codes,
        st.text("0123456789", min_size=21, max_size=21),
        st.text("0123456789", min_size=1, max_size=1),
        st.just(NO_DUE_DATE)
        | st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)).map(lambda d: d.strftime("%y%m%d")),
        st.sampled_from("01"),
        st.text("0123456789", min_size=6, max_size=6),
    )
)
def test_parse_then_data_gives_the_same_digits(digits43: str) -> None:
    data = with_check_digit(digits43)
    assert parse(data).data == data


def test_human_readable_is_two_lines_of_the_same_digits() -> None:
    """GS1 Japan guideline (via rolan.co.jp): the digits in two lines under the bars, the AI in
    parentheses; Hitachi EUR's hyphenated form "(91)912345-...-1"."""
    data = make(reissue=2)
    first, second = human_readable(data)
    assert first == "(91)912345-123456789000000000000"
    assert second == "2-261225-0-012300-" + data[-1]
    assert (first + second).replace("(", "").replace(")", "").replace("-", "") == data


# --- the collector's limit ------------------------------------------------------------------


def test_the_default_limit_is_300000_yen() -> None:
    """rules.md §10.3: amounts over 300,000 yen were not given a barcode."""
    assert DEFAULT_LIMIT == 300_000
    assert parse(make(amount=300_000)).amount == 300_000
    with pytest.raises(InvalidInput) as info:
        make(amount=300_001)
    assert info.value.field == "amount"
    assert "300,001円" in info.value.reason and "収納限度額 300,000円" in info.value.reason


def test_the_limit_is_a_parameter() -> None:
    assert parse(make(amount=300_001, limit=500_000)).amount == 300_001
    assert parse(make(amount=999_999, limit=999_999)).amount == 999_999
    with pytest.raises(InvalidInput, match="収納限度額 1,000円"):
        make(amount=1_001, limit=1_000)
    assert parse(make(amount=0, limit=0)).amount == 0


@pytest.mark.parametrize(
    ("limit", "reason"),
    [(1_000_000, "0〜999,999円"), (-1, "0〜999,999円"), (300000.0, "整数"), (True, "整数")],
)
def test_a_limit_six_digits_cannot_hold_is_refused(limit: Any, reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        make(limit=limit)
    assert info.value.field == "limit"
    assert reason in info.value.reason


# --- every validation error -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("company_code", 912345, "数字の文字列"),
        ("company_code", "91234", "6桁です"),
        ("company_code", "9123456", "6桁です"),
        ("company_code", "91234a", "半角数字"),
        ("company_code", "９１２３４５", "半角数字"),
        ("company_code", "412345", "9 か 5 で始まります"),
        ("company_code", "", "6桁です"),
        ("free", 123, "数字の文字列"),
        ("free", "", "空です"),
        ("free", "1" * 22, "21桁まで"),
        ("free", "12-34", "半角数字"),
        ("free", "１２３", "半角数字"),
        ("reissue", 10, "0〜9"),
        ("reissue", -1, "0〜9"),
        ("reissue", "0", "整数"),
        ("reissue", False, "整数"),
        ("due_date", "2026-12-25", "日付か null"),
        ("due_date", dt.datetime(2026, 12, 25, tzinfo=dt.UTC), "日付か null"),
        ("due_date", dt.date(1999, 12, 31), "2000〜2099"),
        ("due_date", dt.date(2100, 1, 1), "2000〜2099"),
        ("stamp", 1, "印紙フラグは 0"),
        ("stamp", "0", "整数"),
        ("amount", -1, "0円以上"),
        ("amount", 12300.0, "整数"),
        ("amount", "12300", "整数"),
        ("amount", True, "整数"),
        ("amount", None, "整数"),
        ("amount", 1_000_000, "収納限度額"),
    ],
)
def test_bad_field_is_refused_with_its_name_and_reason(field: str, value: Any, reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        make(**{field: value})
    assert info.value.field == field
    assert reason in info.value.reason
    assert str(info.value).startswith(f"field '{field}': ")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (RULES_VECTOR[:-1], "44桁です"),
        (RULES_VECTOR + "0", "44桁です"),
        (RULES_VECTOR[:-1] + "x", "半角数字"),
        (4491912345, "数字の文字列"),
        (with_check_digit("92" + RULES_VECTOR[2:43]), "アプリケーション識別子 91"),
        (RULES_VECTOR[:-1] + "4", "チェックデジットが合いません（4 ではなく 3 のはず）"),
        (with_check_digit(RULES_VECTOR[:30] + "261332" + RULES_VECTOR[36:43]), "261332"),
        (with_check_digit(RULES_VECTOR[:30] + "260229" + RULES_VECTOR[36:43]), "260229"),
        (with_check_digit(RULES_VECTOR[:36] + "2" + RULES_VECTOR[37:43]), "印紙フラグは 0 か 1"),
        (with_check_digit("91" + "112345" + RULES_VECTOR[8:43]), "9 か 5 で始まります"),
    ],
)
def test_parse_refuses_what_is_not_a_payment_barcode(data: Any, reason: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse(data)
    assert info.value.field == "data"
    assert reason in info.value.reason


def test_parse_reads_a_stamp_flag_of_one() -> None:
    """Build refuses 1 for public money, but data made elsewhere may carry it."""
    data = with_check_digit(RULES_VECTOR[:36] + "1" + RULES_VECTOR[37:43])
    assert parse(data).stamp == 1
