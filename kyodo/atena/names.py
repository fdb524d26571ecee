"""How a name is written out: 氏 and 名 joined by an ideographic space (全角スペース), as on
the 住民票; a person with no 名 (some foreign residents) gets no trailing space."""

from __future__ import annotations

SEPARATOR = "\u3000"


def full_name(family: str, given: str) -> str:
    return f"{family}{SEPARATOR}{given}" if given else family
