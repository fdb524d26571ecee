"""Kana normalisation and the あいまい検索 key.

Source of the rules: 住民記録システム標準仕様書 v1.0 §2.1.2 (候補者検索), as restated in
../shared/domain/standards.md §1.13: ignore voicing (ヂ/ジ, ズ/ヅ, ワ/ハ, ヴァ/バ, ヴィ/ビ, ヴ/ブ,
オ/ヲ, ヒ/ピ), small vs large kana (ッ/ツ, ャ/ヤ, ュ/ユ, ョ/ヨ), the space between surname and
given name, long vowels and dash variants; from the 2nd character on, ウ after an オ段 character
is オ. How a ー after an オ段 character is treated (as オ) is our decision, documented in
kyodo/atena/kana.py.
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyodo.atena.kana import fuzzy_kana, is_katakana_name, to_katakana


def same_key(*readings: str) -> bool:
    return len({fuzzy_kana(r) for r in readings}) == 1


# --- to_katakana ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("やまだ たろう", "ヤマダ タロウ"),
        ("ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ タロウ"),
        ("ｶﾞｷﾞｸﾞ ﾊﾟﾋﾟﾌﾟ ｳﾞ", "ガギグ パピプ ヴ"),
        ("ｼｮｳｺﾞ", "ショウゴ"),
        ("ｽｰﾊﾟｰ", "スーパー"),
        ("か゛", "ガ"),  # spacing dakuten composed
        ("か\u3099", "ガ"),  # combining dakuten composed
        ("ゔ", "ヴ"),
        ("ゝゞ", "ヽヾ"),
        ("山田ﾀﾛｳ ABC１２３", "山田タロウ ABC１２３"),  # other characters are kept as they are
        ("\u3000", "\u3000"),
        ("", ""),
    ],
)
def test_to_katakana(text: str, expected: str) -> None:
    assert to_katakana(text) == expected


@given(st.text(alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x3096)))
def test_to_katakana_turns_hiragana_into_nfkc_stable_katakana(text: str) -> None:
    converted = to_katakana(text)
    assert unicodedata.normalize("NFKC", converted) == converted
    assert all(0x30A1 <= ord(ch) <= 0x30F6 for ch in converted)


# --- fuzzy_kana: the acceptance pairs ---------------------------------------------------------


@pytest.mark.parametrize(
    "readings",
    [
        ("サトウ", "サトオ", "サトー"),
        ("ヤマダ タロウ", "やまだたろう", "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダ\u3000タロウ", "ヤマダタロー"),
        ("ジョウ", "ヂヨウ", "ジョー", "じょう"),
        ("ヴァイオリン", "バイオリン"),
        ("コウノ", "コオノ", "コーノ", "こうの", "ｺｰﾉ"),
    ],
)
def test_acceptance_pairs_share_a_key(readings: tuple[str, ...]) -> None:
    assert same_key(*readings)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # The spec's list of voicing pairs.
        ("ヂ", "ジ"),
        ("ズ", "ヅ"),
        ("ワ", "ハ"),
        ("ヴァ", "バ"),
        ("ヴィ", "ビ"),
        ("ヴ", "ブ"),
        ("オ", "ヲ"),
        ("ヒ", "ピ"),
        # The spec's list of small/large pairs, and the other small kana.
        ("ッ", "ツ"),
        ("ャ", "ヤ"),
        ("ュ", "ユ"),
        ("ョ", "ヨ"),
        ("ァィゥェォ", "アイウエオ"),
        ("ヮヵヶ", "ワカケ"),
        # Dash, hyphen and long-vowel variants are one mark; spaces of either width are ignored.
        ("サトー", "サト-"),
        ("サトー", "サト－"),
        ("サトー", "サト‐"),
        ("サトー", "サト―"),
        ("サトー", "ｻﾄｰ"),
        ("サトー", "サト～"),
        ("サトー", "サトーー"),
        ("ルーシー", "ルシ"),
        ("ヤマダ タロウ", "ヤマダ\u3000\u3000タロウ"),
        ("ヤマダ タロウ", " ヤマダタロウ "),
        ("ジョン・スミス", "ジョン スミス"),
        # Documented behaviour: voicing is ignored altogether.
        ("カトウ", "ガトウ"),
        ("ハタナベ", "ワタナベ"),
        ("パク", "ハク"),
        # Iteration marks repeat the previous letter.
        ("サヽキ", "ササキ"),
        ("ミスヾ", "ミスス"),
    ],
)
def test_folded_pairs_are_equal(left: str, right: str) -> None:
    assert fuzzy_kana(left) == fuzzy_kana(right)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("サトウ", "サイトウ"),
        ("ウエノ", "オエノ"),  # ウ as the 1st character is kept
        ("オノ", "オオノ"),  # 小野 and 大野 stay apart
        ("イトウ", "イトム"),
        ("チ", "シ"),  # only ヂ folds onto ジ, not チ
        ("ツ", "ス"),
        ("ユウコ", "ユーコ"),  # only the オ段 long vowel is folded (documented limitation)
        ("タナカ", "タナハ"),
    ],
)
def test_different_names_stay_different(left: str, right: str) -> None:
    assert fuzzy_kana(left) != fuzzy_kana(right)


@pytest.mark.parametrize(
    ("reading", "key"),
    [
        ("サトウ", "サトオ"),
        ("ヤマダ タロウ", "ヤマタタロオ"),
        ("ジョウ", "シヨオ"),
        ("ヴァイオリン", "ハイオリン"),
        ("ウエノ", "ウエノ"),
        ("ガッコウ", "カツコオ"),
        ("ヲノ", "オノ"),
        ("ゴウ", "コオ"),  # ゴ folds to コ, still オ段
        ("ショウ", "シヨオ"),  # ョ folds to ヨ, still オ段
        ("ウー", "ウ"),  # a ー after a non-オ段 character is ignored
        ("ー", ""),
        ("", ""),
        ("山田", "山田"),  # non-kana characters pass through
    ],
)
def test_exact_keys(reading: str, key: str) -> None:
    assert fuzzy_kana(reading) == key


def test_words_are_folded_separately_so_a_given_name_alone_is_found() -> None:
    stored = fuzzy_kana("オノ ウメコ")
    assert stored == fuzzy_kana("オノ") + fuzzy_kana("ウメコ")
    assert fuzzy_kana("ウメコ") in stored
    assert fuzzy_kana("サトウ ハナコ") == fuzzy_kana("サトウハナコ")


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("サ", "サトウ"),
        ("サト", "サトウ タロウ"),
        ("サトウ", "サトウタロウ"),
        ("ジョ", "ジョウジ"),
        ("コー", "コウノ"),
        ("ﾔﾏ", "ヤマダ"),
        ("やまだ た", "ヤマダ タロウ"),
        ("バイ", "ヴァイオリン"),
    ],
)
def test_prefix_of_a_reading_gives_a_prefix_of_its_key(query: str, name: str) -> None:
    assert fuzzy_kana(name).startswith(fuzzy_kana(query))


# Full-width katakana without ヴ (a ヴ at the end of a query looks forward; documented).
_KATAKANA = st.sampled_from(
    [chr(c) for c in range(0x30A1, 0x30F7) if chr(c) != "ヴ"] + ["ー", "ー"]
)


@given(st.lists(_KATAKANA, min_size=1, max_size=12), st.integers(min_value=0, max_value=12))
def test_prefix_property(letters: list[str], cut: int) -> None:
    name = "".join(letters)
    query = name[: min(cut, len(name))]
    assert fuzzy_kana(name).startswith(fuzzy_kana(query))


@given(st.text(alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x3096)))
def test_hiragana_and_katakana_give_the_same_key(text: str) -> None:
    assert fuzzy_kana(text) == fuzzy_kana(to_katakana(text))


@given(st.text(max_size=20))
def test_key_never_holds_spaces_or_long_vowel_marks(text: str) -> None:
    key = fuzzy_kana(text)
    assert " " not in key
    assert "ー" not in key


# --- is_katakana_name -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["ヤマダ タロウ", "ヤマダ\u3000タロウ", "サトー", "ヴァイオリン", "ジョン スミス ジュニア"],
)
def test_katakana_names(text: str) -> None:
    assert is_katakana_name(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "やまだ",
        "ﾔﾏﾀﾞ",
        "ヤマダ  タロウ",  # two spaces
        " ヤマダ",
        "ヤマダ ",
        "ヤマダ\u3000 タロウ",
        "ーヤマ",
        "ヤマダ・タロウ",
        "山田",
        "ヤマダ1",
        "サヽキ",
    ],
)
def test_not_katakana_names(text: str) -> None:
    assert not is_katakana_name(text)
