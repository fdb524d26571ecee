"""A refusal with every problem of the input listed, not only the first.

An import (a JSON list of 調定, a payment file) is checked completely before anything is
written, and the clerk gets every bad item at once: each problem is a ``ValidationFailed``
naming its file, line (or JSON path as the field) and reason; :class:`Rejected` carries them
all, and its message lists them one per line.
"""

from __future__ import annotations

from kyodo.platform.errors import ValidationFailed


class Rejected(ValidationFailed):
    """The input had problems; nothing was written."""

    def __init__(self, problems: list[ValidationFailed], *, source: str) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)}件の誤りがあるため、何も登録していません", source=source)

    @property
    def message(self) -> str:
        head = super().message
        return "\n".join([head, *(f"  {p.message}" for p in self.problems)])
