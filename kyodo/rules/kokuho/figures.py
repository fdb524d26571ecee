"""Which law figures the 国民健康保険税 calculation reads, and the year's data file.

The components a fiscal year has are read from its data file, never from the year: a component
exists when its 課税限度額 (``gendogaku.<component>``) does. 子ども・子育て支援納付金分 starts in
令和8年度 simply because ``2026.json`` is the first file with ``gendogaku.child``.
"""

from __future__ import annotations

from kyodo.rules import lawdata

__all__ = [
    "COMPONENTS",
    "COMPONENT_FIGURES",
    "COMPONENT_NAMES",
    "REQUIRED_FIGURES",
    "TOPIC",
    "components_of",
    "figures_of",
    "load",
]

TOPIC = "kokuho"

# In the order of the 課税額 in 地方税法 第703条の4 and of a 納税通知書.
COMPONENTS = ("medical", "support", "care", "child")
COMPONENT_NAMES = {
    "medical": "医療分（基礎課税額）",
    "support": "後期高齢者支援金等分",
    "care": "介護納付金分",
    "child": "子ども・子育て支援納付金分",
}

# Read for every household in every year.
REQUIRED_FIGURES = (
    "rounding.zeigaku",
    "kiso_kojo",
    "keigen.kijun",
    "keigen.kyuyo_shotokusha_kasan",
    "keigen.kasan_per_member",
    "keigen.wariai",
    "kyuyo_shotokusha.salary_over",
    "kyuyo_shotokusha.pension_over",
    "nenkin.elderly_age",
    "keigen.nenkin_tokubetsu_kojo",
    "mishugakuji.age_below",
    "mishugakuji.wariai",
)

# Read only when the year has the component.
COMPONENT_FIGURES: dict[str, tuple[str, ...]] = {
    "medical": ("gendogaku.medical",),
    "support": ("gendogaku.support",),
    "care": ("gendogaku.care", "kaigo.age_from", "kaigo.age_below"),
    "child": ("gendogaku.child", "kodomo.age_below", "kodomo.wariai"),
}


def components_of(law: lawdata.LawData) -> tuple[str, ...]:
    """The components levied in the law's year, in order."""
    return tuple(c for c in COMPONENTS if f"gendogaku.{c}" in law.figures)


def figures_of(law: lawdata.LawData) -> tuple[str, ...]:
    """Every figure the calculation may read in the law's year."""
    extra = [f for c in components_of(law) for f in COMPONENT_FIGURES[c]]
    return (*REQUIRED_FIGURES, *extra)


def load(fiscal_year: int) -> lawdata.LawData:
    """The year's data, refused up front if it lacks a figure the calculation may read (so a
    new year's file cannot fail half-way through a household)."""
    law = lawdata.load(TOPIC, fiscal_year)
    law.require(figures_of(law))
    return law
