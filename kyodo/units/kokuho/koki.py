"""The 75th birthday: where 国保 ends and 後期高齢者医療 begins (高齢者の医療の確保に関する法律
第50条・第52条; 国民健康保険法 第6条第8号). Shared by the 資格 services and the 賦課."""

from __future__ import annotations

import datetime as dt

KOKI_AGE = 75


def seventy_fifth_birthday(birth: dt.date) -> dt.date:
    """The day the 後期高齢者医療 資格 starts (and the 国保 資格 is lost): the 75th birthday."""
    try:
        return birth.replace(year=birth.year + KOKI_AGE)
    except ValueError:  # 29 February in a common year
        return dt.date(birth.year + KOKI_AGE, 3, 1)


def is_koki(birth: dt.date, on: dt.date) -> bool:
    """75 or older on ``on`` (so under 後期高齢者医療, not 国保)."""
    return seventy_fifth_birthday(birth) <= on
