"""Ages in law: 年齢計算ニ関スル法律 (明治35年法律第50号) and 民法 第143条.

A person's age increases at the end of the day before their birthday, so "the age on day D" is
the number of birthdays reached by the end of D, counting a birthday as reached on its eve.
Tax law asks for the age on 31 December of the income year (地方税法 第314条の2第1項 etc.): a
person born on 1 January reaches their new age on that 31 December.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

__all__ = ["age_on"]


@lru_cache(maxsize=1 << 16)  # batches ask for the same few dates about millions of people
def age_on(birth: dt.date, day: dt.date) -> int:
    """The age in law at the end of ``day``."""
    if day < birth - dt.timedelta(days=1):
        raise ValueError(f"{day} is before the birth date {birth}")
    following = day + dt.timedelta(days=1)
    years = following.year - birth.year
    if (following.month, following.day) < (birth.month, birth.day):
        years -= 1
    # 29 February: in a common year the age is reached at the end of 28 February (the day
    # before 1 March), which the comparison above already gives.
    return max(years, 0)
