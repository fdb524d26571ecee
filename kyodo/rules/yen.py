"""端数処理 (rounding of yen amounts), exactly, on :class:`~decimal.Decimal`.

Which rule applies where is law (地方税法 第20条の4の2: 課税標準 below 1,000 yen and 確定税額
below 100 yen are dropped); the units themselves are law figures in the data files, so this
module only knows how to truncate, never by how much.
"""

from __future__ import annotations

import math
from decimal import Decimal

__all__ = ["ceil_yen", "floor_to", "floor_yen", "has_fraction"]


def floor_to(amount: Decimal | int, unit: int) -> int:
    """``amount`` truncated to a multiple of ``unit`` (切捨て); amounts below 0 become 0."""
    if unit < 1:
        raise ValueError("unit must be a positive number of yen")
    if amount <= 0:
        return 0
    return math.floor(Decimal(amount) / unit) * unit


def floor_yen(amount: Decimal | int) -> int:
    """1円未満切捨て."""
    return math.floor(Decimal(amount))


def ceil_yen(amount: Decimal | int) -> int:
    """1円未満切上げ."""
    return math.ceil(Decimal(amount))


def has_fraction(amount: Decimal | int) -> bool:
    return Decimal(amount) != Decimal(amount).to_integral_value()
