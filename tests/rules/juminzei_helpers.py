"""Building 個人住民税 inputs for tests: a standard household, then only what the test is about."""

from __future__ import annotations

import copy
from typing import Any

from kyodo.rules.juminzei import calculate

ORDINARY_CITY = {
    "designated_city": False,
    "kyuchi": 1,
    "city_rate": 0.06,
    "pref_rate": 0.04,
    "city_kintouwari": 3000,
    "pref_kintouwari": 1000,
}
DESIGNATED_CITY = {**ORDINARY_CITY, "designated_city": True, "city_rate": 0.08, "pref_rate": 0.02}


def household(
    *,
    fiscal_year: int = 2026,
    municipality: dict[str, Any] | None = None,
    spouse: dict[str, Any] | None = None,
    dependents: list[dict[str, Any]] | None = None,
    **taxpayer: Any,
) -> dict[str, Any]:
    """A single 45-year-old with no income; keyword arguments set taxpayer fields."""
    person = {
        "age": 45,
        "salary_income": 0,
        "pension_income": 0,
        "other_income": 0,
        "social_insurance": 0,
        "life_insurance": {
            "old_general": 0,
            "old_pension": 0,
            "new_general": 0,
            "new_pension": 0,
            "care_medical": 0,
        },
        "widow": False,
        "single_parent": False,
        "disability": None,
        "working_student": False,
    }
    person.update(taxpayer)
    return {
        "fiscal_year": fiscal_year,
        "municipality": copy.deepcopy(municipality or ORDINARY_CITY),
        "taxpayer": person,
        "spouse": spouse,
        "dependents": dependents or [],
    }


def compute(**kwargs: Any) -> dict[str, Any]:
    return calculate(household(**kwargs))


def step(result: dict[str, Any], step_id: str) -> int:
    """The value of the step with this id (exactly one must exist)."""
    found = [s["value"] for s in result["steps"] if s["id"] == step_id]
    assert len(found) == 1, f"step {step_id!r} appears {len(found)} times"
    return int(found[0])


def basis(result: dict[str, Any], step_id: str) -> str:
    return str(next(s["basis"] for s in result["steps"] if s["id"] == step_id))


def has_step(result: dict[str, Any], step_id: str) -> bool:
    return any(s["id"] == step_id for s in result["steps"])


def shotokuwari(result: dict[str, Any]) -> tuple[int, int]:
    return result["city"]["shotokuwari"], result["pref"]["shotokuwari"]
