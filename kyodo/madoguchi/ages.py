"""Legal age arithmetic: when a person "reaches" an age, and the 年度-end limits built on it.

Pure Python, no Django. The rules:

* 年齢計算ニ関スル法律 (明治35年法律第50号) 第1項: age is counted from the day of birth;
  第2項: 民法 第143条 applies to the computation. 民法 第140条 ただし書 / 第143条: with the birth
  day counted as the first day, a period of N years ends on the day **before** the day in the last
  year that corresponds to the starting day (応当日); when that month has no such day, the period
  ends on the last day of the month. So a person **reaches age N (N歳に達する) on the day before
  the Nth birthday** (at 24:00 of that day, in the long-standing administrative reading); a
  statute saying "N歳に達した日" means that day.
  A person born on 29 February reaches every age on 28 February: the 応当日 does not exist in a
  common year, so the period ends on the month's last day, 28 February; in a leap year the
  応当日 is 29 February and the day before it is again 28 February.
* Statutes that use "N歳に達した日" / "N歳に達したとき" therefore start on the day before the
  birthday: 介護保険法 第10条 (65), 国民年金法 第8条・第9条 (20, 60), 学校教育法 第17条 (6, 12, 15),
  児童手当法 第3条 (18歳に達する日以後の最初の3月31日).
* 後期高齢者医療 starts on the **75th birthday itself** (rules.md §7, the 広域連合 practice), so it
  needs :func:`birthday`, not :func:`reaches_age_on`. For a 29 February birth the birthday in a
  common year is taken as 1 March — the day after 28 February, consistent with the rule above
  (this is the common municipal practice; it is not written in the statute: see the report).

rules.md has no section of its own on 年齢計算; §9 (選挙人名簿, 就学) states the day-before rule.
"""

from __future__ import annotations

import datetime as dt

__all__ = ["age_on", "birthday", "first_april_1_after", "first_march_31_after", "reaches_age_on"]

_ONE_DAY = dt.timedelta(days=1)


def _anniversary(birth: dt.date, years: int) -> dt.date | None:
    """The 応当日 of ``birth`` ``years`` later, or None when it does not exist (29 Feb)."""
    try:
        return birth.replace(year=birth.year + years)
    except ValueError:
        return None


def reaches_age_on(birth: dt.date, years: int) -> dt.date:
    """The day the person reaches ``years`` (満N歳に達する日): the day before the Nth birthday.

    年齢計算ニ関スル法律 第1項・第2項 + 民法 第143条第2項. 29 February births: 28 February in every
    year (the 応当日 is missing in common years, so the period ends on the last day of February).
    """
    anniversary = _anniversary(birth, years)
    if anniversary is None:  # 29 Feb birth, common year: 民法143条2項ただし書 → end of the month
        return dt.date(birth.year + years, 2, 28)
    return anniversary - _ONE_DAY


def birthday(birth: dt.date, years: int) -> dt.date:
    """The Nth birthday (誕生日) itself; 1 March for a 29 February birth in a common year."""
    anniversary = _anniversary(birth, years)
    if anniversary is None:
        return dt.date(birth.year + years, 3, 1)
    return anniversary


def first_march_31_after(day: dt.date) -> dt.date:
    """The first 31 March **on or after** ``day`` (the end of the 年度 that contains ``day``).

    "18歳に達する日以後の最初の3月31日" (児童手当法 第3条第1項) counts the day itself: a child
    born on 1 April reaches 18 on 31 March, and that same day ends their 高校生年代 (they leave
    high school with the cohort born 2 April of the year before to 1 April).
    """
    end = dt.date(day.year, 3, 31)
    return end if day <= end else dt.date(day.year + 1, 3, 31)


def first_april_1_after(day: dt.date) -> dt.date:
    """The first 1 April **on or after** ``day``: a 学年の初め (学校教育法施行規則 第59条)."""
    start = dt.date(day.year, 4, 1)
    return start if day <= start else dt.date(day.year + 1, 4, 1)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years on ``day`` in the legal sense: the age increases on :func:`reaches_age_on`.

    So on the day before the 65th birthday the person is already 65 (満65歳). Before birth the
    result is negative; callers validate that a member is born by the event date.
    """
    years = day.year - birth.year + 1  # at most this; 1 Jan births reach an age on 31 Dec
    while reaches_age_on(birth, years) > day:
        years -= 1
    return years
