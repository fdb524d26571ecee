"""Katakana normalisation and the fuzzy kana search key for 候補者検索.

Pure Python (stdlib only): no Django, so it can be used by seeding, migrations and tests alike.

The fuzzy key implements the あいまい検索 rules of 住民記録システム標準仕様書 §2.1.2
(summarised in standards.md §1.13). Both the stored reading and the query are reduced with
:func:`fuzzy_kana`; a match is then an ordinary equality, prefix or substring comparison of keys.

Folding rules, applied in this order (each rule sees the output of the previous ones):

1. Spacing sound marks (゛ ゜ ﾞ ﾟ) become combining marks; NFKC, so half-width katakana,
   full-width spaces, ｰ, － and ～ take their standard forms.
2. Hiragana → katakana (ゝ ゞ → ヽ ヾ).
3. ヴ followed by a small vowel is the バ行 sound: ヴァ→バ, ヴィ→ビ, ヴェ→ベ, ヴォ→ボ, ヴュ→ビュ
   (also ヴャ, ヴョ); ヷ→バ, ヸ→ビ, ヹ→ベ, ヺ→ボ; a lone ヴ → ブ.
4. ヂ→ジ and ヅ→ズ.
5. Every 濁点 and 半濁点 is dropped: ガ→カ, ジ→シ (so ヂ/ジ→シ), ズ/ヅ→ス, バ/パ→ハ, ブ→フ.
6. Small kana become large: ァ→ア … ッ→ツ, ャ→ヤ, ュ→ユ, ョ→ヨ, ヮ→ワ, ヵ→カ, ヶ→ケ, ㇰ→ク ….
7. ヲ→オ, ワ→ハ, ヰ→イ, ヱ→エ.
8. Words are split on whitespace (half or full width), ・, ゠ and =; the key is the words' keys
   joined with nothing (the spec: the space between surname and given name is ignored).
   Because the rules below restart in every word, ``fuzzy_kana("オノ ウメコ")`` equals
   ``fuzzy_kana("オノ") + fuzzy_kana("ウメコ")``, so a search by given name alone still finds
   the stored full name.
9. Every dash, hyphen, minus, wave dash and long-vowel mark (ー - ‐ ‑ ‒ – — ― − ～ 〜 ~ ─ ━ …)
   is one and the same 長音 mark; a run of them counts as one.
10. Within a word, from its 2nd character on, a ウ or a 長音 mark that follows an オ段 character
    (オ コ ソ ト ノ ホ モ ヨ ロ, after the folding above) becomes オ. So サトウ, サトオ and サトー
    all give サトオ, and コウノ/コオノ/コーノ give コオノ, while オノ stays different from
    オオノ (小野 ≠ 大野). A ウ at the start of a word is kept (ウエノ ≠ オエノ).
11. Any other 長音 mark is ignored (dropped): ルーシー → ルシ.
12. ヽ/ヾ repeat the previous (folded) character of the word.

Characters other than kana (letters, digits, kanji) pass through in their NFKC form.

Known consequences, by design: voicing is ignored altogether, so カトウ and ガトウ have the
same key. Long vowels other than after an オ段 character are not expanded, so ユウコ and
ユーコ differ (the spec only states the オ段 rule). Prefix property: every rule looks only at
the characters before it, except rule 3 (ヴ + small vowel), so a query that is a prefix of a
reading gives a key that is a prefix of the reading's key, unless the query ends in a ヴ that
the reading follows with a small vowel, or the query runs together two words that the reading
separates and the second starts with ウ/長音 after an オ段 character (オノウ vs オノ ウメコ).

Building a stored key from separate surname and given-name readings: join them with a space,
``fuzzy_kana(f"{family_kana} {given_kana}")``. The result differs from the unspaced join only
when the given name starts with ウ (or a dash) after a surname ending in an オ段 character, and
only the spaced form lets a search by the given name alone find the person.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fuzzy_kana", "is_katakana_name", "to_katakana"]

_DAKUTEN = "\u3099"  # combining voiced sound mark
_HANDAKUTEN = "\u309a"  # combining semi-voiced sound mark
_SPACING_TO_COMBINING = {
    "\u309b": _DAKUTEN,  # ゛
    "\u309c": _HANDAKUTEN,  # ゜
    "\uff9e": _DAKUTEN,  # ﾞ
    "\uff9f": _HANDAKUTEN,  # ﾟ
}

_HIRAGANA_FIRST = 0x3041  # ぁ
_HIRAGANA_LAST = 0x3096  # ゖ
_HIRA_TO_KATA_OFFSET = 0x60

# --- to_katakana ------------------------------------------------------------------------------

_HALFWIDTH_KANA = re.compile("[\uff61-\uff9f]")
# A katakana letter followed by a sound mark (combining or spacing) that may compose with it.
_KANA_WITH_MARK = re.compile("([\u30a1-\u30fe])([\u3099\u309a\u309b\u309c])")


def _hira_to_kata(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        if _HIRAGANA_FIRST <= code <= _HIRAGANA_LAST or ch in "ゝゞ":
            out.append(chr(code + _HIRA_TO_KATA_OFFSET))
        else:
            out.append(ch)
    return "".join(out)


def _halfwidth_to_fullwidth(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch == "\uff9e":
        return "\u309b"  # ﾞ → ゛ (composed with its letter below when possible)
    if ch == "\uff9f":
        return "\u309c"  # ﾟ → ゜
    return unicodedata.normalize("NFKC", ch)


def _compose_mark(match: re.Match[str]) -> str:
    base, mark = match.group(1), match.group(2)
    combining = {"\u309b": _DAKUTEN, "\u309c": _HANDAKUTEN}.get(mark, mark)
    composed = unicodedata.normalize("NFC", base + combining)
    return composed if len(composed) == 1 else match.group(0)


def to_katakana(text: str) -> str:
    """Hiragana and half-width katakana → full-width katakana; anything else is kept.

    Sound marks are composed with their letter (ｶﾞ, か゛ and カ + U+3099 all give ガ), so the
    result holds precomposed characters and is stable under NFC/NFKC for the kana it contains.
    A mark that cannot compose (ｰﾞ) is kept as a spacing mark.
    """
    text = _HALFWIDTH_KANA.sub(_halfwidth_to_fullwidth, text)
    text = _hira_to_kata(text)
    return _KANA_WITH_MARK.sub(_compose_mark, text)


# --- fuzzy_kana -------------------------------------------------------------------------------

# The look-alike dashes, hyphens, minus signs and wave dashes that are all read as 長音.
_DASHES = frozenset("ー-‐‑‒–—―−⁃﹘﹣－ｰ～〜〰~∼─━")
_WORD_SEPARATORS = frozenset("・･゠=＝")

_VU_PAIRS = {
    "ヴァ": "バ",
    "ヴィ": "ビ",
    "ヴェ": "ベ",
    "ヴォ": "ボ",
    "ヴャ": "ビャ",
    "ヴュ": "ビュ",
    "ヴョ": "ビョ",
}
_VU_PATTERN = re.compile("ヴ[ァィェォャュョ]")
_VU_SINGLE = str.maketrans({"ヴ": "ブ", "ヷ": "バ", "ヸ": "ビ", "ヹ": "ベ", "ヺ": "ボ"})
_DI_DU = str.maketrans({"ヂ": "ジ", "ヅ": "ズ"})


def _build_unvoice_table() -> dict[int, str]:
    """Each voiced/semi-voiced katakana → its plain letter; stray combining marks → removed."""
    table: dict[int, str] = {ord(_DAKUTEN): "", ord(_HANDAKUTEN): ""}
    for code in range(0x30A1, 0x3100):
        decomposed = unicodedata.normalize("NFD", chr(code))
        if len(decomposed) == 2 and decomposed[1] in (_DAKUTEN, _HANDAKUTEN):
            table[code] = decomposed[0]
    return table


def _build_small_table() -> dict[int, str]:
    """Small katakana → large, found by Unicode name (KATAKANA LETTER SMALL X → ... LETTER X)."""
    table: dict[int, str] = {}
    ranges = (range(0x30A1, 0x3100), range(0x31F0, 0x3200), range(0x1B130, 0x1B170))
    for block in ranges:
        for code in block:
            name = unicodedata.name(chr(code), "")
            if name.startswith("KATAKANA LETTER SMALL "):
                large = name.replace("SMALL ", "", 1)
                try:
                    table[code] = unicodedata.lookup(large)
                except KeyError:
                    continue
    return table


_UNVOICE = _build_unvoice_table()
_SMALL_TO_LARGE = _build_small_table()
_ARCHAIC = str.maketrans({"ヲ": "オ", "ワ": "ハ", "ヰ": "イ", "ヱ": "エ"})
# オ段 after folding (ゴ ゾ ド ボ ポ ョ ォ ヲ have already become one of these).
_O_ROW = frozenset("オコソトノホモヨロ")
_ITERATION = frozenset("ヽヾ")


def _fold_word(word: str) -> str:
    """Rules 9-12 on one word whose letters are already folded by rules 1-7."""
    out: list[str] = []
    in_dash_run = False
    for ch in word:
        if ch in _DASHES:
            # Rule 9: a run of dashes is one 長音 mark. Rule 10: after an オ段 character it is
            # the vowel オ. Rule 11: anywhere else it is ignored.
            if not in_dash_run and out and out[-1] in _O_ROW:
                out.append("オ")
            in_dash_run = True
            continue
        in_dash_run = False
        if ch == "ウ" and out and out[-1] in _O_ROW:
            out.append("オ")  # rule 10; ``out`` is non-empty, so never the 1st character
        elif ch in _ITERATION:
            if out:
                out.append(out[-1])  # rule 12
        else:
            out.append(ch)
    return "".join(out)


def fuzzy_kana(text: str) -> str:
    """The あいまい検索 key of a kana reading (see the module docstring for every rule)."""
    for spacing, combining in _SPACING_TO_COMBINING.items():
        text = text.replace(spacing, combining)
    text = unicodedata.normalize("NFKC", text)
    text = _hira_to_kata(text)
    text = unicodedata.normalize("NFC", text)  # かﾞ → か + U+3099 → ガ after hira→kata
    text = _VU_PATTERN.sub(lambda m: _VU_PAIRS[m.group(0)], text)
    text = text.translate(_VU_SINGLE).translate(_DI_DU)
    text = text.translate(_UNVOICE).translate(_SMALL_TO_LARGE).translate(_ARCHAIC)
    words = "".join(" " if ch in _WORD_SEPARATORS else ch for ch in text).split()
    return "".join(_fold_word(word) for word in words)


# --- is_katakana_name -------------------------------------------------------------------------

# A word starts with a letter ァ..ヺ (including ヴ ヵ ヶ ヷ-ヺ) and may go on with letters and ー;
# words are separated by exactly one space (U+0020 or U+3000).
_KATAKANA_WORD = "[\u30a1-\u30fa][\u30a1-\u30fa\u30fc]*"
_KATAKANA_NAME = re.compile(f"{_KATAKANA_WORD}(?:[ \u3000]{_KATAKANA_WORD})*")


def is_katakana_name(text: str) -> bool:
    """True for a reading in full-width katakana and ー, words separated by single spaces.

    Rejects hiragana, half-width katakana, leading/trailing/doubled spaces, a word that starts
    with ー, iteration marks (ヽ ヾ), ・ and any other character.
    """
    return _KATAKANA_NAME.fullmatch(text) is not None
