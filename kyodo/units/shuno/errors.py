"""The one error the pure shuno modules raise, and the two checks most fields need.

:class:`InvalidInput` says which field is wrong and why (in Japanese). It is a ValueError,
not a ``kyodo.platform`` error, so the barcode and the slip stay free of Django and of the
platform (import contract ``shuno-slip-is-pure``); the command turns it into
``ValidationFailed`` and adds the file the input came from.
"""

from __future__ import annotations


class InvalidInput(ValueError):
    """A value the barcode or the slip cannot use; nothing was produced."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"field '{field}': {reason}")


def require_digits(
    value: object, field: str, *, exact: int | None = None, most: int | None = None
) -> str:
    """``value`` as a string of ASCII digits of the given length."""
    if not isinstance(value, str):
        # A number would lose its leading zeros.
        raise InvalidInput(field, f"数字の文字列で指定してください (got {type(value).__name__})")
    # str.isdigit alone also accepts full-width and superscript digits.
    if value and not (value.isascii() and value.isdigit()):
        raise InvalidInput(field, f"半角数字だけで指定してください (got {value!r})")
    if exact is not None and len(value) != exact:
        raise InvalidInput(field, f"{exact}桁です (got {len(value)}桁)")
    if most is not None and len(value) > most:
        raise InvalidInput(field, f"{most}桁までです (got {len(value)}桁)")
    return value


def require_int(value: object, field: str) -> int:
    """``value`` as an int; a bool is refused (true/false in a file is a mistake, not 1/0)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, f"整数で指定してください (got {value!r})")
    return value
