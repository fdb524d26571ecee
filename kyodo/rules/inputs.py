"""Checking a calculator's JSON input: every problem with its JSON path and reason, in Japanese.

A :class:`Checker` walks the input and collects *all* problems instead of stopping at the first,
so one run tells the clerk everything that is wrong. Each getter returns a harmless placeholder
after recording a problem; :meth:`Checker.raise_if_any` then refuses the input before any of
those placeholders can reach a calculation.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

__all__ = ["Checker", "InputError", "Problem", "join"]


@dataclass(frozen=True)
class Problem:
    path: str  # JSON path, e.g. "taxpayer.salary_income" or "dependents[0].age"
    reason: str

    def __str__(self) -> str:
        return f"{self.path or '(全体)'}: {self.reason}"


class InputError(Exception):
    """The input was refused; ``problems`` lists each field and why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _show(value: object) -> str:
    """A value as it is written in JSON, shortened."""
    if isinstance(value, Decimal):
        text = str(value)
    else:
        try:
            text = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# JSON kinds in the order to test them (bool before numbers: True is an int in Python).
_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (type(None), "null"),
    (bool, "真偽値"),
    ((int, float, Decimal), "数値"),
    (str, "文字列"),
    (list, "配列"),
    (dict, "オブジェクト"),
)


def _kind(value: object) -> str:
    return next((name for kind, name in _KINDS if isinstance(value, kind)), type(value).__name__)


def _given(value: object) -> str:
    """ "文字列 "x" が指定されています" for the reasons."""
    return f"{_kind(value)} {_show(value)} が指定されています"


class Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, reason: str) -> None:
        self.problems.append(Problem(path, reason))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)

    # --- structure ------------------------------------------------------------------------

    def obj(
        self,
        value: object,
        path: str,
        *,
        required: Iterable[str],
        optional: Iterable[str] = (),
    ) -> Mapping[str, Any]:
        """An object with these keys. Unknown keys are refused: a misspelt optional field would
        otherwise be dropped without a word and change the amount. Keys starting with ``_`` are
        free for comments."""
        if not isinstance(value, dict):
            self.fail(path, f"オブジェクトが必要です（{_kind(value)} が指定されています）")
            return {}
        required = list(required)
        allowed = set(required) | set(optional)
        for key in required:
            if key not in value:
                self.fail(join(path, key), "必須の項目がありません")
        for key in value:
            if key not in allowed and not str(key).startswith("_"):
                self.fail(
                    join(path, key),
                    f"未知の項目です（使える項目: {', '.join(sorted(allowed))}）",
                )
        return value

    def array(self, value: object, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, f"配列が必要です（{_kind(value)} が指定されています）")
            return []
        return value

    # --- scalars --------------------------------------------------------------------------

    def integer(
        self,
        value: object,
        path: str,
        *,
        minimum: int | None = 0,
        maximum: int | None = None,
        what: str = "整数",
    ) -> int:
        number: int | None = None
        if type(value) is int:
            number = value
        elif isinstance(value, Decimal | float) and value == int(value):
            number = int(value)  # 5000000.0 means 5000000
        if number is None:
            if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                self.fail(path, f"{what}で指定してください（小数は不可: {_show(value)}）")
            else:
                self.fail(
                    path,
                    f"{what}で指定してください（{_given(value)}）",
                )
            return 0
        if minimum is not None and number < minimum:
            self.fail(path, f"{minimum}以上の{what}で指定してください（値: {number}）")
            return 0
        if maximum is not None and number > maximum:
            self.fail(path, f"{maximum}以下の{what}で指定してください（値: {number}）")
            return 0
        return number

    def yen(self, value: object, path: str) -> int:
        # 1兆円 is far above any household's income: a bigger value is a typing mistake.
        return self.integer(value, path, minimum=0, maximum=10**12, what="整数（円）")

    def boolean(self, value: object, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail(
                path,
                f"true か false で指定してください（{_given(value)}）",
            )
            return False
        return value

    def rate(self, value: object, path: str) -> Decimal:
        """A rate as a fraction (0.06 for 6%)."""
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.fail(
                path,
                f"率を数値で指定してください（例: 0.06）（{_given(value)}）",
            )
            return Decimal(0)
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite() or not 0 <= number < 1:
            self.fail(
                path, f"率は0以上1未満の小数で指定してください（6%なら 0.06。値: {_show(value)}）"
            )
            return Decimal(0)
        return number

    def choice(self, value: object, path: str, choices: Sequence[object]) -> Any:
        # Compare types too: JSON true must not pass as the choice 1.
        if not any(type(c) is type(value) and c == value for c in choices):
            shown = " / ".join(_show(c) for c in choices)
            self.fail(path, f"{shown} のいずれかで指定してください（値: {_show(value)}）")
            return choices[0]
        return value
