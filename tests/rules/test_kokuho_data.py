"""The 国民健康保険税 data files: each year holds exactly the figures the calculator reads, and
the components a year has come from its file, not from the calculator."""

from __future__ import annotations

import pytest

from kyodo.rules import lawdata
from kyodo.rules.kokuho import COMPONENT_FIGURES, REQUIRED_FIGURES, TOPIC, figures_of
from kyodo.rules.kokuho.figures import components_of
from kyodo.rules.kokuho.nenkin import JUMINZEI

YEARS = lawdata.available_years(TOPIC)


def test_the_years_of_rules_md_are_shipped() -> None:
    assert YEARS == [2025, 2026]


@pytest.mark.parametrize("year", YEARS)
def test_each_year_has_exactly_the_figures_the_calculator_reads(year: int) -> None:
    law = lawdata.load(TOPIC, year)
    law.require(figures_of(law))  # raises on a missing one
    assert set(law.figures) == set(figures_of(law)), "unused figures are dead data"


@pytest.mark.parametrize("year", YEARS)
def test_each_year_has_the_income_tables_of_the_same_year(year: int) -> None:
    """The 15万円 pension deduction computes 公的年金等に係る雑所得 with the 住民税 data of the
    same fiscal year (both look at the previous year's income)."""
    assert year in lawdata.available_years(JUMINZEI)


def test_the_child_component_starts_in_2026() -> None:
    """rules.md §2.1: 子ども・子育て支援納付金分 is new from 令和8年度."""
    assert components_of(lawdata.load(TOPIC, 2025)) == ("medical", "support", "care")
    assert components_of(lawdata.load(TOPIC, 2026)) == ("medical", "support", "care", "child")


def test_component_figures_do_not_overlap_the_common_ones() -> None:
    extra = [f for figures in COMPONENT_FIGURES.values() for f in figures]
    assert len(extra) == len(set(extra))
    assert not set(extra) & set(REQUIRED_FIGURES)


def test_the_2026_doubts_of_rules_md_are_marked_unconfirmed() -> None:
    """rules.md §2.3 and §12.1: the 令和8年度 per-member amounts and the salary test."""
    law = lawdata.load(TOPIC, 2026)
    doubtful = {f.id for f in law.figures.values() if not f.confirmed}
    assert doubtful == {"keigen.kasan_per_member", "kyuyo_shotokusha.salary_over"}
