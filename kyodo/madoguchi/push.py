"""総合窓口 PUSH list (issue 4): the procedures a household likely needs after an 異動.

Pure: no Django, no database. The rules are **data** (``procedures.json``): each procedure
names the events it applies to (転入, 出生, 転出, 死亡, 世帯照会), its scope (per member or per
household), a small declarative condition, and its legal basis. A municipality switches
procedures off, replaces them, adds its own, or sets parameters in ``municipalities.json`` or in
the ``overrides`` argument — without code changes.

The event's subjects: members marked ``subject: true``; if none is marked, the members born on
the event date for ``born``, and every member otherwise (``died`` requires a marked member).
Per-member procedures are evaluated for the subjects only.

Each suggestion's reason names the event, the member (世帯員N = ``members[N-1]``, with 続柄 and
生年月日), the facts that made the condition true, the procedure and its basis.

This module is the entry point; the parts live next to it:

* :mod:`~kyodo.madoguchi.catalogue` reads ``procedures.json`` and ``municipalities.json``;
* :mod:`~kyodo.madoguchi.rules` applies a municipality's overrides and compiles its rules;
* :mod:`~kyodo.madoguchi.conditions` documents and compiles the condition operators;
* :mod:`~kyodo.madoguchi.request` parses the CLI's request JSON;
* :mod:`~kyodo.madoguchi.members` and :mod:`~kyodo.madoguchi.wording` hold the member and
  how reasons are written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kyodo.madoguchi.catalogue import load_catalogue, load_overrides, read_json
from kyodo.madoguchi.conditions import Context
from kyodo.madoguchi.members import Member
from kyodo.madoguchi.request import parse_request
from kyodo.madoguchi.rules import default_rules, rules_for
from kyodo.madoguchi.wording import member_label, ymd
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.tenancy.codes import validate_lg_code

# Member, load_overrides, parse_request and read_json are re-exported: callers (the CLI, the
# tests) import everything from here.
__all__ = [
    "Member",
    "Suggestion",
    "load_overrides",
    "parse_request",
    "push_list",
    "read_json",
]


@dataclass(frozen=True)
class Suggestion:
    procedure: str  # catalogue id, e.g. "kaigo.enroll"
    member: int | None  # index into members; None for a household-level procedure
    reason: str  # Japanese: event, member, facts, procedure and legal basis
    name: str = ""
    kind: str = "procedure"  # or "information"

    def as_json(self) -> dict[str, Any]:
        return {"procedure": self.procedure, "member": self.member, "reason": self.reason}


def _subjects(event: str, date: dt.date, members: Sequence[Member]) -> list[int]:
    marked = [i for i, m in enumerate(members) if m.subject]
    if marked:
        return marked
    if event == "born":
        born = [i for i, m in enumerate(members) if m.birth_date == date]
        if not born:
            raise ValidationFailed(
                "出生の届出では出生した世帯員（生年月日＝異動日、または subject: true）が必要です",
                field="members",
            )
        return born
    if event == "died":
        raise ValidationFailed("死亡した世帯員を subject: true で示してください", field="members")
    return list(range(len(members)))


def push_list(
    *,
    event: str,
    date: dt.date,
    members: Sequence[Member],
    single_parent: bool,
    municipality: str,
    overrides: Mapping[str, Any] | None = None,
) -> list[Suggestion]:
    """The PUSH list for one household and event, in catalogue order then member order.

    ``overrides`` maps 団体コード to ``{"disabled", "extra", "params"}``; None reads
    ``municipalities.json``.
    """
    validate_lg_code(municipality, field="municipality")
    cat = load_catalogue()
    if event not in cat.events:
        raise ValidationFailed(
            f"異動の種類は {', '.join(cat.events)} のいずれかです (got {event!r})", field="event"
        )
    if not members:
        raise ValidationFailed("世帯員が1人以上必要です", field="members")
    for i, m in enumerate(members):
        if m.birth_date > date:
            raise ValidationFailed(
                f"生年月日 {m.birth_date} が異動日 {date} より後です",
                field=f"members[{i}].birth_date",
            )
    if overrides is None:
        rules = default_rules(municipality)
    else:
        rules = rules_for(municipality, overrides.get(municipality), "overrides")
    subjects = _subjects(event, date, members)
    household = {"single_parent": single_parent}
    head = f"【{cat.events[event]}】"
    out: list[Suggestion] = []
    for rule in rules:
        if event not in rule.events:
            continue
        tail = f"：{rule.name}（{rule.basis}）"
        prefix = head + ("【参考】" if rule.kind == "information" else "")
        if rule.scope == "household":
            ok, facts = rule.check(Context(date, members, subjects, household))
            if ok:
                reason = f"{prefix}世帯は{ymd(date)}時点で{'、'.join(facts)}{tail}"
                out.append(Suggestion(rule.id, None, reason, rule.name, rule.kind))
            continue
        for i in subjects:
            ok, facts = rule.check(Context(date, members, subjects, household, i))
            if ok:
                who = member_label(i, members[i])
                reason = f"{prefix}{who}は{ymd(date)}時点で{'、'.join(facts)}{tail}"
                out.append(Suggestion(rule.id, i, reason, rule.name, rule.kind))
    return out
