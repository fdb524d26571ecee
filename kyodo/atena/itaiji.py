"""異体字 folding: the kanji search key for 候補者検索.

Pure Python (stdlib only). 住民記録システム標準仕様書 §2.1.2 asks that a search for 辺 also
finds 邊/邉, 浜 finds 濱/濵 and 藤 finds 籐 (standards.md §1.13), and standards.md §5 says
search must ignore variation selectors. :func:`canonical` is applied to the stored name and to
the query alike, so 渡辺, 渡邊 and 渡邉 + an IVS all give the key 渡辺. The stored name itself
keeps its IVS sequence untouched (standards.md §5, "Design implications").

The table below is a hand-made starter set of variants common in Japanese surnames and given
names. The authoritative sources for a fuller table are the 法務省 戸籍統一文字 (with its
親字/異体字 relations) and the 文字情報基盤 MJ縮退マップ (https://moji.or.jp/mojikiban/map/,
CC BY-SA 2.1 JP, attribution IPA); a generated table from those should replace this one.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["ITAIJI_GROUPS", "canonical", "strip_ivs", "variants"]

# Ideographic Variation Selectors (VS17-VS256) and standardized variation selectors (VS1-VS16).
_VARIATION_SELECTORS = re.compile("[\U000e0100-\U000e01ef\ufe00-\ufe0f]")

# One string per group of interchangeable characters; the first is the representative (the
# common, usually 常用/JIS level-1, form). A character appears in at most one group. Only
# characters that NFKC leaves unchanged belong here: CJK compatibility ideographs such as
# 隆 (U+F9DC) or 塚 (U+FA10) are folded to their unified forms by NFKC before the lookup.
# 﨑 (U+FA11) sits in the compatibility block but is a unified ideograph, so it is listed.
ITAIJI_GROUPS: tuple[str, ...] = (
    "辺邊邉",
    "浜濱濵",
    "沢澤",
    "斎斉齋齊",
    "島嶋嶌",
    "崎﨑嵜碕",
    "高髙",
    "吉𠮷",
    "桜櫻",
    "竜龍",
    "広廣",
    "国國圀",
    "関關闗",
    "滝瀧",
    "藤籐",  # the standard's own example (籐 is strictly another character, often confused)
    "蔵藏",
    "恵惠",
    "徳德悳",
    "桧檜",
    "栄榮",
    "塩鹽",
    "柳栁桺",
    "実實",
    "寿壽夀",
    "亀龜",
    "万萬",
    "与與",
    "弥彌",
    "薮藪籔",
    "槙槇",
    "富冨",
    "黒黑",
    "館舘",
    "条條",
    "真眞",
    "会會",
    "渕淵渊",
    "鉄鐵銕",
    "礼禮",
    "野埜壄",
    "峰峯",
    "岡崗",
    "松枩",
    "梅楳",
    "涼凉",
    "恒恆",
    "晃晄",
    "豊豐",
    "剣劍劔剱釼",
    "瀬瀨",
    "桑桒",
    "彦彥",
    "曽曾",
    "増增",
    "穂穗",
    "清淸",
    "青靑",
    "静靜",
    "巌巖",
    "厳嚴",
    "来來",
    "壮壯",
    "将將",
    "県縣",
    "郷鄕鄉",
    "円圓",
    "遥遙",
    "稲稻",
    "粋粹",
    "学學",
    "宝寶",
    "浅淺",
    "渋澁澀",
    "聡聰",
    "総總",
    "縁緣",
    "緑綠",
    "尭堯",
    "諌諫",
    "頼賴",
    "鴎鷗",
    "騨驒",
    "姫姬",
    "亜亞",
    "衛衞",
    "応應",
    "勲勳",
    "経經",
    "継繼",
    "研硏",
    "乗乘",
    "浄淨",
    "譲讓",
    "伝傳",
    "灯燈",
    "当當",
    "芦蘆",
    "蛍螢",
    "鶴靍靏",
    "村邨",
    "篭籠",
    "熙煕凞",
    "禄祿",
    "猪豬",
    "晋晉",
    "巣巢",
    "壱壹",
    "参參",
    "凛凜",
    "船舩",
)


def _build_index(groups: tuple[str, ...]) -> dict[str, str]:
    index: dict[str, str] = {}
    for group in groups:
        for ch in group:
            if ch in index:
                raise ValueError(f"異体字 table: {ch!r} appears in more than one group")
            index[ch] = group
    return index


_GROUP_OF = _build_index(ITAIJI_GROUPS)
_TO_REPRESENTATIVE = {ord(ch): group[0] for ch, group in _GROUP_OF.items()}


def strip_ivs(text: str) -> str:
    """``text`` without variation selectors (U+E0100-U+E01EF and U+FE00-U+FE0F)."""
    return _VARIATION_SELECTORS.sub("", text)


def variants(char: str) -> str:
    """The 異体字 group of one character (representative first), or the character itself."""
    return _GROUP_OF.get(char, char)


def canonical(text: str) -> str:
    """The kanji search key: no variation selectors, NFKC, each 異体字 → its representative.

    NFKC folds CJK compatibility ideographs (隆 U+F9DC → 隆) and Kangxi radicals (⼭ → 山) as
    well as full-width letters and digits. All whitespace is removed, so the space between
    surname and given name does not matter.
    """
    text = "".join(unicodedata.normalize("NFKC", strip_ivs(text)).split())
    # Removing a space may bring a combining mark next to a letter it composes with.
    text = unicodedata.normalize("NFKC", text)
    return text.translate(_TO_REPRESENTATIVE)
