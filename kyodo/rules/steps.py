"""The trail of a calculation: every intermediate amount with what it rests on.

Each step is ``{"item": 日本語の名称, "id": romaji id, "value": yen, "basis": figure ids and the
rule}``. A step that rests on an unconfirmed figure says so in its basis, so a reader of the
trail sees the doubt where it enters, not only in the result's ``unconfirmed`` list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from kyodo.rules.lawdata import Band, Reader

__all__ = ["Step", "Trail", "percent", "yen"]


def yen(amount: int) -> str:
    """1234567 → "1,234,567" for the basis texts."""
    return f"{amount:,}"


def percent(rate: Decimal | int) -> str:
    """Decimal("0.025") → "2.5%" for the basis texts."""
    return f"{(Decimal(rate) * 100).normalize():f}%"


@dataclass(frozen=True)
class Step:
    item: str
    id: str
    value: int
    basis: str

    def as_json(self) -> dict[str, object]:
        return {"item": self.item, "id": self.id, "value": self.value, "basis": self.basis}


@dataclass
class Trail:
    reader: Reader
    steps: list[Step] = field(default_factory=list)

    def add(
        self,
        item: str,
        step_id: str,
        value: int,
        basis: str,
        figures: Iterable[str | Band] = (),
    ) -> int:
        """Record a step and return its value, so the calculation reads as a list of steps."""
        if type(value) is not int:
            raise TypeError(f"step {step_id} must be a whole number of yen, not {value!r}")
        doubtful = []
        for figure in figures:
            if isinstance(figure, Band):
                if figure.status == "unconfirmed" or self.reader.is_unconfirmed(figure.figure_id):
                    doubtful.append(figure.key)
            elif self.reader.is_unconfirmed(figure):
                doubtful.append(figure)
        if doubtful:
            basis = f"{basis}（未確認の数値: {', '.join(doubtful)}）"
        self.steps.append(Step(item, step_id, value, basis))
        return value

    def as_json(self) -> list[dict[str, object]]:
        return [step.as_json() for step in self.steps]
