"""The synthetic resident generator (kyodo.atena.seeding): pure Python, no database."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from functools import cache
from itertools import pairwise

import pytest

from kyodo.atena.seeding.generator import SyntheticHousehold, SyntheticPerson, generate
from kyodo.atena.seeding.namedata import (
    AGE_PYRAMID,
    FAMILY_NAMES,
    FEMALE_GIVEN_NAMES,
    HOUSEHOLD_SIZE_WEIGHTS,
    MALE_GIVEN_NAMES,
    TOWNS,
    has_ivs,
    towns_for,
)

AS_OF = datetime.date(2025, 4, 1)
IMIZU = "162116"
KATAKANA = re.compile(r"^[ァ-ヶー]+$")
STANDARD_RELATIONSHIPS = {
    "世帯主", "妻", "夫", "子", "父", "母", "子の子", "子の妻", "子の夫", "妻の父", "妻の母",
    "兄", "姉", "弟", "妹",
}  # fmt: skip
PARENT_CHILD_MIN, PARENT_CHILD_MAX = 18, 45

Household = tuple[SyntheticHousehold, list[SyntheticPerson]]


@cache
def sample(
    tenant_code: str = IMIZU, residents: int = 20_000, seed: int = 0, as_of: datetime.date = AS_OF
) -> tuple[list[SyntheticHousehold], list[SyntheticPerson]]:
    return generate(tenant_code=tenant_code, residents=residents, seed=seed, as_of=as_of)


def age(person: SyntheticPerson, as_of: datetime.date | None = None) -> int:
    as_of = as_of or AS_OF
    b = person.birth_date
    return as_of.year - b.year - ((as_of.month, as_of.day) < (b.month, b.day))


def grouped(
    households: list[SyntheticHousehold], persons: list[SyntheticPerson]
) -> list[Household]:
    members: list[list[SyntheticPerson]] = [[] for _ in households]
    for p in persons:
        members[p.household_index].append(p)
    return list(zip(households, members, strict=True))


def with_relationship(members: list[SyntheticPerson], *relationships: str) -> list[SyntheticPerson]:
    return [m for m in members if m.relationship in relationships]


# --- determinism and size ----------------------------------------------------------------------


def test_same_arguments_give_identical_output() -> None:
    first = generate(tenant_code=IMIZU, residents=3_000, seed=7, as_of=AS_OF)
    second = generate(tenant_code=IMIZU, residents=3_000, seed=7, as_of=AS_OF)
    assert first == second


def test_different_seed_or_tenant_gives_different_output() -> None:
    base = generate(tenant_code=IMIZU, residents=3_000, seed=7, as_of=AS_OF)
    assert generate(tenant_code=IMIZU, residents=3_000, seed=8, as_of=AS_OF) != base
    assert generate(tenant_code="162086", residents=3_000, seed=7, as_of=AS_OF) != base


@pytest.mark.parametrize("residents", [0, 1, 2, 3, 5, 8, 999, 12_345])
def test_exact_number_of_residents(residents: int) -> None:
    households, persons = generate(tenant_code=IMIZU, residents=residents, seed=3, as_of=AS_OF)
    assert len(persons) == residents
    assert sum(1 for p in persons if p.relationship == "世帯主") == len(households)


@pytest.mark.parametrize("residents", [-1, True, 2.0])
def test_rejects_bad_resident_counts(residents: object) -> None:
    with pytest.raises(ValueError):
        generate(tenant_code=IMIZU, residents=residents, as_of=AS_OF)  # type: ignore[arg-type]


def test_households_are_contiguous_and_indices_cross_reference() -> None:
    households, persons = sample()
    assert [p.household_index for p in persons] == sorted(p.household_index for p in persons)
    for index, household in enumerate(households):
        head = persons[household.head_index]
        assert head.household_index == index
        assert head.relationship == "世帯主"
    assert {p.household_index for p in persons} == set(range(len(households)))


def test_100k_residents_generate() -> None:
    households, persons = generate(tenant_code=IMIZU, residents=100_000, seed=1, as_of=AS_OF)
    assert len(persons) == 100_000
    assert 40_000 < len(households) < 50_000  # mean household ≈ 2.2 persons


# --- household coherence ---------------------------------------------------------------------


def test_every_household_has_exactly_one_adult_head() -> None:
    for _, members in grouped(*sample()):
        heads = with_relationship(members, "世帯主")
        assert len(heads) == 1
        assert age(heads[0]) >= 18
        assert members[0] is heads[0]


def test_relationships_are_standard_terms() -> None:
    _, persons = sample()
    assert {p.relationship for p in persons} <= STANDARD_RELATIONSHIPS


def test_spouses_are_opposite_sex_similar_age_same_name() -> None:
    couples = 0
    for _, members in grouped(*sample()):
        head = members[0]
        spouses = with_relationship(members, "妻", "夫")
        assert len(spouses) <= 1
        pairs = [(head, s) for s in spouses]
        children = with_relationship(members, "子")
        in_laws = with_relationship(members, "子の妻", "子の夫")
        assert len(in_laws) <= 1
        if in_laws:
            (married_child,) = children  # the 子 a 子の妻/子の夫 is married to
            pairs.append((married_child, in_laws[0]))
        for a, b in pairs:
            couples += 1
            assert {a.sex, b.sex} == {"M", "F"}
            assert abs(age(a) - age(b)) <= 10
            assert a.family_name == b.family_name
        for spouse in spouses:
            assert spouse.relationship == ("妻" if spouse.sex == "F" else "夫")
    assert couples > 1_000


def test_parents_are_18_to_45_years_older_than_children() -> None:
    checked = 0
    for _, members in grouped(*sample()):
        head = members[0]
        head_couple = [head, *with_relationship(members, "妻", "夫")]
        pairs = [(parent, child) for parent in head_couple
                 for child in with_relationship(members, "子")]  # fmt: skip
        grandchildren = with_relationship(members, "子の子")
        if grandchildren:
            child_couple = with_relationship(members, "子", "子の妻", "子の夫")
            pairs += [(parent, g) for parent in child_couple for g in grandchildren]
        pairs += [(p, head) for p in with_relationship(members, "父", "母")]
        wives = with_relationship(members, "妻")
        pairs += [(p, wives[0]) for p in with_relationship(members, "妻の父", "妻の母")]
        for parent, child in pairs:
            checked += 1
            assert PARENT_CHILD_MIN <= age(parent) - age(child) <= PARENT_CHILD_MAX, (
                parent,
                child,
            )
    assert checked > 5_000


def test_family_name_is_shared_except_by_the_wifes_parents() -> None:
    for _, members in grouped(*sample()):
        head = members[0]
        in_laws = with_relationship(members, "妻の父", "妻の母")
        for member in members:
            if member in in_laws:
                assert member.family_name != head.family_name
                assert member.family_name == in_laws[0].family_name
            else:
                assert member.family_name == head.family_name
                assert member.family_kana == head.family_kana


def test_children_listed_eldest_first_and_same_age_siblings_are_twins() -> None:
    for _, members in grouped(*sample()):
        for relationship in ("子", "子の子"):
            siblings = with_relationship(members, relationship)
            ages = [age(m) for m in siblings]
            assert ages == sorted(ages, reverse=True)
            for older, younger in pairwise(siblings):
                if age(older) == age(younger):
                    assert older.birth_date == younger.birth_date


def test_three_generation_households_exist() -> None:
    households = grouped(*sample())
    with_grandchildren = sum(1 for _, m in households if with_relationship(m, "子の子"))
    with_parents = sum(1 for _, m in households if with_relationship(m, "父", "母"))
    assert with_grandchildren > 100
    assert with_parents > 100


def test_household_sizes_follow_the_census() -> None:
    households = grouped(*sample())
    sizes = Counter(min(len(m), 6) for _, m in households)
    total_weight = sum(w for _, w in HOUSEHOLD_SIZE_WEIGHTS)
    for size, weight in HOUSEHOLD_SIZE_WEIGHTS:
        assert sizes[size] / len(households) == pytest.approx(weight / total_weight, abs=0.02)


def test_single_person_households_skew_young_adult_and_elderly() -> None:
    singles = [age(m[0]) for _, m in grouped(*sample()) if len(m) == 1]
    young_or_old = sum(1 for a in singles if a < 35 or a >= 65)
    assert young_or_old / len(singles) > 0.55


# --- ages and dates --------------------------------------------------------------------------


def test_broad_age_bands_follow_the_pyramid() -> None:
    _, persons = sample()
    total = sum(m + f for _, _, m, f in AGE_PYRAMID)

    def target(lo: int, hi: int) -> float:
        return sum(m + f for a, b, m, f in AGE_PYRAMID if lo <= a and b <= hi) / total

    ages = [age(p) for p in persons]
    for lo, hi in [(0, 14), (15, 64), (65, 200)]:
        share = sum(1 for a in ages if lo <= a <= hi) / len(ages)
        assert share == pytest.approx(target(lo, hi), abs=0.03), (lo, hi)
    assert target(0, 14) == pytest.approx(0.12, abs=0.01)
    assert target(65, 200) == pytest.approx(0.29, abs=0.01)


def test_birth_dates_are_valid_and_not_after_as_of() -> None:
    _, persons = sample()
    assert all(isinstance(p.birth_date, datetime.date) for p in persons)
    assert max(p.birth_date for p in persons) <= AS_OF
    assert min(age(p) for p in persons) == 0
    assert max(age(p) for p in persons) <= 105


def test_leap_day_as_of() -> None:
    leap = datetime.date(2024, 2, 29)
    _, persons = generate(tenant_code=IMIZU, residents=2_000, seed=5, as_of=leap)
    assert max(p.birth_date for p in persons) <= leap
    assert all(0 <= age(p, leap) <= 105 for p in persons)


# --- names -----------------------------------------------------------------------------------


def test_kana_are_full_width_katakana() -> None:
    _, persons = sample()
    for p in persons:
        assert KATAKANA.match(p.family_kana), p
        assert KATAKANA.match(p.given_kana), p


def test_readings_and_sex_match_the_name_data() -> None:
    families = {(kanji, kana) for kanji, kana, _ in FAMILY_NAMES}
    male = {(kanji, kana) for kanji, kana, _ in MALE_GIVEN_NAMES}
    female = {(kanji, kana) for kanji, kana, _ in FEMALE_GIVEN_NAMES}
    _, persons = sample()
    for p in persons:
        assert p.sex in {"M", "F"}
        assert (p.family_name, p.family_kana) in families
        assert (p.given_name, p.given_kana) in (male if p.sex == "M" else female)


def test_name_lists_are_large_enough_and_katakana() -> None:
    assert len(FAMILY_NAMES) >= 150
    assert len(MALE_GIVEN_NAMES) >= 120
    assert len(FEMALE_GIVEN_NAMES) >= 120
    for _, kana, weight in [*FAMILY_NAMES, *MALE_GIVEN_NAMES, *FEMALE_GIVEN_NAMES]:
        assert KATAKANA.match(kana)
        assert weight > 0


def test_ivs_family_names_appear() -> None:
    _, persons = sample()
    ivs = [p for p in persons if has_ivs(p.family_name)]
    assert ivs
    assert {"葛\U000e0102西", "辻\U000e0102"} <= {name for name, _, _ in FAMILY_NAMES}


def test_older_people_tend_to_have_older_names() -> None:
    _, persons = sample()
    old_style = {"和子", "幸子", "節子", "清", "茂", "実"}
    young_style = {"陽葵", "凛", "紬", "蓮", "陽翔", "湊"}
    elderly = [p.given_name for p in persons if age(p) >= 80]
    children = [p.given_name for p in persons if age(p) <= 10]
    assert sum(n in old_style for n in elderly) > sum(n in young_style for n in elderly)
    assert sum(n in young_style for n in children) > sum(n in old_style for n in children)


# --- addresses -------------------------------------------------------------------------------


@pytest.mark.parametrize("tenant_code", sorted(TOWNS))
def test_towns_belong_to_the_tenant(tenant_code: str) -> None:
    households, _ = generate(tenant_code=tenant_code, residents=3_000, as_of=AS_OF)
    allowed = set(towns_for(tenant_code))
    assert {(h.town, h.postal_code) for h in households} <= allowed
    assert all(re.fullmatch(r"\d{3}-\d{4}", h.postal_code) for h in households)
    assert all(h.banchi for h in households)


def test_unknown_tenant_gets_deterministic_generic_towns() -> None:
    towns = towns_for("131016")
    assert towns == towns_for("131016")
    assert towns != towns_for("271004")
    assert all(name.endswith("丁目") for name, _ in towns)
    assert all(re.fullmatch(r"\d{3}-\d{4}", postal) for _, postal in towns)
    households, _ = generate(tenant_code="131016", residents=500, as_of=AS_OF)
    assert {(h.town, h.postal_code) for h in households} <= set(towns)


def test_roughly_a_third_of_households_have_a_katagaki() -> None:
    households, _ = sample()
    share = sum(1 for h in households if h.katagaki) / len(households)
    assert 0.25 < share < 0.45
