"""The one CSV dialect of the layout files: PostgreSQL's ``COPY … (FORMAT csv)``.

Fields are separated by commas and lines end with LF; a field is quoted (quotes doubled) when
it holds a comma, a quote, CR or LF — and an empty *text* is written ``""`` while an empty
unquoted field is NULL (no value), which only non-text items may be: our tables have no
nullable text column, so the item's type decides and nothing is lost.
"""

from __future__ import annotations

NULL_KINDS = frozenset({"int", "decimal", "date", "datetime", "bool", "json"})
_SPECIAL = (",", '"', "\n", "\r")


def format_field(value: str, kind: str) -> str:
    if value == "":
        return "" if kind in NULL_KINDS else '""'
    if any(c in value for c in _SPECIAL) or value == "\\.":
        return '"' + value.replace('"', '""') + '"'
    return value


def format_row(values: list[str], kinds: list[str]) -> str:
    return ",".join(format_field(v, k) for v, k in zip(values, kinds, strict=True)) + "\n"
