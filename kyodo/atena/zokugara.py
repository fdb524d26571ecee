"""続柄 (relationship to the head of household): 住民記録システム標準仕様書 v1.0 §1.1.11.

What may be recorded (standards.md §1.8; spec text as transcribed in
https://github.com/AkihiraYOSHIMOTO/jyuki-stnd/blob/master/doc/j110.txt):

- 世帯主, 縁故者, 同居人 — each on its own, never joined with の;
- a chain of 1 to 4 *terms* joined by の, each term one of 夫, 妻, 夫（未届）, 妻（未届）, 子,
  子（子の夫）, 子（子の妻）, 父, 母, 兄, 姉, 弟, 妹 (e.g. 子の子, 子の妻（未届）, 妻の父,
  子の子の子の子). The spec counts 世代 "mechanically" as the number of terms joined;
  a relationship that would need 5 or more is recorded as 縁故者.

Decisions (our reading, to re-check against the current spec version):

- 子（子の夫） and 子（子の妻） are single terms of the list (②), for a person who is both the
  head's child and the spouse of another of the head's children (e.g. an adopted 婿/嫁). The の
  inside their parentheses is part of the term and does not count as a link; like every term
  of ②, they may be joined into a chain.
- The grammar is mechanical, as the spec's is: a chain that names an unusual relationship
  (父の子 for a half-sibling, 妻の子 for a step-child) is accepted; choosing the highest-ranked
  description when several fit (§1.1.11 留意点) is the clerk's decision, not the validator's.
- Input normalisation: half-width parentheses become full-width (（ ）) and white space (ASCII
  or full-width) is removed, since no 続柄 contains a space. Nothing else is rewritten.
- Labels the spec forbids (its examples: 祖父, 祖母, おじ, おば, 甥, 姪, 孫, 家事使用人, 準世帯主)
  and a few common legacy labels (長男, 嫁, 義父, 内縁の妻 …) are rejected with the chain to use
  instead (孫 → 子の子), or 縁故者 when that chain would exceed 4 terms.
"""

from __future__ import annotations

import itertools
from typing import Final

from kyodo.platform.errors import ValidationFailed

HEAD: Final = "世帯主"
STANDALONE_TERMS: Final = (HEAD, "縁故者", "同居人")
BASE_TERMS: Final = (
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
)
MAX_LINKS: Final = 4
LINK: Final = "の"

_SIBLINGS = ("兄", "姉", "弟", "妹")

# Forbidden or legacy label → the chains to record instead (empty: no chain expresses it).
FORBIDDEN_LABELS: Final[dict[str, tuple[str, ...]]] = {
    # The spec's own examples of labels that must not be managed (v1.0 §1.1.11 【実装しない機能】).
    "祖父": ("父の父", "母の父"),
    "祖母": ("父の母", "母の母"),
    "おじ": ("父の兄", "父の弟", "母の兄", "母の弟"),
    "伯父": ("父の兄", "母の兄"),
    "叔父": ("父の弟", "母の弟"),
    "おば": ("父の姉", "父の妹", "母の姉", "母の妹"),
    "伯母": ("父の姉", "母の姉"),
    "叔母": ("父の妹", "母の妹"),
    "甥": tuple(f"{s}の子" for s in _SIBLINGS),
    "姪": tuple(f"{s}の子" for s in _SIBLINGS),
    "孫": ("子の子",),
    "曾孫": ("子の子の子",),
    "曽孫": ("子の子の子",),
    "ひ孫": ("子の子の子",),
    "玄孫": ("子の子の子の子",),
    "家事使用人": ("同居人",),
    "準世帯主": (),
    # Legacy labels seen in migrated data; the standard records all of them differently.
    "長男": ("子",),
    "長女": ("子",),
    "二男": ("子",),
    "次男": ("子",),
    "二女": ("子",),
    "次女": ("子",),
    "三男": ("子",),
    "三女": ("子",),
    "養子": ("子",),
    "養女": ("子",),
    "養父": ("父",),
    "養母": ("母",),
    "嫁": ("子の妻",),
    "婿": ("子の夫",),
    "義父": ("妻の父", "夫の父"),
    "義母": ("妻の母", "夫の母"),
    "配偶者": ("妻", "夫"),
    "内縁の妻": ("妻（未届）",),
    "内縁の夫": ("夫（未届）",),
    "本人": (HEAD,),
}

_SPOUSES = ("夫", "妻", "夫（未届）", "妻（未届）")
_CHILD_SPOUSES = ("子（子の夫）", "子（子の妻）")
# Longest first, so that 子（子の妻） wins over 子 and 内縁の妻 over nothing.
_VOCABULARY = sorted(
    (*STANDALONE_TERMS, *BASE_TERMS, *FORBIDDEN_LABELS), key=lambda term: (-len(term), term)
)
_MAX_LISTED_SUGGESTIONS = 8


def _normalize(text: str) -> str:
    return "".join(text.split()).replace("(", "（").replace(")", "）")


def _tokenize(text: str) -> list[str] | None:
    """Split a normalised label into terms (known, standalone or forbidden), or None."""
    terms: list[str] = []
    position = 0
    while True:
        term = next((t for t in _VOCABULARY if text.startswith(t, position)), None)
        if term is None:
            return None
        terms.append(term)
        position += len(term)
        if position == len(text):
            return terms
        if not text.startswith(LINK, position):
            return None
        position += len(LINK)


def _suggestions(terms: list[str]) -> list[str]:
    """Chains replacing each forbidden term; 縁故者 where the result exceeds MAX_LINKS."""
    choices: list[tuple[str, ...]] = []
    for term in terms:
        if term in FORBIDDEN_LABELS:
            alternatives = FORBIDDEN_LABELS[term]
            if not alternatives:
                return []
            choices.append(alternatives)
        else:
            choices.append((term,))
    suggested: list[str] = []
    for combination in itertools.product(*choices):
        if len(combination) > 1 and any(c in STANDALONE_TERMS for c in combination):
            continue  # e.g. 子の本人: no chain can say it
        chain = LINK.join(combination)
        if len(_tokenize(chain) or ()) > MAX_LINKS:
            chain = "縁故者"
        if chain not in suggested:
            suggested.append(chain)
    return suggested


def _forbidden_message(label: str, forbidden: list[str], suggested: list[str]) -> str:
    names = "、".join(f"「{f}」" for f in dict.fromkeys(forbidden))
    base = f"{names}は住民票に記録できない続柄です（住民記録システム標準仕様書 1.1.11）"
    if not suggested:
        return f"{base}。世帯主との続柄（妻、子、縁故者、同居人など）を記録してください"
    instead = "代わりに" if label in FORBIDDEN_LABELS else f"「{label}」の代わりに"
    if len(suggested) == 1:
        return f"{base}。{instead}「{suggested[0]}」と記録してください"
    listed = "、".join(f"「{s}」" for s in suggested[:_MAX_LISTED_SUGGESTIONS])
    more = " など" if len(suggested) > _MAX_LISTED_SUGGESTIONS else ""
    return f"{base}。{instead} {listed}{more} のうち該当するものを記録してください"


def parse_zokugara(
    text: str, *, field: str = "relationship", source: str | None = None
) -> tuple[str, ...]:
    """The terms of a valid 続柄, e.g. ``("子", "妻（未届）")``; raise ValidationFailed."""
    if not isinstance(text, str):
        raise ValidationFailed("続柄は文字列で指定してください", field=field, source=source)
    label = _normalize(text)
    if not label:
        raise ValidationFailed("続柄が未入力です", field=field, source=source)
    terms = _tokenize(label)
    if terms is None:
        raise ValidationFailed(
            f"「{label}」は標準仕様書の続柄ではありません。使える続柄は "
            f"{'、'.join(STANDALONE_TERMS)}、または {'、'.join(BASE_TERMS)} を「の」で"
            f"{MAX_LINKS}つまでつないだもの（例：子の子、妻の父）です",
            field=field,
            source=source,
        )
    forbidden = [t for t in terms if t in FORBIDDEN_LABELS]
    if forbidden:
        raise ValidationFailed(
            _forbidden_message(label, forbidden, _suggestions(terms)), field=field, source=source
        )
    if len(terms) > 1 and any(t in STANDALONE_TERMS for t in terms):
        raise ValidationFailed(
            f"「{label}」: {'・'.join(STANDALONE_TERMS)}は単独で記録し、「の」でつなげません",
            field=field,
            source=source,
        )
    if len(terms) > MAX_LINKS:
        raise ValidationFailed(
            f"「{label}」は{len(terms)}世代です。続柄は「の」でつないで{MAX_LINKS}世代まで"
            "（例：子の子の子の子）で、5世代以上になる場合は「縁故者」と記録してください",
            field=field,
            source=source,
        )
    return tuple(terms)


def validate_zokugara(text: str, *, field: str = "relationship", source: str | None = None) -> str:
    """Return the normalised 続柄 (full-width parentheses, no spaces); raise ValidationFailed."""
    return LINK.join(parse_zokugara(text, field=field, source=source))


# --- Household order (住民記録システム標準仕様書 v1.0 §5.2 世帯員の並び順) -----------------------

_LEGAL_SPOUSES = ("夫", "妻")
_UNREGISTERED_SPOUSES = ("夫（未届）", "妻（未届）")
# (順位, 順位内, 細目) of the head's own family (第3順位), keyed by the chain's terms.
_TIER3: dict[tuple[str, ...], tuple[int, int, int]] = {
    ("父",): (3, 1, 0),
    ("母",): (3, 1, 0),
    **{(s,): (3, 2, 0) for s in _SIBLINGS},
    **{(p, q): (3, 3, 0) for p in ("父", "母") for q in ("父", "母")},
}
_RANKS: dict[tuple[str, ...], tuple[int, int, int]] = {
    (HEAD,): (1, 1, 0),
    **{(s,): (1, 2, 0) for s in _LEGAL_SPOUSES},
    **{(s,): (1, 2, 1) for s in _UNREGISTERED_SPOUSES},
    ("子",): (1, 3, 0),
    **{(c,): (2, 2, 0) for c in _CHILD_SPOUSES},
    **{("子", s): (2, 2, 0) for s in _LEGAL_SPOUSES},
    **{("子", s): (2, 2, 1) for s in _UNREGISTERED_SPOUSES},
    ("子", "子"): (2, 3, 0),
    **_TIER3,
    ("縁故者",): (4, 2, 0),
    ("同居人",): (4, 3, 0),
}


def zokugara_sort_key(
    text: str, *, field: str = "relationship", source: str | None = None
) -> tuple[int, int, int]:
    """The label part of the household order: ``(順位, 順位内, 細目)``.

    Sort household members by ``(zokugara_sort_key(続柄), 生年月日, 宛名番号)``: §5.2 orders
    people of the same rank by date of birth, then by 宛名番号. The ranks, from
    住民記録システム標準仕様書 v1.0 §5.2 (referenced by standards.md §1.8; text as transcribed in
    https://github.com/AkihiraYOSHIMOTO/jyuki-stnd/blob/master/doc/j1010.txt):

    - 第1順位: 1-1 世帯主; 1-2 配偶者 (夫, 妻, then 夫（未届）, 妻（未届）); 1-3 子.
    - 第2順位 (the families of the head's children): 2-2 子の夫/子の妻 (also 未届) and
      子（子の夫）/子（子の妻）; 2-3 子の子.
    - 第3順位 (head's own family outside the couple): 3-1 父・母; 3-2 兄・姉・弟・妹;
      3-3 父の父, 父の母, 母の父, 母の母.
    - 第4順位: 4-1 other relatives — the spouse's parents, siblings and grandparents first
      (細目 1–3, "ordered like 第3順位" as §5.2 says), then every other relative (細目 9;
      §5.2: by date of birth); 4-2 縁故者; 4-3 同居人. Putting the spouse's family before the
      other relatives is our choice: §5.2 does not say how the two interleave (provisional).

    What the label alone cannot decide (left to the household-ordering code, which knows the
    members): a 子 whose spouse or children live in the household belongs to 第2順位 (2-1)
    rather than 1-3, and §5.2 groups each child's family together (elder child's family
    first) rather than by rank; 父母 put the 筆頭者 first; relatives' and 縁故者's families
    are grouped by generation. Placing chains beyond 子の子 on the head's side (子の子の子,
    妻の子 …) in 4-1 is our reading of "第3順位に含まれない世帯主の親族は第4順位" (provisional).
    Raises ValidationFailed for a label that ``validate_zokugara`` rejects.
    """
    terms = parse_zokugara(text, field=field, source=source)
    if terms in _RANKS:
        return _RANKS[terms]
    if terms[0] in _SPOUSES and terms[1:] in _TIER3:
        # The spouse's parents, siblings, grandparents: 4-1, "ordered like 第3順位".
        return (4, 1, _TIER3[terms[1:]][1])
    return (4, 1, 9)
