"""Which generations a prune keeps: 7 daily and 4 weekly by default (issue 7)."""

from __future__ import annotations

import datetime as dt

from kyodo.ops.backup.generations import to_keep


def test_seven_dailies_then_four_weeklies_each_the_newest_of_its_day_or_week() -> None:
    taken = [
        dt.datetime(2026, 10, 1, 2, tzinfo=dt.UTC) + dt.timedelta(hours=12 * i) for i in range(120)
    ]
    kept = sorted(to_keep(taken))
    # Daily: the newest of each of the 7 newest days (12:00 of 11-23 … 11-29).
    assert kept[-7:] == [dt.datetime(2026, 11, d, 14, tzinfo=dt.UTC) for d in range(23, 30)]
    # Weekly: the newest of each ISO week before those (weeks end on Sunday: 11-22 …).
    assert kept[:4] == [dt.datetime(2026, 11, d, 14, tzinfo=dt.UTC) for d in (1, 8, 15, 22)]
    assert len(kept) == 11


def test_a_gap_in_the_schedule_keeps_older_days_and_nothing_is_kept_twice() -> None:
    days = [1, 2, 3, 10, 11, 20]  # the schedule stopped twice
    taken = [dt.datetime(2026, 11, d, 3, tzinfo=dt.UTC) for d in days]
    assert to_keep(taken, daily=3, weekly=2) == {
        dt.datetime(2026, 11, d, 3, tzinfo=dt.UTC)
        for d in (20, 11, 10, 3, 1)  # 11-01 is a Sunday
    }
    assert to_keep([], daily=7, weekly=4) == set()
    assert to_keep(taken, daily=0, weekly=0) == set()
