"""The vectorised 個人住民税 (kyodo.rules.juminzei.vector) gives, row by row and to the yen, what
the scalar calculator gives: for generated households across every band edge of both years'
data, at the edges that matter most (給与所得 table, 基礎控除 steps, 非課税限度額 by 級地,
調整控除 at 200万), and for a year whose figures were changed, which only a calculator that
reads every figure from the data can follow."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kyodo.rules import lawdata
from kyodo.rules.juminzei import calculate, parse
from kyodo.rules.juminzei.vector import MAX_YEN, Columns, VectorResult, calculate_columns
from tests.rules.juminzei_helpers import (
    DESIGNATED_CITY,
    ORDINARY_CITY,
    has_step,
    household,
    step,
)

YEARS = (2025, 2026)
AMOUNTS = (
    "city_shotokuwari",
    "city_kintouwari",
    "pref_shotokuwari",
    "pref_kintouwari",
    "forest_env_tax",
    "total",
)
# The scalar steps the vector result also gives (0 where the scalar trail lacks them): they
# show a one-yen difference that the 1,000-yen and 100-yen truncations would hide.
STEPS = {
    "gokei_shotoku": "gokei_shotoku",
    "shotoku_kojo": "kojo.gokei",
    "kazei_shotoku": "kazei_shotoku",
    "nenkin_shotoku": "nenkin_zatsu_shotoku",
    "city_chosei_kojo": "city.chosei_kojo",
    "pref_chosei_kojo": "pref.chosei_kojo",
}


def _scalar_row(result: dict[str, Any]) -> dict[str, Any]:
    steps = {s["id"]: s["value"] for s in result["steps"]}
    return {
        "city_shotokuwari": result["city"]["shotokuwari"],
        "city_kintouwari": result["city"]["kintouwari"],
        "pref_shotokuwari": result["pref"]["shotokuwari"],
        "pref_kintouwari": result["pref"]["kintouwari"],
        "forest_env_tax": result["forest_env_tax"],
        "total": result["total"],
        "hikazei_kintouwari": result["hikazei"]["kintouwari"],
        "hikazei_shotokuwari": result["hikazei"]["shotokuwari"],
        **{name: steps.get(step_id, 0) for name, step_id in STEPS.items()},
    }


def _vector_row(result: VectorResult, i: int) -> dict[str, Any]:
    row: dict[str, Any] = {name: int(getattr(result, name)[i]) for name in (*AMOUNTS, *STEPS)}
    row["hikazei_kintouwari"] = bool(result.hikazei_kintouwari[i])
    row["hikazei_shotokuwari"] = bool(result.hikazei_shotokuwari[i])
    return row


def compare(inputs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Compute ``inputs`` (one municipality and year) in one vector call and each with the
    scalar calculator; every row must agree and none be left to the scalar path. Returns the
    scalar results, for the tests to check which cases they reached."""
    households = [parse(data) for data in inputs]
    first = households[0]
    assert all(h.municipality == first.municipality for h in households)
    assert all(h.fiscal_year == first.fiscal_year for h in households)
    vector = calculate_columns(
        Columns.from_households(households), first.municipality, first.fiscal_year
    )
    assert len(vector) == len(inputs)
    assert not vector.scalar.any()
    results = [calculate(data) for data in inputs]
    for i, (data, result) in enumerate(zip(inputs, results, strict=True)):
        assert _vector_row(vector, i) == _scalar_row(result), (i, data)
    return results


# --- generated households ----------------------------------------------------------------------


def _law(year: int) -> lawdata.LawData:
    return lawdata.load("juminzei", year)


def _edges() -> list[int]:
    """Every band edge and yen limit of both years' data: the amounts where a rule changes."""
    edges: set[int] = set()
    for year in YEARS:
        for figure in _law(year).figures.values():
            if figure.type == "yen":
                edges.add(figure.value)
            for band in figure.bands:
                edges.update(x for x in (band.min, band.max) if x is not None)
    return sorted(edges)


def _steps() -> list[tuple[int, int, int]]:
    """(min, max, step) of the rows of 別表第五 floored to a multiple of ``step``."""
    return [
        (b.min, b.max, int(b.values["step"]))
        for year in YEARS
        for b in _law(year).figure("kyuyo_shotoku").bands
        if "step" in b.values and b.max is not None
    ]


EDGES = _edges()
near_edge = st.sampled_from(EDGES).flatmap(lambda e: st.integers(max(0, e - 2), e + 2))
on_step = st.sampled_from(_steps()).flatmap(
    lambda row: st.integers(row[0] // row[2], row[1] // row[2]).flatmap(
        lambda k: st.integers(max(row[0], k * row[2] - 1), min(row[1], k * row[2] + row[2] - 1))
    )
)


def money(maximum: int) -> st.SearchStrategy[int]:
    return st.one_of(st.just(0), near_edge, st.integers(0, maximum))


salary = st.one_of(money(30_000_000), on_step, st.integers(0, MAX_YEN))
disability = st.sampled_from([None, "general", "special", "special_cohabiting"])
municipalities = st.builds(
    lambda base, kyuchi, rates: {
        **base,
        "kyuchi": kyuchi,
        **({"city_rate": rates[0], "pref_rate": rates[1]} if rates else {}),
    },
    st.sampled_from([ORDINARY_CITY, DESIGNATED_CITY]),
    st.sampled_from([1, 2, 3]),
    # 超過課税 rates with fractions of a percent, besides the standard ones.
    st.sampled_from([None, (0.061, 0.0405), (0.0615, 0.042), (0.085, 0.025)]),
)


@st.composite
def taxpayer(draw: st.DrawFn) -> dict[str, Any]:
    status = draw(st.sampled_from(["none", "widow", "single_parent"]))
    relative = st.fixed_dictionaries(
        {"age": st.integers(0, 100), "income": money(2_000_000)},
        optional={"disability": disability, "cohabiting_parent": st.booleans()},
    )
    return {
        "age": draw(st.integers(15, 100)),
        "salary_income": draw(salary),
        "pension_income": draw(money(8_000_000)),
        "other_income": draw(money(30_000_000)),
        "social_insurance": draw(money(2_000_000)),
        "small_business_mutual_aid": draw(st.sampled_from([0, 0, 0, 240_000])),
        "life_insurance": draw(
            st.fixed_dictionaries(
                {
                    k: money(150_000)
                    for k in (
                        "old_general",
                        "old_pension",
                        "new_general",
                        "new_pension",
                        "care_medical",
                    )
                }
            )
        ),
        "widow": status == "widow",
        "single_parent": status == "single_parent",
        "sex": draw(st.sampled_from([None, "F"] if status == "widow" else [None, "F", "M"])),
        "disability": draw(st.sampled_from([None, None, "general", "special"])),
        "working_student": draw(st.booleans()),
        "public_assistance": draw(st.sampled_from([False, False, False, True])),
        "spouse": draw(
            st.none()
            | st.fixed_dictionaries(
                {"age": st.integers(16, 100), "income": money(2_000_000)},
                optional={"disability": disability},
            )
        ),
        "dependents": draw(st.lists(relative, max_size=5)),
    }


@st.composite
def batches(draw: st.DrawFn, year: int) -> list[dict[str, Any]]:
    municipality = draw(municipalities)
    people = draw(st.lists(taxpayer(), min_size=1, max_size=12))
    return [household(fiscal_year=year, municipality=municipality, **p) for p in people]


@pytest.mark.parametrize("year", YEARS)
@settings(max_examples=120, deadline=None)
@given(data=st.data())
def test_generated_households_match_the_scalar_calculator(year: int, data: st.DataObject) -> None:
    compare(data.draw(batches(year)))


# --- targeted edges ----------------------------------------------------------------------------


@pytest.mark.parametrize("year", YEARS)
def test_every_edge_of_the_kyuyo_shotoku_table(year: int) -> None:
    salaries: set[int] = set()
    bands = _law(year).figure("kyuyo_shotoku").bands
    for band in bands:
        for x in (band.min, band.max):
            if x is not None:
                salaries.update(range(max(0, x - 2), x + 3))
        if "step" in band.values and band.max is not None:
            step_ = int(band.values["step"])
            for k in range(band.min // step_ + 1, band.min // step_ + 4):
                salaries.update((k * step_ - 1, k * step_, k * step_ + 1))
    # Alone, then with other income so that even the bottom of the table reaches 所得割; the
    # children bring in the 所得金額調整控除 above 850万.
    inputs = [
        household(fiscal_year=year, salary_income=s, other_income=other, dependents=children)
        for s in sorted(salaries)
        for other in (0, 1_000_000)
        for children in ([], [{"age": 10, "income": 0}])
    ]
    results = compare(inputs)
    # Every row of the table was reached by a household that pays 所得割.
    for band in bands:
        assert any(
            band.min <= data["taxpayer"]["salary_income"] <= (band.max or MAX_YEN)
            and not result["hikazei"]["shotokuwari"]
            for data, result in zip(inputs, results, strict=True)
        ), band.key


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("municipality", [ORDINARY_CITY, DESIGNATED_CITY])
def test_kiso_kojo_steps_and_the_chosei_kojo_income_limit(
    year: int, municipality: dict[str, Any]
) -> None:
    bands = _law(year).figure("kiso_kojo").bands
    incomes = sorted({y for b in bands for x in (b.min, b.max) if x for y in range(x - 1, x + 2)})
    results = compare(
        [
            household(fiscal_year=year, municipality=municipality, other_income=x, **extra)
            for x in incomes
            for extra in ({}, {"spouse": {"age": 40, "income": 0}})
        ]
    )
    assert {step(r, "kojo.kiso") for r in results} == {int(b.number("amount")) for b in bands}


@pytest.mark.parametrize("year", YEARS)
def test_shotoku_chosei_kodomo_for_each_reason_and_none(year: int) -> None:
    law = _law(year)
    rule = law.figure("shotoku_chosei.kodomo").value
    over, cap = rule["salary_over"], rule["salary_cap"]
    spouse_limit = law.figure("haigusha.income_limit").value
    fuyo_limit = law.figure("fuyo.income_limit").value
    below = rule["dependant_age_below"]
    # Each reason of 租税特別措置法 第41条の3の3第1項, and the near misses.
    cases: list[dict[str, Any]] = [
        {},
        {"disability": "special"},
        {"disability": "general"},
        {"spouse": {"age": 50, "income": spouse_limit, "disability": "special"}},
        {"spouse": {"age": 50, "income": 0, "disability": "special_cohabiting"}},
        {"spouse": {"age": 50, "income": spouse_limit + 1, "disability": "special"}},
        {"spouse": {"age": 50, "income": 0, "disability": "general"}},
        {"dependents": [{"age": below - 1, "income": fuyo_limit}]},
        {"dependents": [{"age": below, "income": 0}]},
        {"dependents": [{"age": 10, "income": fuyo_limit + 1}]},
        {"dependents": [{"age": 40, "income": 0, "disability": "special_cohabiting"}]},
        {"dependents": [{"age": 40, "income": fuyo_limit + 1, "disability": "special"}]},
        {"dependents": [{"age": 40, "income": 0, "disability": "general"}]},
    ]
    # Odd yen above the threshold give a fraction of a yen (its rounding is data too).
    salaries = [over - 1, over, over + 1, over + 7, over + 12_345, cap - 1, cap, cap + 1]
    results = compare(
        [household(fiscal_year=year, salary_income=s, **c) for c in cases for s in salaries]
    )
    reduced = [step(r, "shotoku_chosei.kodomo") for r in results]
    # Reached: none, a fraction rounded, part of the range and the cap.
    assert len(set(reduced)) >= 4
    assert 0 in reduced


def _band_edges(law: lawdata.LawData, *figure_ids: str) -> set[int]:
    return {
        y
        for figure_id in figure_ids
        for b in law.figure(figure_id).bands
        for x in (b.min, b.max)
        if x is not None
        for y in (x - 1, x, x + 1)
        if y >= 0
    }


@pytest.mark.parametrize("year", YEARS)
def test_the_spouse_at_every_age_and_income_edge(year: int) -> None:
    law = _law(year)
    elderly = law.figure("haigusha.elderly_age").value
    limit = law.figure("haigusha.income_limit").value
    incomes = _band_edges(law, "haigusha_tokubetsu_kojo", "chosei_kojo.sa_haigusha_tokubetsu")
    incomes |= {limit - 1, limit, limit + 1}
    # The taxpayer in each column of the spouse tables, and low enough for 調整控除 to bind.
    taxpayer_incomes = [*sorted(_band_edges(law, "haigusha.taxpayer_column") - {0, 1}), 2_800_000]
    results = compare(
        [
            household(
                fiscal_year=year,
                other_income=x,
                spouse={"age": age, "income": income, "disability": disability},
            )
            for x in taxpayer_incomes
            for age in (elderly - 1, elderly)
            for income in sorted(incomes)
            for disability in (None, "special")
        ]
    )
    # Every amount of both spouse tables, in every column, was reached.
    reached = {
        step(r, step_id)
        for r in results
        for step_id in ("kojo.haigusha", "kojo.haigusha_tokubetsu")
        if has_step(r, step_id)
    }
    table = law.figure("haigusha_kojo").value
    tokubetsu = law.figure("haigusha_tokubetsu_kojo").bands
    assert reached == {
        *(int(v) for kind in table.values() for v in kind),
        *(int(v) for b in tokubetsu for v in b.values["amounts"]),
    }


@pytest.mark.parametrize("year", YEARS)
def test_relatives_at_every_age_and_income_edge(year: int) -> None:
    law = _law(year)
    ages = set(law.figure("fuyo.ages").value.values())
    ages |= set(law.figure("tokutei_shinzoku.ages").value.values())
    ages.add(law.figure("shotoku_chosei.kodomo").value["dependant_age_below"])
    limit = law.figure("fuyo.income_limit").value
    incomes = _band_edges(law, "tokutei_shinzoku_tokubetsu_kojo") | {limit - 1, limit, limit + 1}
    inputs = [
        household(
            fiscal_year=year,
            salary_income=salary,
            dependents=[
                {"age": age, "income": income, "cohabiting_parent": cohabiting},
                {"age": 10, "income": 0},  # a second relative, so rows differ in their slots
            ][: 1 + (income % 2)],
        )
        for salary in (3_000_000, 9_000_000)
        for a in sorted(ages)
        for age in (a - 1, a, a + 1)
        for income in sorted(incomes)
        for cohabiting in (False, True)
    ]
    results = compare(inputs)
    # Every class of 扶養控除 and every row of 特定親族特別控除 was reached.
    fuyo = {
        step(r, "kojo.fuyo.dependents[0]")
        for r in results
        if has_step(r, "kojo.fuyo.dependents[0]")
    }
    assert fuyo == {0, *(int(v) for v in law.figure("fuyo_kojo").value.values())}
    shinzoku_id = "kojo.tokutei_shinzoku.dependents[0]"
    shinzoku = {step(r, shinzoku_id) for r in results if has_step(r, shinzoku_id)}
    bands = law.figure("tokutei_shinzoku_tokubetsu_kojo").bands
    assert shinzoku == {int(b.number("amount")) for b in bands if b.max != limit}


@pytest.mark.parametrize("year", YEARS)
def test_status_deductions_at_their_income_limits(year: int) -> None:
    law = _law(year)
    limits = [
        law.figure("kafu_hitorioya.income_limit").value,
        law.figure("kinro_gakusei.income_limit").value,
    ]
    statuses: list[dict[str, Any]] = [
        {"widow": True},
        {"single_parent": True, "sex": "F"},
        {"single_parent": True, "sex": "M"},
        {"single_parent": True},
        {"working_student": True, "age": 20},
        {"working_student": True, "widow": True, "disability": "general"},
    ]
    results = compare(
        [
            household(fiscal_year=year, other_income=x, **status)
            for status in statuses
            for limit in limits
            for x in (limit - 1, limit, limit + 1)
        ]
    )
    # Each deduction was reached on both sides of its limit.
    for step_id in ("kojo.kafu", "kojo.hitorioya", "kojo.kinro_gakusei"):
        values = {step(r, step_id) > 0 for r in results if has_step(r, step_id)}
        assert values == {True, False}, step_id


def _family(persons: int) -> dict[str, Any]:
    """persons − 1 relatives without income: a spouse, then a child of 5 and one of 17."""
    family: dict[str, Any] = {"spouse": {"age": 40, "income": 0}} if persons > 1 else {}
    family["dependents"] = [{"age": 5 + 12 * (i % 2), "income": 0} for i in range(persons - 2)]
    return family


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("kyuchi", [1, 2, 3])
def test_hikazei_limits_by_kyuchi_and_household_size(year: int, kyuchi: int) -> None:
    municipality = {**ORDINARY_CITY, "kyuchi": kyuchi}
    inputs = []
    for persons in range(1, 6):
        # Read the two limits from the scalar trail of a household far above them.
        probe = calculate(
            household(
                fiscal_year=year,
                municipality=municipality,
                other_income=9_000_000,
                **_family(persons),
            )
        )
        kin, shoto = step(probe, "hikazei.kintouwari"), step(probe, "hikazei.shotokuwari")
        # Just around each limit, and further above 所得割's, where the cap of 附則第3条の3 binds.
        for x in [kin - 1, kin, kin + 1, shoto - 1, shoto, shoto + 1, shoto + 50_000]:
            inputs.append(
                household(
                    fiscal_year=year, municipality=municipality, other_income=x, **_family(persons)
                )
            )
    results = compare(inputs)
    flags = {(r["hikazei"]["kintouwari"], r["hikazei"]["shotokuwari"]) for r in results}
    assert flags == {(True, True), (False, True), (False, False)}
    assert any(any(s["id"] == "city.shotokuwari_cap" for s in r["steps"]) for r in results)


@pytest.mark.parametrize("year", YEARS)
def test_135_man_rule_and_seikatsu_fujo(year: int) -> None:
    limit = _law(year).figure("hikazei.shogaisha_etc_income_limit").value
    statuses: list[dict[str, Any]] = [
        {"disability": "general"},
        {"disability": "special"},
        {"age": 17},
        {"age": 18},
        {"widow": True},
        {"single_parent": True, "sex": "M"},
        {"public_assistance": True},
    ]
    results = compare(
        [
            household(fiscal_year=year, other_income=x, **status)
            for status in statuses
            for x in (limit - 1, limit, limit + 1)
        ]
    )
    assert any(r["total"] == 0 for r in results)
    assert any(r["total"] > 0 for r in results)


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("municipality", [ORDINARY_CITY, DESIGNATED_CITY])
def test_chosei_kojo_around_2_million(year: int, municipality: dict[str, Any]) -> None:
    threshold = _law(year).figure("chosei_kojo.limits").value["threshold"]
    kiso = int(_law(year).figure("kiso_kojo").bands[0].number("amount"))
    # Households whose 人的控除額の差 ranges from the 基礎控除 alone to several dependants.
    families: list[dict[str, Any]] = [
        {},
        {"spouse": {"age": 72, "income": 0}},
        {"single_parent": True, "dependents": [{"age": 20, "income": 0}]},
        {
            "spouse": {"age": 45, "income": 0, "disability": "special_cohabiting"},
            "dependents": [
                {"age": 19, "income": 0},
                {"age": 80, "income": 0, "cohabiting_parent": True},
            ],
        },
    ]
    inputs = [
        household(
            fiscal_year=year,
            municipality=municipality,
            other_income=threshold + kiso + delta,
            **family,
        )
        for family in families
        for delta in range(-3_000, 800_001, 1_000)
        if delta <= 3_000 or delta % 100_000 == 0
    ]
    results = compare(inputs)
    taxable = {step(r, "kazei_shotoku") for r in results}
    assert min(taxable) < threshold < max(taxable)
    assert threshold in taxable


# --- what the vector path refuses, ignores or leaves to the scalar calculator -------------------


def test_the_largest_amounts_the_input_allows_are_exact() -> None:
    top = {"salary_income": MAX_YEN, "pension_income": MAX_YEN, "other_income": MAX_YEN}
    for municipality in (ORDINARY_CITY, DESIGNATED_CITY):
        results = compare(
            [household(municipality=municipality, age=age, **top) for age in (40, 70)]
        )
        assert all(r["total"] > 10**11 for r in results)


def test_rates_with_many_decimals_leave_only_the_largest_incomes_to_the_scalar_path() -> None:
    municipality = {**ORDINARY_CITY, "city_rate": 0.06123456789, "pref_rate": 0.0412345}
    incomes = [1_000_000, 10_000_000, 40_000_000, 60_000_000, 1_000_000_000, MAX_YEN]
    inputs = [household(municipality=municipality, other_income=x) for x in incomes]
    households = [parse(data) for data in inputs]
    vector = calculate_columns(
        Columns.from_households(households), households[0].municipality, 2026
    )
    left = vector.scalar.tolist()
    assert left[0] is False
    assert left[-1] is True
    assert left == sorted(left)  # only the largest incomes, in order
    for i, data in enumerate(inputs):
        if left[i]:
            assert vector.total[i] == 0
        else:
            assert _vector_row(vector, i) == _scalar_row(calculate(data))


def _one(**taxpayer: Any) -> tuple[Columns, Any]:
    hh = parse(household(**taxpayer))
    return Columns.from_households([hh]), hh.municipality


def test_unused_slots_and_the_absent_spouse_are_ignored() -> None:
    columns, municipality = _one(
        other_income=3_000_000, dependents=[{"age": 10, "income": 0}, {"age": 70, "income": 0}]
    )
    expected = calculate_columns(columns, municipality, 2026).total[0]
    # Drop the second relative and fill its slot and the spouse fields with nonsense.
    columns.dependent_present[0, 1] = False
    columns.dependent_income[0, 1] = -5
    columns.spouse_income[0] = -5
    columns.spouse_disability[0] = 9
    without = calculate(household(other_income=3_000_000, dependents=[{"age": 10, "income": 0}]))[
        "total"
    ]
    assert without != expected
    assert calculate_columns(columns, municipality, 2026).total[0] == without


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("salary_income", -1, "salary_income[0]"),
        ("other_income", MAX_YEN + 1, "other_income[0]"),
        ("age", 151, "age[0]"),
        ("disability", 3, "disability[0]"),  # 同居特別障害者 is not for the taxpayer
        ("single_parent", True, "widow[0]"),  # with widow below
    ],
)
def test_values_the_scalar_input_refuses_are_refused(column: str, value: Any, message: str) -> None:
    columns, municipality = _one(widow=True)
    getattr(columns, column)[0] = value
    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        calculate_columns(columns, municipality, 2026)


def test_a_float_rate_is_refused() -> None:
    columns, municipality = _one(other_income=3_000_000)
    floating = dataclasses.replace(municipality, city_rate=0.06)
    with pytest.raises(TypeError, match="Decimal"):
        calculate_columns(columns, floating, 2026)
    assert municipality.city_rate == Decimal("0.06")


# --- every figure comes from the data ----------------------------------------------------------


def _changed_year(root: Path) -> Path:
    """A copy of the 2026 data as 2027 with many figures changed, under ``root``."""
    raw = json.loads((lawdata.DATA_DIR / "juminzei" / "2026.json").read_text(encoding="utf-8"))
    raw["period"]["year"] = 2027
    f = raw["figures"]

    def bands(figure_id: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = f[figure_id]["value"]["bands"]
        return rows

    for row in bands("kiso_kojo"):
        row["amount"] = row["amount"] + 50_000 if row["amount"] else 0
    kyuyo = bands("kyuyo_shotoku")
    kyuyo[0]["max"], kyuyo[1]["min"], kyuyo[1]["add"] = 700_999, 701_000, -700_000
    bands("nenkin.zatsu_shotoku.elderly")[0]["add"] = -1_200_000
    bands("tokutei_shinzoku_tokubetsu_kojo")[1]["amount"] = 400_000
    f["fuyo.income_limit"]["value"] = 620_000
    f["haigusha.income_limit"]["value"] = 600_000
    f["haigusha_kojo"]["value"]["general"] = [340_000, 230_000, 120_000, 0]
    f["fuyo_kojo"]["value"]["ippan"] = 350_000
    f["fuyo.ages"]["value"]["rojin_from"] = 75
    f["nenkin.elderly_age"]["value"] = 66
    f["tokutei_shinzoku.ages"]["value"]["to"] = 23
    f["forest_env_tax"]["value"] = 1_200
    f["rounding.zeigaku"]["value"] = 1_000
    f["seimei_hoken.rounding"]["value"] = "floor"
    f["seimei_hoken.total_cap"]["value"] = 60_000
    f["shotoku_chosei.kodomo"]["value"].update(salary_over=8_000_000, rate=0.15)
    f["shotoku_chosei.kodomo_rounding"]["value"] = "floor"
    f["shotoku_chosei.nenkin"]["value"]["cap_each"] = 120_000
    f["hikazei.kintouwari"]["value"]["1"]["per_person"] = 380_000
    f["hikazei.shotokuwari"]["value"]["dependant_add"] = 300_000
    f["hikazei.shogaisha_etc_income_limit"]["value"] = 1_400_000
    f["hikazei.shotokuwari_cap"]["value"]["city"] = 0.055
    f["chosei_kojo.limits"]["value"].update(threshold=2_400_000, minimum_base=60_000)
    f["chosei_kojo.rates"]["value"].update(city=0.035, pref=0.015)
    f["chosei_kojo.sa"]["value"]["kiso"] = 70_000
    f["chosei_kojo.sa_tokutei_shinzoku"]["value"] = 20_000
    data_dir = root / "kyodo" / "rules" / "data"
    (data_dir / "juminzei").mkdir(parents=True)
    for year in YEARS:
        source = lawdata.DATA_DIR / "juminzei" / f"{year}.json"
        (data_dir / "juminzei" / f"{year}.json").write_bytes(source.read_bytes())
    text = json.dumps(raw, ensure_ascii=False)
    (data_dir / "juminzei" / "2027.json").write_text(text, encoding="utf-8")
    return data_dir


@pytest.fixture(scope="module")
def changed_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _changed_year(tmp_path_factory.mktemp("law"))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_year_with_changed_figures_is_followed_to_the_yen(
    changed_data: Path, data: st.DataObject
) -> None:
    inputs = data.draw(batches(2027))
    with mock.patch.object(lawdata, "DATA_DIR", changed_data):
        compare(inputs)


def test_the_changed_figures_change_the_vector_result(changed_data: Path) -> None:
    # The same households under the 2026 figures and the changed 2027 ones: if the vector path
    # had any of these figures in its code, its 2027 amounts would stay at 2026's.
    people: list[dict[str, Any]] = [
        {"other_income": 1_500_000},
        {"salary_income": 700_000, "other_income": 1_000_000},
        {"salary_income": 9_000_000, "dependents": [{"age": 10, "income": 0}]},
        {"age": 65, "pension_income": 3_000_000},
        {"other_income": 3_000_000, "dependents": [{"age": 72, "income": 0}]},
        {"other_income": 3_000_000, "dependents": [{"age": 23, "income": 700_000}]},
    ]
    totals = {}
    with mock.patch.object(lawdata, "DATA_DIR", changed_data):
        for year in (2026, 2027):
            results = compare([household(fiscal_year=year, **p) for p in people])
            totals[year] = [r["total"] for r in results]
    assert all(a != b for a, b in zip(totals[2026], totals[2027], strict=True)), totals
