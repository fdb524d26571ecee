"""Putting an amount of money on installments in order: the arithmetic of 消込 and 充当.

Pure: no Django. The callers decide the order (the rule is theirs, see ``services.keshikomi``
and ``services.kanpu``); this only fills each installment up to what it still owes and says
what is left over.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Open", "allocate"]


@dataclass
class Open:
    """An installment with what it still owes (``remaining`` goes down as money is put on)."""

    chotei_id: int
    remaining: int


def allocate(amount: int, targets: Iterable[Open]) -> tuple[list[tuple[int, int]], int]:
    """Put ``amount`` on ``targets`` in their order: the (chotei_id, yen) parts and the rest.

    Each target's ``remaining`` is reduced by what it received, so the same ``Open`` objects
    can be carried from one payment to the next (a file of many payments).
    """
    if amount < 0:
        raise ValueError(f"amount must not be negative (got {amount})")
    parts: list[tuple[int, int]] = []
    left = amount
    for target in targets:
        if left == 0:
            break
        take = min(left, target.remaining)
        if take > 0:
            parts.append((target.chotei_id, take))
            target.remaining -= take
            left -= take
    return parts, left
