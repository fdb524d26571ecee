"""How dates and members are written in a suggestion's reason (理由の文言).

世帯員N is ``members[N-1]``, followed by 続柄 (when known) and 生年月日, so a clerk can tell
which member a line is about without the index.
"""

from __future__ import annotations

import datetime as dt

from kyodo.madoguchi.members import Member

__all__ = ["member_label", "ymd"]


def ymd(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def member_label(index: int, member: Member) -> str:
    parts = [member.relationship] if member.relationship else []
    parts.append(f"{ymd(member.birth_date)}生")
    return f"世帯員{index + 1}（{'・'.join(parts)}）"
