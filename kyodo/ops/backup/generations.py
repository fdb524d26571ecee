"""Which backups to keep: the newest of each of the last ``daily`` days that have one, and the
newest of each of the ``weekly`` ISO weeks before those (default 7 and 4)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

DAILY = 7
WEEKLY = 4


def to_keep(
    taken: Iterable[dt.datetime], *, daily: int = DAILY, weekly: int = WEEKLY
) -> set[dt.datetime]:
    """The times (of ``taken``) whose backups stay; the rest may be deleted. Pure: the
    caller lists the backups and deletes the others."""
    newest_first = sorted(set(taken), reverse=True)
    keep: set[dt.datetime] = set()
    days: list[dt.date] = []
    for when in newest_first:
        day = when.date()
        if day not in days and len(days) < daily:
            days.append(day)
            keep.add(when)
    weeks: list[tuple[int, int]] = []
    oldest_daily = min(days) if days else None
    for when in newest_first:
        if oldest_daily is not None and when.date() >= oldest_daily:
            continue  # within the daily span: kept (or not) as a daily
        week = tuple(when.isocalendar())[:2]
        if week not in weeks and len(weeks) < weekly:
            weeks.append(week)  # type: ignore[arg-type]
            keep.add(when)
    return keep
