"""Building 国民健康保険税 inputs for tests: a municipality's rates and a household, then only
what the test is about."""

from __future__ import annotations

import copy
from typing import Any

from kyodo.rules.kokuho import calculate

# 名取市 (rules.md §2.4; 3方式). The R8 介護分 rate is 2.65%.
NATORI = {
    2025: {
        "medical": {"income_rate": 0.075, "per_capita": 26600, "per_household": 23000},
        "support": {"income_rate": 0.03, "per_capita": 10500, "per_household": 8000},
        "care": {"income_rate": 0.025, "per_capita": 10500, "per_household": 7000},
    },
    2026: {
        "medical": {"income_rate": 0.075, "per_capita": 27100, "per_household": 24100},
        "support": {"income_rate": 0.03, "per_capita": 11000, "per_household": 9000},
        "care": {"income_rate": 0.0265, "per_capita": 11500, "per_household": 10000},
    },
}

# 朝霞市 令和8年度 子ども分 (rules.md §2.4, 2方式): 所得割 0.3%, 均等割 1,800,
# 18歳以上 +100, 限度 3万.
ASAKA_CHILD = {"income_rate": 0.003, "per_capita": 1800, "adult_per_capita": 100, "cap": 30000}


def member(age: int = 45, income: int = 0, **fields: Any) -> dict[str, Any]:
    return {"age": age, "income": income, **fields}


def household(
    *members: dict[str, Any],
    fiscal_year: int = 2026,
    rates: dict[str, Any] | None = None,
    head: dict[str, Any] | None = None,
    former_members: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One member of 45 without income unless ``members`` are given; 名取市's rates of the year
    unless ``rates`` are given. ``head``: a 擬制世帯主 (then ``head_is_member`` is false)."""
    data: dict[str, Any] = {
        "fiscal_year": fiscal_year,
        "rates": copy.deepcopy(rates if rates is not None else NATORI[fiscal_year]),
        "household": {
            "head_is_member": head is None,
            "members": [copy.deepcopy(m) for m in members] or [member()],
        },
    }
    if head is not None:
        data["household"]["head"] = head
    if former_members is not None:
        data["household"]["former_members"] = former_members
    data.update(extra)
    return data


def compute(*members: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    return calculate(household(*members, **kwargs))


def step(result: dict[str, Any], step_id: str) -> int:
    """The value of the step with this id (exactly one must exist)."""
    found = [s["value"] for s in result["steps"] if s["id"] == step_id]
    assert len(found) == 1, f"step {step_id!r} appears {len(found)} times"
    return int(found[0])


def basis(result: dict[str, Any], step_id: str) -> str:
    return str(next(s["basis"] for s in result["steps"] if s["id"] == step_id))


def has_step(result: dict[str, Any], step_id: str) -> bool:
    return any(s["id"] == step_id for s in result["steps"])
