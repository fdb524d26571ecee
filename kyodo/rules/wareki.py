"""和暦 (Japanese era calendar): conversion and parsing of dates.

Pure Python (an import contract forbids Django in ``kyodo.rules``). 住民記録システム標準仕様書
§1.1.9 requires dates on certificates and screens in 和暦, and §2.1.3 requires search by
生年月日 in 西暦 or 和暦 (standards.md §1.13).

Era start dates and their legal basis:

* 元号 in general: 元号法 (昭和54年法律第43号) — 元号は政令で定め、皇位の継承があった場合に
  限り改める; 附則 2 deems 昭和 to have been so defined.
* 明治: 改元の詔 of 慶応4年9月8日 (1868-10-23), which made the whole year 明治元年 from
  慶応4年1月1日. The 明治元年 arithmetic (西暦 = 1867 + 年) is therefore right, but the day and
  month of any date before 明治6年1月1日 (1873-01-01) are in the old 太陰太陽暦: the solar
  calendar started then, 明治5年12月3日 becoming 明治6年1月1日 (改暦ノ布告, 明治5年太政官布告
  第337号). This module refuses to convert such dates rather than silently mis-convert them.
* 大正: 改元の詔書 of 明治45年7月30日, 即日 (1912-07-30).
* 昭和: 改元の詔書 of 大正15年12月25日, 即日 (1926-12-25).
* 平成: 元号を改める政令 (昭和64年政令第1号), promulgated 1989-01-07, in force from the next
  day, 1989-01-08.
* 令和: 元号を改める政令 (平成31年政令第143号), promulgated 2019-04-01, in force from
  2019-05-01 (the day after 天皇の退位等に関する皇室典範特例法 took effect, 平成31年4月30日).

The 大正 and 昭和 改元 took effect on the day the emperor died, so that day belongs to both
eras in 戸籍 practice; 住民記録システム標準仕様書 §1.1.8 explicitly accepts 明治45年7月30日 and
大正15年12月25日. :func:`parse_date` accepts them; :func:`to_wareki` always writes the new era
(大正元年7月30日, 昭和元年12月25日). There is no such overlap for 平成 or 令和: 昭和64年1月8日
and 平成31年5月1日 do not exist and are rejected.

Numeric era codes: ``code`` is the single-digit convention 明治=1 … 令和=5 that is the de-facto
standard in municipal systems (e.g. the ``GYYMMDD`` date form). It has NOT been checked against
the 既存住基システム改造仕様書 code table. The 2-digit 年号コード of 中間標準レイアウト仕様 could
not be found in public sources (standards.md §1.6, §3.1), so ``layout_code`` is ``None``.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

__all__ = ["ERAS", "SOLAR_CALENDAR_START", "Era", "era_of", "parse_date", "to_wareki"]

# 改暦ノ布告 (明治5年太政官布告第337号): 明治5年12月3日 became 明治6年1月1日.
SOLAR_CALENDAR_START = datetime.date(1873, 1, 1)


@dataclass(frozen=True)
class Era:
    name: str  # 元号, e.g. "令和"
    letter: str  # the one-letter abbreviation, e.g. "R"
    start: datetime.date  # first day of the era (元年)
    last: datetime.date | None  # last day on which a date may be written in this era
    code: int  # de-facto 1-digit 年号コード (see the module docstring; unverified)
    layout_code: str | None  # 中間標準レイアウト 2-digit 年号コード: not found, so None
    basis: str  # the legal act that set the era's start

    @property
    def offset(self) -> int:
        """西暦年 = offset + 和暦年."""
        return self.start.year - 1


ERAS: tuple[Era, ...] = (
    Era(
        "明治",
        "M",
        datetime.date(1868, 10, 23),
        datetime.date(1912, 7, 30),
        1,
        None,
        "改元の詔（慶応4年9月8日）",
    ),
    Era(
        "大正",
        "T",
        datetime.date(1912, 7, 30),
        datetime.date(1926, 12, 25),
        2,
        None,
        "改元の詔書（明治45年7月30日）",
    ),
    Era(
        "昭和",
        "S",
        datetime.date(1926, 12, 25),
        datetime.date(1989, 1, 7),
        3,
        None,
        "改元の詔書（大正15年12月25日）; 元号法附則2",
    ),
    Era(
        "平成",
        "H",
        datetime.date(1989, 1, 8),
        datetime.date(2019, 4, 30),
        4,
        None,
        "元号を改める政令（昭和64年政令第1号）",
    ),
    Era(
        "令和",
        "R",
        datetime.date(2019, 5, 1),
        None,
        5,
        None,
        "元号を改める政令（平成31年政令第143号）",
    ),
)

_BY_TOKEN: dict[str, Era] = {}
for _era in ERAS:
    _BY_TOKEN[_era.name] = _era
    _BY_TOKEN[_era.name[0]] = _era  # 明 大 昭 平 令
    _BY_TOKEN[_era.letter] = _era


def era_of(date: datetime.date) -> Era:
    """The era in which ``date`` is written (the newer one on a 改元 day)."""
    if isinstance(date, datetime.datetime):
        date = date.date()
    if date < SOLAR_CALENDAR_START:
        raise ValueError(
            f"{date.isoformat()} は和暦に換算できません。明治6年1月1日（1873年1月1日）より前は"
            "太陽暦の施行前（改暦ノ布告 明治5年太政官布告第337号）のためです。"
        )
    for era in reversed(ERAS):
        if date >= era.start:
            return era
    raise AssertionError("unreachable: 明治 starts before the solar calendar")  # pragma: no cover


def to_wareki(date: datetime.date, style: str = "long") -> str:
    """``date`` in 和暦: "令和8年11月26日" (the first year is 元年), or "R8.11.26" with
    ``style="short"``."""
    if isinstance(date, datetime.datetime):
        date = date.date()
    era = era_of(date)
    year = date.year - era.offset
    if style == "long":
        year_text = "元" if year == 1 else str(year)
        return f"{era.name}{year_text}年{date.month}月{date.day}日"
    if style == "short":
        return f"{era.letter}{year}.{date.month}.{date.day}"
    raise ValueError(f"unknown style {style!r}: use 'long' or 'short'")


# --- parsing ----------------------------------------------------------------------------------

_ERA_NAME = "(?P<era>明治|大正|昭和|平成|令和|[明大昭平令]|[MTSHR])"
_YEAR = "(?P<year>元|\\d{1,2})"
_PATTERNS = (
    # 西暦
    re.compile(r"(?P<y4>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"),
    re.compile(r"(?P<y4>\d{4})(?P<m>\d{2})(?P<d>\d{2})"),
    re.compile(r"(?P<y4>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"),
    # 和暦
    re.compile(_ERA_NAME + _YEAR + r"年(?P<m>\d{1,2})月(?P<d>\d{1,2})日"),
    re.compile(_ERA_NAME + _YEAR + r"(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"),
    re.compile(_ERA_NAME + r"(?P<year>\d{2})(?P<m>\d{2})(?P<d>\d{2})"),  # R081126
)
_EXAMPLES = "例: 2026-11-26、2026/11/26、20261126、令和8年11月26日、R8.11.26"


def _calendar_date(year: int, month: int, day: int, label: str) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(
            f"{label} は存在しない日付です（月は1〜12、日はその月の日数まで）。"
        ) from None


def _era_date(era: Era, year: int, month: int, day: int) -> datetime.date:
    year_text = "元" if year == 1 else str(year)
    label = f"{era.name}{year_text}年{month}月{day}日"
    if year < 1:
        raise ValueError(f"{label} は存在しません（年は元年（1年）からです）。")
    if (era.offset + year, month, day) < (SOLAR_CALENDAR_START.year, 1, 1):
        raise ValueError(
            f"{label} は西暦に換算できません。明治6年1月1日より前は太陰太陽暦の日付です"
            "（改暦ノ布告 明治5年太政官布告第337号）。"
        )
    date = _calendar_date(era.offset + year, month, day, label)
    if date < era.start:
        raise ValueError(
            f"{label} は存在しません。{era.name}は{to_wareki(era.start)}"
            f"（{era.start.isoformat()}）から始まります。"
        )
    if era.last is not None and date > era.last:
        following = ERAS[ERAS.index(era) + 1]
        raise ValueError(
            f"{label} は存在しません。{era.name}は{era.name}{era.last.year - era.offset}年"
            f"{era.last.month}月{era.last.day}日までで、{following.name}は"
            f"{to_wareki(following.start)}（{following.start.isoformat()}）からです"
            f"（{following.basis}）。"
        )
    return date


def parse_date(text: str) -> datetime.date:
    """A date written in 西暦 or 和暦 → ``datetime.date``.

    Accepts 2026-11-26, 2026/11/26, 2026.11.26, 20261126, 2026年11月26日, 令和8年11月26日,
    令和元年5月1日, R8.11.26, R08.11.26, r8/11/26, R8-11-26, R081126, 令8.11.26; full-width
    digits, letters and separators and any whitespace are accepted. Raises ``ValueError`` with a
    Japanese message for malformed text, impossible calendar dates and dates outside their era
    (平成31年5月1日, 昭和64年1月8日, 令和元年4月30日 …).
    """
    normalised = "".join(unicodedata.normalize("NFKC", text).split()).upper()
    for pattern in _PATTERNS:
        match = pattern.fullmatch(normalised)
        if match is None:
            continue
        month, day = int(match["m"]), int(match["d"])
        groups = match.groupdict()
        if groups.get("y4") is not None:
            return _calendar_date(int(match["y4"]), month, day, text.strip())
        era = _BY_TOKEN[match["era"]]
        year = 1 if match["year"] == "元" else int(match["year"])
        return _era_date(era, year, month, day)
    raise ValueError(f"日付として解釈できません: {text!r}（{_EXAMPLES}）")
