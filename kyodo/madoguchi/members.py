"""世帯員: one member of the household as the PUSH rules see them.

Its own module because the request parser builds members, the conditions read them and
:mod:`kyodo.madoguchi.push` takes them, and none of those should import another for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Member"]


@dataclass(frozen=True)
class Member:
    """One 世帯員 as the PUSH rules see them."""

    birth_date: dt.date
    nationality: str = "JP"
    relationship: str = ""
    flags: Mapping[str, bool] = field(default_factory=dict)  # employee_insurance, …
    subject: bool | None = None  # is this member the one the event is about? None: default
