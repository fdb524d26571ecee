"""Periods of 延滞金: the day on which "N months from the day after the 納期限" ends.

The lower rate applies "納期限の翌日から1月を経過する日まで". Periods of months follow the
calendar as 民法 第143条 says (地方税法 第20条の5第1項 applies the 民法 to periods):
counting from the day after the 納期限 (初日不算入), the period ends on the day before the day of
the last month that corresponds to the starting day, or, when that month has no such day, on its
last day. So a 納期限 of 2 February ends the month on 2 March, one of 31 May on 30 June (the start,
1 June, corresponds to 1 July), and one of 30 January on the last day of February.
"""

from __future__ import annotations

import calendar
import datetime

__all__ = ["first_period_end"]

ONE_DAY = datetime.timedelta(days=1)


def first_period_end(due_date: datetime.date, months: int) -> datetime.date:
    """The last day of the period of ``months`` months counted from the day after ``due_date``."""
    start = due_date + ONE_DAY
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    if start.day > last_day:
        # 民法 第143条第2項 ただし書: no corresponding day in the last month.
        return datetime.date(year, month, last_day)
    return datetime.date(year, month, start.day) - ONE_DAY
