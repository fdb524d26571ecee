"""異体字 folding and variation-selector stripping for the kanji search key.

Sources: 住民記録システム標準仕様書 v1.0 §2.1.2 (異体字 expansion: 辺 matches 邊/邉, 浜 matches
濱/濵, 藤 matches 籐), and §5 of ../shared/domain/standards.md (search ignores variation
selectors; about 6,000 MJ glyph variants are IVS sequences of the Moji_Joho collection). The
code points of the compatibility ideographs are from the Unicode CJK Compatibility Ideographs
block (U+F900-U+FAFF) and its supplement (U+2F800-U+2FA1F).
"""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kyodo.atena.itaiji import ITAIJI_GROUPS, canonical, strip_ivs, variants

IVS_FIRST, IVS_LAST = 0xE0100, 0xE01EF


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("葛\U000e0102", "葛"),  # 葛 with an MJ/Hanyo-Denshi glyph selector
        ("辻\U000e0100", "辻"),  # one-dot 辻
        ("邉\U000e0101", "邉"),
        ("渡邉\U000e010c太郎", "渡邉太郎"),
        ("葛\ufe00", "葛"),  # a standardized variation selector (VS1)
        ("葛飾区", "葛飾区"),
    ],
)
def test_strip_ivs(text: str, expected: str) -> None:
    assert strip_ivs(text) == expected


@given(
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1),
    st.integers(min_value=IVS_FIRST, max_value=IVS_LAST),
)
def test_any_ivs_is_stripped(base: str, selector: int) -> None:
    assert strip_ivs(base + chr(selector)) == base
    assert canonical(base + chr(selector)) == canonical(base)


@pytest.mark.parametrize(
    "names",
    [
        ("渡辺", "渡邊", "渡邉", "渡邉\U000e0100", "渡邊\U000e0103", "渡 辺"),
        ("浜田", "濱田", "濵田"),
        ("佐藤", "佐籐"),  # the standard's own example
        ("斎藤", "斉藤", "齋藤", "齊藤"),
        ("高橋", "髙橋"),
        ("吉田", "𠮷田"),
        ("山崎", "山﨑", "山嵜", "山碕"),
        ("島田", "嶋田", "嶌田"),
        ("沢田", "澤田"),
        ("桜井", "櫻井"),
        ("広田", "廣田"),
        ("国井", "國井"),
        ("関", "關"),
        ("滝沢", "瀧澤"),
        ("富田", "冨田"),
        ("柳田", "栁田"),
        ("館野", "舘野"),
        ("真一", "眞一"),
        ("恵子", "惠子"),
        ("徳永", "德永"),
        ("大塚", "大\ufa10"),  # 塚 U+FA10, a compatibility ideograph
        ("隆", "\uf9dc"),  # 隆 U+F9DC → 隆 via NFKC
        ("山田 太郎", "山田\u3000太郎", "山田太郎"),
    ],
)
def test_variants_share_a_key(names: tuple[str, ...]) -> None:
    assert len({canonical(name) for name in names}) == 1


def test_representative_is_the_key() -> None:
    assert canonical("渡邉\U000e0100 太郎") == "渡辺太郎"
    assert canonical("齋藤") == "斎藤"
    assert canonical("髙橋") == "高橋"


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("佐藤", "佐東"),
        ("斎藤", "斎東"),
        ("大野", "小野"),
        ("渡辺", "渡部"),
        ("高橋", "高嶋"),
    ],
)
def test_different_names_stay_different(left: str, right: str) -> None:
    assert canonical(left) != canonical(right)


def test_variants_lookup() -> None:
    assert variants("邉") == "辺邊邉"
    assert variants("辺") == "辺邊邉"
    assert variants("山") == "山"


def test_table_has_at_least_80_groups_of_two_or_more() -> None:
    assert len(ITAIJI_GROUPS) >= 80
    assert all(len(group) >= 2 for group in ITAIJI_GROUPS)


def test_each_character_is_in_one_group_only() -> None:
    chars = [ch for group in ITAIJI_GROUPS for ch in group]
    assert len(chars) == len(set(chars))


def test_table_holds_only_nfkc_stable_ideographs() -> None:
    """Compatibility ideographs are folded by NFKC before the lookup, so listing one would be
    dead data; every entry must be a single unified (or unified-in-compat-block) ideograph."""
    for group in ITAIJI_GROUPS:
        for ch in group:
            assert unicodedata.normalize("NFKC", ch) == ch, ch
            assert unicodedata.name(ch).startswith("CJK "), ch


@given(st.text(max_size=20))
@example("a \u0301")  # removing the space lets the accent compose
@example("葛\U000e0102 \uf9dc")
def test_canonical_is_idempotent(text: str) -> None:
    key = canonical(text)
    assert canonical(key) == key
