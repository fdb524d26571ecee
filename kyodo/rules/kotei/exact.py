"""Exact arithmetic for the statute's fractions (1/6, 1/3, 120/130 …).

The 住宅用地 rates and the share of a floor area are thirds and sixths, which no decimal writes
exactly; they are computed as :class:`~fractions.Fraction` and truncated to the yen only where an
amount is set, so a result never depends on how many digits were kept on the way.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from kyodo.rules.lawdata import LawData, LawDataError

__all__ = ["as_fraction", "floor", "ratio", "show"]


def as_fraction(value: Decimal | int | Fraction) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def ratio(law: LawData, figure_id: str, value: Any, where: str) -> Fraction:
    """A fraction written ``{"numerator": 1, "denominator": 6}`` in a ``table`` figure."""
    if (
        not isinstance(value, Mapping)
        or set(value) != {"numerator", "denominator"}
        or not all(type(value[k]) is int for k in value)
        or value["denominator"] <= 0
    ):
        raise LawDataError(
            law.path,
            f"figures.{figure_id}.value.{where}",
            '{"numerator": 整数, "denominator": 正の整数} が必要です',
        )
    return Fraction(value["numerator"], value["denominator"])


def floor(amount: Fraction | Decimal | int) -> int:
    """1円未満切捨て (amounts below 0 become 0)."""
    return max(0, math.floor(as_fraction(amount)))


def show(value: Fraction) -> str:
    """1/6 → "1/6", 2 → "2", for the basis texts."""
    return (
        str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    )
