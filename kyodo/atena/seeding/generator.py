"""Deterministic generator of synthetic residents and households (架空の住民・世帯).

``generate`` returns households and persons that look like a Japanese municipality's 住民基本
台帳: household sizes follow the 2020 census, ages follow Japan's age pyramid, and every
household is internally coherent (one 世帯主 aged 18+, spouses of opposite sex and similar age,
children 18–45 years younger than their parents, three-generation households with 父/母 or
孫). Relationships (続柄) use the base terms of 住民記録システム標準仕様書 joined by の
("子の妻", "妻の母"), never free text.

Pure Python, standard library only, and fast: one ``random.Random`` seeded from the arguments,
precomputed cumulative weights and ``bisect``; about 0.5 s of CPU per 100,000 residents.
The same arguments always give the same output (string seeds are hashed with SHA-512 by
``random``, independent of PYTHONHASHSEED; no set or dict iteration order is relied upon).
"""

from __future__ import annotations

import datetime
import random
from bisect import bisect, bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Generic, TypeVar

from kyodo.atena.seeding.namedata import (
    AGE_MAX,
    AGE_PYRAMID,
    CHOME_COUNTS,
    FAMILY_NAMES,
    FEMALE_GIVEN_NAMES_BY_ERA,
    GIVEN_NAME_ERA_LAST_YEARS,
    HOUSEHOLD_SIZE_WEIGHTS,
    MALE_GIVEN_NAMES_BY_ERA,
    NameEntry,
    towns_for,
)

__all__ = ["SyntheticHousehold", "SyntheticPerson", "generate"]

MALE = "M"
FEMALE = "F"

# 続柄 (base terms and compounds used here)
HEAD = "世帯主"
WIFE = "妻"
HUSBAND = "夫"
CHILD = "子"
FATHER = "父"
MOTHER = "母"
GRANDCHILD = "子の子"  # 孫 is a label the standard forbids (§1.1.11): the chain 子の子
CHILDS_WIFE = "子の妻"
CHILDS_HUSBAND = "子の夫"
WIFES_FATHER = "妻の父"
WIFES_MOTHER = "妻の母"
ELDER_BROTHER = "兄"
ELDER_SISTER = "姉"
YOUNGER_BROTHER = "弟"
YOUNGER_SISTER = "妹"

ADULT_AGE = 18
_SIBLING_TERMS = frozenset({CHILD, GRANDCHILD})  # members listed eldest first


@dataclass(frozen=True, slots=True)
class SyntheticPerson:
    """One synthetic resident (宛名)."""

    family_name: str  # 氏 (may carry an IVS, e.g. "辻\U000e0102")
    given_name: str  # 名
    family_kana: str  # 氏（カナ）, full-width katakana
    given_kana: str  # 名（カナ）, full-width katakana
    birth_date: datetime.date
    sex: str  # "M" or "F"
    relationship: str  # 続柄: "世帯主", "妻", "子", "子の妻", "妻の母", "子の子", "兄" …
    household_index: int  # index into the households list


@dataclass(frozen=True, slots=True)
class SyntheticHousehold:
    """One synthetic household (世帯) and its address."""

    town: str  # 町字
    postal_code: str  # 郵便番号 "NNN-NNNN"
    banchi: str  # 番地: "2-3-4" (丁目-番-号), "3-4" (番-号), "123番地", "1234-5" …
    katagaki: str  # 方書 (building and room, "ハイツ本町101"), "" for detached houses
    head_index: int  # index into the persons list of the 世帯主


T = TypeVar("T")


class _Table(Generic[T]):
    """Weighted choice with precomputed cumulative weights (one bisect per draw)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        kept = [(item, w) for item, w in pairs if w > 0]
        if not kept:
            raise ValueError("a weighted table needs at least one positive weight")
        self.items: tuple[T, ...] = tuple(item for item, _ in kept)
        self.cum: list[float] = list(accumulate(w for _, w in kept))
        self.total: float = self.cum[-1]

    def pick(self, rand: Callable[[], float]) -> T:
        return self.items[bisect(self.cum, rand() * self.total)]


# --------------------------------------------------------------------------------------------
# Age model
# --------------------------------------------------------------------------------------------
# Per-band multipliers over AGE_PYRAMID (bands 0–4, 5–9, …, 95–99, 100+; 21 entries). Each
# household type draws its anchor person's age from pyramid × multiplier, so the 団塊 and 団塊
# ジュニア bulges carry through. Multipliers are propensities (rough 2020 census shapes), tuned
# so the generated population matches the pyramid's broad bands to within about one point.
_SINGLE = (0, 0, 0, .15, .37, .29, .16, .12, .1, .11, .12, .13, .14, .17, .19, .19, .23, .28,
           .3, .3, .2)  # fmt: skip
_COUPLE = (0, 0, 0, 0, .01, .06, .07, .05, .04, .05, .08, .16, .26, .38, .44, .42, .38, .3,
           .18, .08, .04)  # fmt: skip
_NUCLEAR_ELDEST = (.7, 1.05, 1.15, 1.2, .55, .3, .17, .09, .05, .03, .01, 0, 0, 0, 0, 0, 0,
                   0, 0, 0, 0)  # fmt: skip
_LONE_PARENT_ELDEST = (.1, .25, .4, .55, .6, .6, .55, .55, .55, .5, .4, .25, .1, .03, 0, 0, 0,
                       0, 0, 0, 0)  # fmt: skip
_WITH_PARENT_HEAD = (0, 0, 0, 0, .05, .2, .4, .6, .8, .9, 1, .9, .7, .45, .2, .05, 0, 0, 0, 0,
                     0)  # fmt: skip
_SIBLING_HEAD = (0, 0, 0, 0, .1, .3, .4, .5, .6, .7, .8, .8, .8, .8, .7, .6, .5, .3, 0, 0,
                 0)  # fmt: skip
_STEM_HEAD = (0, 0, 0, 0, 0, 0, .3, .6, .85, 1, 1, .9, .6, .25, 0, 0, 0, 0, 0, 0, 0)  # fmt: skip
_ELDER_HEAD = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, .3, .75, 1.05, 1.05, .9, .8, .6, .3, .1,
               0)  # fmt: skip

# husband's age minus wife's age (mean ≈ +2, as in Japanese marriage statistics)
_SPOUSE_DIFF = _Table(
    list(zip(range(-3, 11), (2, 4, 7, 14, 14, 13, 11, 9, 7, 5, 4, 3, 2, 1), strict=True))
)
# mother's age at the birth of the eldest child living in the household
_FIRST_BIRTH = _Table(
    list(zip(range(21, 43), (1, 1, 2, 3, 4, 5, 6, 7, 8, 8, 8, 8, 7, 6, 5, 4, 3, 2, 2, 1, 1, 1),
             strict=True))
)  # fmt: skip
_SPACING = _Table([(1, 10), (2, 30), (3, 30), (4, 17), (5, 8), (6, 5)])

_MIN_MOTHER_GAP = 21  # the youngest value of _FIRST_BIRTH
_MOTHER_MAX_GAP = 44  # mother at most 44 years older than her youngest child here
_FATHER_MAX_GAP = 45


def _age_table(
    factors: Sequence[float], *, sex: str | None, min_age: int = 0, max_age: int = AGE_MAX
) -> _Table[int]:
    pairs: list[tuple[int, float]] = []
    for (lo, hi, male, female), factor in zip(AGE_PYRAMID, factors, strict=True):
        band = male if sex == MALE else female if sex == FEMALE else male + female
        per_year = band * factor / (hi - lo + 1)
        pairs.extend((a, per_year) for a in range(lo, hi + 1) if min_age <= a <= max_age)
    return _Table(pairs)


def _sex_age_table(factors: Sequence[float], *, min_age: int) -> _Table[tuple[str, int]]:
    pairs: list[tuple[tuple[str, int], float]] = []
    for (lo, hi, male, female), factor in zip(AGE_PYRAMID, factors, strict=True):
        for a in range(max(lo, min_age), hi + 1):
            pairs.append(((MALE, a), male * factor / (hi - lo + 1)))
            pairs.append(((FEMALE, a), female * factor / (hi - lo + 1)))
    return _Table(pairs)


_SINGLE_TABLE = _sex_age_table(_SINGLE, min_age=ADULT_AGE)
_COUPLE_HUSBAND = _age_table(_COUPLE, sex=MALE, min_age=20)
_NUCLEAR_ELDEST_TABLE = _age_table(_NUCLEAR_ELDEST, sex=None)
_LONE_PARENT_ELDEST_TABLE = _age_table(_LONE_PARENT_ELDEST, sex=None)
_WITH_PARENT_TABLE = _age_table(_WITH_PARENT_HEAD, sex=None, min_age=25, max_age=69)
_SIBLING_TABLE = _age_table(_SIBLING_HEAD, sex=None, min_age=22)
_STEM_HEAD_TABLE = _age_table(_STEM_HEAD, sex=MALE, min_age=32, max_age=66)
_ELDER_MALE_TABLE = _age_table(_ELDER_HEAD, sex=MALE, min_age=58)
_ELDER_FEMALE_TABLE = _age_table(_ELDER_HEAD, sex=FEMALE, min_age=58)

# Household composition by size. Types: couple, lone parent, adult with parent, siblings,
# nuclear (couple + children), stem (head's couple + head's parents + children) and elder
# (elderly head + married child + grandchildren). Shares after 2020 census 家族類型.
_TYPES_BY_SIZE: dict[int, _Table[str]] = {
    2: _Table([("couple", 66), ("lone", 23), ("parent", 8), ("sibling", 3)]),
    3: _Table([("nuclear", 58), ("lone", 16), ("stem", 14), ("elder", 12)]),
    4: _Table([("nuclear", 66), ("lone", 4), ("stem", 18), ("elder", 12)]),
    5: _Table([("nuclear", 40), ("stem", 34), ("elder", 26)]),
    6: _Table([("nuclear", 12), ("stem", 48), ("elder", 40)]),
}
_SIZE_TABLE = _Table(list(HOUSEHOLD_SIZE_WEIGHTS))
_LARGE_SIZE = _Table([(6, 75), (7, 18), (8, 7)])  # the "6 or more" class

# A member before names and dates: (続柄, sex, age, uses the in-law family name)
_Member = tuple[str, str, int, bool]


def _sex(rand: Callable[[], float], p_male: float = 0.512) -> str:
    return MALE if rand() < p_male else FEMALE


def _old_age(rand: Callable[[], float], age: int) -> int:
    """Soft upper bound for a parent's age: few live past 90, so cap at 88–99 (not AGE_MAX).

    Callers keep the younger generation at most 69 years old, so the gap stays ≥ 19.
    """
    return min(age, 88 + int(rand() * 12))


def _eldest_for(rand: Callable[[], float], mother: int) -> int:
    """Age of a mother's eldest child; spread over what is possible when she is young."""
    eldest = mother - _FIRST_BIRTH.pick(rand)
    if eldest < 0:
        eldest = int(rand() * (mother - _MIN_MOTHER_GAP + 1))
    return eldest


def _children(
    rand: Callable[[], float], n: int, eldest: int, mother: int, father: int | None
) -> list[int]:
    """Ages of n children, eldest first, each 18–45 years younger than the parents given.

    ``mother`` is the reference parent (≥ 21 years older than ``eldest`` when it is drawn);
    ``father`` the other parent if any. The eldest is moved up when needed to leave room for
    the younger ones, within the parents' limits.
    """
    floor = max(0, mother - _MOTHER_MAX_GAP)
    ceiling = mother - _MIN_MOTHER_GAP
    if father is not None:
        floor = max(floor, father - _FATHER_MAX_GAP)
        ceiling = min(ceiling, father - ADULT_AGE)
    age = max(min(max(eldest, floor + 2 * (n - 1)), ceiling), floor)
    ages = [age]
    for _ in range(n - 1):
        age = max(age - _SPACING.pick(rand), floor)
        ages.append(age)
    return ages


def _couple(rand: Callable[[], float]) -> list[_Member]:
    husband = _COUPLE_HUSBAND.pick(rand)
    wife = min(max(husband - _SPOUSE_DIFF.pick(rand), ADULT_AGE), AGE_MAX)
    if rand() < 0.93:
        return [(HEAD, MALE, husband, False), (WIFE, FEMALE, wife, False)]
    return [(HEAD, FEMALE, wife, False), (HUSBAND, MALE, husband, False)]


def _nuclear(rand: Callable[[], float], n_children: int) -> list[_Member]:
    eldest = _NUCLEAR_ELDEST_TABLE.pick(rand)
    mother = eldest + _FIRST_BIRTH.pick(rand)
    father = mother + _SPOUSE_DIFF.pick(rand)
    kids = _children(rand, n_children, eldest, mother, father)
    if rand() < 0.95:
        members = [(HEAD, MALE, father, False), (WIFE, FEMALE, mother, False)]
    else:
        members = [(HEAD, FEMALE, mother, False), (HUSBAND, MALE, father, False)]
    members.extend((CHILD, _sex(rand), a, False) for a in kids)
    return members


def _lone_parent(rand: Callable[[], float], n_children: int) -> list[_Member]:
    eldest = _LONE_PARENT_ELDEST_TABLE.pick(rand)
    parent = _old_age(rand, eldest + _FIRST_BIRTH.pick(rand))
    if rand() < 0.85:
        sex = FEMALE
        kids = _children(rand, n_children, eldest, parent, None)
    else:
        sex = MALE
        parent = _old_age(rand, parent + max(_SPOUSE_DIFF.pick(rand), 0))
        kids = _children(rand, n_children, eldest, parent, parent)
    return [(HEAD, sex, parent, False), *((CHILD, _sex(rand), a, False) for a in kids)]


def _with_parent(rand: Callable[[], float]) -> list[_Member]:
    head = _WITH_PARENT_TABLE.pick(rand)
    gap = _FIRST_BIRTH.pick(rand)
    if rand() < 0.8:
        parent: _Member = (MOTHER, FEMALE, _old_age(rand, head + gap), False)
    else:
        age = min(head + gap + max(_SPOUSE_DIFF.pick(rand), 0), head + _FATHER_MAX_GAP)
        parent = (FATHER, MALE, _old_age(rand, age), False)
    return [(HEAD, _sex(rand, 0.6), head, False), parent]


def _siblings(rand: Callable[[], float]) -> list[_Member]:
    head = _SIBLING_TABLE.pick(rand)
    other = min(max(head + int(rand() * 17) - 8, ADULT_AGE), AGE_MAX)
    sex = _sex(rand, 0.45)
    if other > head:
        rel = ELDER_BROTHER if sex == MALE else ELDER_SISTER
    else:
        rel = YOUNGER_BROTHER if sex == MALE else YOUNGER_SISTER
    return [(HEAD, _sex(rand, 0.55), head, False), (rel, sex, other, False)]


def _stem(rand: Callable[[], float], size: int) -> list[_Member]:
    """世帯主 and 妻 living with his parents (or hers) and their children."""
    head = _STEM_HEAD_TABLE.pick(rand)
    members: list[_Member] = [(HEAD, MALE, head, False)]
    wife: int | None = None
    if rand() < 0.9:
        wife = min(max(head - _SPOUSE_DIFF.pick(rand), 22), AGE_MAX)
        members.append((WIFE, FEMALE, wife, False))
    n_parents = 2 if rand() < 0.4 else 1
    n_parents = min(n_parents, size - len(members))
    in_law = wife is not None and rand() < 0.15
    ref = wife if in_law and wife is not None else head
    mother = _old_age(rand, ref + _FIRST_BIRTH.pick(rand))
    father = max(min(mother + _SPOUSE_DIFF.pick(rand), ref + _FATHER_MAX_GAP), ref + 20)
    father = max(_old_age(rand, father), ref + ADULT_AGE)
    if n_parents == 2:
        members.append((WIFES_FATHER if in_law else FATHER, MALE, father, in_law))
        members.append((WIFES_MOTHER if in_law else MOTHER, FEMALE, mother, in_law))
    elif n_parents == 1:
        if rand() < 0.75:
            members.append((WIFES_MOTHER if in_law else MOTHER, FEMALE, mother, in_law))
        else:
            members.append((WIFES_FATHER if in_law else FATHER, MALE, father, in_law))
    n_kids = size - len(members)
    if n_kids > 0:
        mum = wife if wife is not None else head
        kids = _children(rand, n_kids, _eldest_for(rand, mum), mum, head)
        members.extend((CHILD, _sex(rand), a, False) for a in kids)
    return members


def _elder(rand: Callable[[], float], size: int) -> list[_Member]:
    """Elderly 世帯主 (and 妻) with a married child (子, 子の妻/子の夫) and 孫."""
    n_elders = 2 if rand() < 0.65 else 1
    n_couple = 2 if rand() < 0.85 else 1
    while n_elders + n_couple > size:
        if n_couple > 1:
            n_couple -= 1
        else:
            n_elders -= 1
    members: list[_Member] = []
    if n_elders == 2:
        husband = _ELDER_MALE_TABLE.pick(rand)
        wife = min(max(husband - _SPOUSE_DIFF.pick(rand), 50), AGE_MAX)
        members += [(HEAD, MALE, husband, False), (WIFE, FEMALE, wife, False)]
        mum, dad = wife, husband
    elif rand() < 0.65:
        mum = _ELDER_FEMALE_TABLE.pick(rand)
        dad = None
        members.append((HEAD, FEMALE, mum, False))
    else:
        dad = _ELDER_MALE_TABLE.pick(rand)
        mum = dad
        members.append((HEAD, MALE, dad, False))
    child = mum - min(_FIRST_BIRTH.pick(rand) + 3, mum - 26)
    if dad is not None:
        child = max(child, dad - _FATHER_MAX_GAP)
    son = rand() < 0.75
    members.append((CHILD, MALE if son else FEMALE, child, False))
    g_mum, g_dad = child, child
    if n_couple == 2:
        spouse = min(max(child + (-1 if son else 1) * _SPOUSE_DIFF.pick(rand), 22), AGE_MAX)
        members.append((CHILDS_WIFE if son else CHILDS_HUSBAND,
                        FEMALE if son else MALE, spouse, False))  # fmt: skip
        g_mum, g_dad = (spouse, child) if son else (child, spouse)
    n_grand = size - len(members)
    if n_grand > 0:
        for a in _children(rand, n_grand, _eldest_for(rand, g_mum), g_mum, g_dad):
            members.append((GRANDCHILD, _sex(rand), a, False))
    return members


_BUILDERS: dict[str, Callable[[Callable[[], float], int], list[_Member]]] = {
    "couple": lambda rand, size: _couple(rand),
    "nuclear": lambda rand, size: _nuclear(rand, size - 2),
    "lone": lambda rand, size: _lone_parent(rand, size - 1),
    "parent": lambda rand, size: _with_parent(rand),
    "sibling": lambda rand, size: _siblings(rand),
    "stem": _stem,
    "elder": _elder,
}


def _compose(rand: Callable[[], float], size: int) -> list[_Member]:
    """Members of one household of ``size`` persons, the 世帯主 first."""
    if size == 1:
        sex, age = _SINGLE_TABLE.pick(rand)
        return [(HEAD, sex, age, False)]
    return _BUILDERS[_TYPES_BY_SIZE[min(size, 6)].pick(rand)](rand, size)


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------
# Affinity of a given name to persons born in another era (index = distance between eras).
_ERA_AFFINITY = (1.0, 0.06, 0.005, 0.001)


def _given_name_tables(by_era: Sequence[Sequence[NameEntry]]) -> list[_Table[tuple[str, str]]]:
    tables = []
    for era in range(len(by_era)):
        pairs = [
            ((kanji, kana), weight * _ERA_AFFINITY[abs(era - name_era)])
            for name_era, names in enumerate(by_era)
            for kanji, kana, weight in names
        ]
        tables.append(_Table(pairs))
    return tables


_FAMILY_TABLE = _Table([((kanji, kana), w) for kanji, kana, w in FAMILY_NAMES])
_GIVEN_TABLES = {
    MALE: _given_name_tables(MALE_GIVEN_NAMES_BY_ERA),
    FEMALE: _given_name_tables(FEMALE_GIVEN_NAMES_BY_ERA),
}


def _era_of_birth_year(year: int) -> int:
    """0 = born ≤1950, 1 = 1951–1975, 2 = 1976–2000, 3 = 2001 or later."""
    return bisect_left(GIVEN_NAME_ERA_LAST_YEARS, year)


# --------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------
_BUILDING_PATTERNS = (
    "ハイツ{}", "コーポ{}", "メゾン{}", "{}ハイツ", "サンハイム{}", "グリーンヒル{}",
    "レジデンス{}", "パストラル{}", "ドミール{}", "{}マンション", "ルミエール{}", "アーバン{}",
)  # fmt: skip
_CHOME_SUFFIX = "丁目"


def _town_stem(town: str) -> str:
    if town.endswith(_CHOME_SUFFIX):
        return town[:-3]  # "本町一丁目" → "本町"
    return town


def _banchi(rand: Callable[[], float], town: str, chome: int) -> str:
    if chome:
        return f"{1 + int(rand() * chome)}-{1 + int(rand() * 25)}-{1 + int(rand() * 20)}"
    if town.endswith(_CHOME_SUFFIX):
        return f"{1 + int(rand() * 25)}-{1 + int(rand() * 20)}"
    number = 1 + int(rand() * 3000)
    style = rand()
    if style < 0.45:
        return f"{number}番地"
    if style < 0.6:
        return f"{number}番地{1 + int(rand() * 12)}"
    return f"{number}-{1 + int(rand() * 12)}"


def _katagaki(rand: Callable[[], float], town: str) -> str:
    stem = _town_stem(town)
    if rand() < 0.12:  # public housing: 県営/市営 … 住宅 号棟-号室
        owner = "県営" if rand() < 0.4 else "市営"
        return f"{owner}{stem}住宅{1 + int(rand() * 8)}-{1 + int(rand() * 4)}0{1 + int(rand() * 6)}"
    name = _BUILDING_PATTERNS[int(rand() * len(_BUILDING_PATTERNS))].format(stem)
    floor = 1 + int(rand() * (2 if rand() < 0.6 else 5))
    return f"{name}{floor}{1 + int(rand() * 8):02d}"


def _apartment_probability(members: list[_Member]) -> float:
    """Chance the household lives in an apartment (方書 present), by type and head age."""
    head_age = members[0][2]
    size = len(members)
    if size == 1:
        return 0.8 if head_age < 40 else 0.5 if head_age < 65 else 0.25
    relations = {m[0] for m in members}
    if {FATHER, MOTHER, GRANDCHILD, WIFES_FATHER, WIFES_MOTHER} & relations:
        return 0.04
    if head_age < 40:
        return 0.7
    if head_age < 65:
        return 0.32
    return 0.12


# --------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------
def generate(
    *, tenant_code: str, residents: int, seed: int = 0, as_of: datetime.date
) -> tuple[list[SyntheticHousehold], list[SyntheticPerson]]:
    """Generate exactly ``residents`` persons in coherent households for ``tenant_code``.

    Towns come from ``namedata.towns_for(tenant_code)``. Ages are exact at ``as_of`` (no birth
    date after it). Persons are grouped by household, the 世帯主 first; ``household_index`` and
    ``head_index`` cross-reference the two lists. Deterministic for equal arguments.
    """
    if isinstance(residents, bool) or not isinstance(residents, int) or residents < 0:
        raise ValueError("residents must be a non-negative integer")
    if not isinstance(as_of, datetime.date) or isinstance(as_of, datetime.datetime):
        raise TypeError("as_of must be a datetime.date")

    rng = random.Random(f"kyodo.atena.seeding:{tenant_code}:{seed}")
    rand = rng.random
    towns = towns_for(tenant_code)
    chome_counts = CHOME_COUNTS.get(tenant_code, {})
    town_chome = [chome_counts.get(name, 0) for name, _ in towns]

    birth_lo, birth_span = _birth_ranges(as_of)
    given_by_age = [
        (_GIVEN_TABLES[MALE][era], _GIVEN_TABLES[FEMALE][era])
        for era in (_era_of_birth_year(as_of.year - a) for a in range(AGE_MAX + 1))
    ]
    fromordinal = datetime.date.fromordinal
    family_pick = _FAMILY_TABLE.pick
    size_pick = _SIZE_TABLE.pick
    large_pick = _LARGE_SIZE.pick

    households: list[SyntheticHousehold] = []
    persons: list[SyntheticPerson] = []
    append_person = persons.append
    while len(persons) < residents:
        size = size_pick(rand)
        if size >= 6:
            size = large_pick(rand)
        size = min(size, residents - len(persons))
        members = _compose(rand, size)

        family, family_kana = family_pick(rand)
        in_law: tuple[str, str] | None = None
        if any(m[3] for m in members):
            in_law = family_pick(rand)
            while in_law[0] == family:
                in_law = family_pick(rand)

        h_index = len(households)
        head_index = len(persons)
        previous: tuple[str, int, datetime.date] | None = None
        for relationship, sex, age, uses_in_law in members:
            male_table, female_table = given_by_age[age]
            given, given_kana = (male_table if sex == MALE else female_table).pick(rand)
            fam, fam_kana = in_law if uses_in_law and in_law else (family, family_kana)
            if previous and previous[0] == relationship and previous[1] == age:
                born = previous[2]  # siblings of the same age are twins
            else:
                born = fromordinal(birth_lo[age] + int(rand() * birth_span[age]))
            previous = (relationship, age, born) if relationship in _SIBLING_TERMS else None
            append_person(
                SyntheticPerson(fam, given, fam_kana, given_kana, born, sex, relationship, h_index)
            )

        t = int(rand() * len(towns))
        town, postal = towns[t]
        banchi = _banchi(rand, town, town_chome[t])
        katagaki = _katagaki(rand, town) if rand() < _apartment_probability(members) else ""
        households.append(SyntheticHousehold(town, postal, banchi, katagaki, head_index))
    return households, persons


def _birth_ranges(as_of: datetime.date) -> tuple[list[int], list[int]]:
    """Per age a: first ordinal and number of days of births aged exactly a on ``as_of``.

    Born in (as_of − (a+1) years, as_of − a years]; a 29 February ``as_of`` counts as the
    28th in common years.
    """

    def anniversary(years_back: int) -> int:
        year = as_of.year - years_back
        day = as_of.day
        if as_of.month == 2 and day == 29 and not _is_leap(year):
            day = 28
        return datetime.date(year, as_of.month, day).toordinal()

    latest = [anniversary(a) for a in range(AGE_MAX + 2)]
    first = [latest[a + 1] + 1 for a in range(AGE_MAX + 1)]
    return first, [latest[a] - first[a] + 1 for a in range(AGE_MAX + 1)]


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
