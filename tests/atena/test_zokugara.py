"""続柄 grammar (住民記録システム標準仕様書 v1.0 §1.1.11, standards.md §1.8) and household order
(v1.0 §5.2, as transcribed in https://github.com/AkihiraYOSHIMOTO/jyuki-stnd doc/j1010.txt)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyodo.atena.zokugara import (
    BASE_TERMS,
    FORBIDDEN_LABELS,
    MAX_LINKS,
    STANDALONE_TERMS,
    parse_zokugara,
    validate_zokugara,
    zokugara_sort_key,
)
from kyodo.platform.errors import ValidationFailed

VALID = [
    "世帯主",
    "縁故者",
    "同居人",
    "夫",
    "妻",
    "夫（未届）",
    "妻（未届）",
    "子",
    "子（子の夫）",
    "子（子の妻）",
    "父",
    "母",
    "兄",
    "姉",
    "弟",
    "妹",
    "子の子",
    "子の妻",
    "子の夫（未届）",
    "妻の父",
    "妻の兄の子",
    "父の父の父の父",
    "子の子の子の子",
    "子（子の妻）の子",
    "子（子の夫）の子の子の子",
]


@pytest.mark.parametrize("label", VALID)
def test_valid_labels(label: str) -> None:
    assert validate_zokugara(label) == label


def test_every_base_term_and_every_two_link_chain_is_valid() -> None:
    for term in (*BASE_TERMS, *STANDALONE_TERMS):
        assert validate_zokugara(term) == term
    for a, b in itertools.product(BASE_TERMS, repeat=2):
        assert parse_zokugara(f"{a}の{b}") == (a, b)


@given(st.lists(st.sampled_from(BASE_TERMS), min_size=1, max_size=8))
def test_up_to_four_terms_and_no_more(terms: list[str]) -> None:
    label = "の".join(terms)
    if len(terms) <= MAX_LINKS:
        assert parse_zokugara(label) == tuple(terms)
    else:
        with pytest.raises(ValidationFailed, match="縁故者"):
            validate_zokugara(label)


def test_the_no_inside_parentheses_is_not_a_link() -> None:
    assert parse_zokugara("子（子の妻）の子の子の子") == ("子（子の妻）", "子", "子", "子")
    with pytest.raises(ValidationFailed, match="5世代"):
        validate_zokugara("子（子の妻）の子の子の子の子")


def test_five_links_name_the_limit_and_the_fallback() -> None:
    with pytest.raises(ValidationFailed) as info:
        validate_zokugara("子の子の子の子の子", source="転入届", field="zokugara")
    assert "4世代" in info.value.reason
    assert "縁故者" in info.value.reason
    assert info.value.field == "zokugara"
    assert info.value.message.startswith("転入届, field 'zokugara': ")


@pytest.mark.parametrize(
    ("label", "suggestion"),
    [
        ("孫", "「子の子」"),
        ("祖父", "「父の父」、「母の父」"),
        ("祖母", "「父の母」、「母の母」"),
        ("おじ", "「父の兄」、「父の弟」、「母の兄」、「母の弟」"),
        ("おば", "「父の姉」"),
        ("甥", "「兄の子」、「姉の子」、「弟の子」、「妹の子」"),
        ("姪", "「妹の子」"),
        ("家事使用人", "「同居人」"),
        ("長男", "「子」"),
        ("嫁", "「子の妻」"),
        ("内縁の妻", "「妻（未届）」"),
        ("子の孫", "「子の子の子」"),
        ("妻の祖父", "「妻の父の父」、「妻の母の父」"),
        ("孫の子の子", "「子の子の子の子」"),
        ("孫の子の子の子", "「縁故者」"),
    ],
)
def test_forbidden_labels_suggest_the_chain(label: str, suggestion: str) -> None:
    with pytest.raises(ValidationFailed, match="記録できない続柄") as info:
        validate_zokugara(label)
    assert suggestion in info.value.reason


def test_jun_setainushi_has_no_chain_to_suggest() -> None:
    with pytest.raises(ValidationFailed, match="準世帯主") as info:
        validate_zokugara("準世帯主")
    assert "世帯主との続柄" in info.value.reason


def test_all_spec_examples_of_forbidden_labels_are_rejected() -> None:
    for label in ("祖父", "祖母", "おじ", "おば", "甥", "姪", "孫", "家事使用人", "準世帯主"):
        assert label in FORBIDDEN_LABELS
        with pytest.raises(ValidationFailed):
            validate_zokugara(label)


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("妻(未届)", "妻（未届）"),
        ("妻（未届)", "妻（未届）"),
        ("子の夫(未届)", "子の夫（未届）"),
        ("子(子の妻)", "子（子の妻）"),
        ("子（子の夫）", "子（子の夫）"),
        (" 子の子 ", "子の子"),
        ("子　の　妻", "子の妻"),
        ("妻 (未届)", "妻（未届）"),
    ],
)
def test_parentheses_and_spaces_are_normalized(raw: str, normalized: str) -> None:
    assert validate_zokugara(raw) == normalized


@pytest.mark.parametrize(
    "label",
    [
        "",
        "   ",
        "子の",
        "の子",
        "子のの子",
        "子子",
        "妻（未届け）",
        "妻[未届]",
        "おとうと",
        "ペット",
    ],
)
def test_unknown_labels_are_rejected(label: str) -> None:
    with pytest.raises(ValidationFailed):
        validate_zokugara(label)


@pytest.mark.parametrize("label", ["世帯主の子", "子の世帯主", "縁故者の子", "子の同居人"])
def test_standalone_terms_are_never_chained(label: str) -> None:
    with pytest.raises(ValidationFailed, match="単独"):
        validate_zokugara(label)


def test_non_string_is_rejected() -> None:
    with pytest.raises(ValidationFailed, match="文字列"):
        validate_zokugara(None)  # type: ignore[arg-type]


# --- Household order (§5.2) -------------------------------------------------------------


def test_household_order_follows_section_5_2() -> None:
    expected = [
        "世帯主",
        "妻",
        "夫（未届）",
        "子",
        "子（子の妻）",
        "子の夫（未届）",
        "子の子",
        "父",
        "兄",
        "父の母",
        "妻の母",
        "妻の弟",
        "妻の父の父",
        "兄の子",
        "縁故者",
        "同居人",
    ]
    shuffled = list(reversed(expected))
    assert sorted(shuffled, key=zokugara_sort_key) == expected


def test_sort_key_ranks() -> None:
    assert zokugara_sort_key("世帯主") == (1, 1, 0)
    assert zokugara_sort_key("妻") == zokugara_sort_key("夫") == (1, 2, 0)
    assert zokugara_sort_key("妻(未届)") == (1, 2, 1)
    assert zokugara_sort_key("子") == (1, 3, 0)
    assert zokugara_sort_key("子の妻") == zokugara_sort_key("子（子の夫）") == (2, 2, 0)
    assert zokugara_sort_key("子の子") == (2, 3, 0)
    assert zokugara_sort_key("父") == zokugara_sort_key("母") == (3, 1, 0)
    assert zokugara_sort_key("姉") == zokugara_sort_key("弟") == (3, 2, 0)
    assert zokugara_sort_key("母の父") == (3, 3, 0)
    assert zokugara_sort_key("妻の父") == (4, 1, 1)
    assert zokugara_sort_key("夫の妹") == (4, 1, 2)
    assert zokugara_sort_key("夫の父の母") == (4, 1, 3)
    assert zokugara_sort_key("子の子の子") == zokugara_sort_key("妻の子") == (4, 1, 9)
    assert zokugara_sort_key("縁故者") == (4, 2, 0)
    assert zokugara_sort_key("同居人") == (4, 3, 0)


def test_same_rank_is_left_to_birth_date_then_atena_number() -> None:
    members = [("妻の弟", "1990-01-01", 3), ("妻の兄", "1985-05-05", 2), ("世帯主", "1980", 1)]
    ordered = sorted(members, key=lambda m: (zokugara_sort_key(m[0]), m[1], m[2]))
    assert [m[0] for m in ordered] == ["世帯主", "妻の兄", "妻の弟"]


def test_sort_key_rejects_invalid_labels() -> None:
    with pytest.raises(ValidationFailed, match="孫"):
        zokugara_sort_key("孫")
