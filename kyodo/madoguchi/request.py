"""A PUSH request as JSON (the ``kyodo push --json FILE`` input), validated.

``{"event", "date", "municipality", "single_parent", "members": [...]}``; each member has
``birth_date`` (YYYY-MM-DD), ``nationality`` (ISO 3166-1 alpha-2), optional ``relationship``
(続柄), optional ``subject`` and the catalogue's member flags (``employee_insurance`` …) as
booleans. :func:`parse_request` returns keyword arguments for
:func:`kyodo.madoguchi.push.push_list`; errors name ``source`` and the JSON path (e.g.
``members[1].birth_date``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from kyodo.madoguchi.catalogue import load_catalogue
from kyodo.madoguchi.members import Member
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.tenancy.codes import validate_lg_code

__all__ = ["parse_request"]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MEMBER_KEYS = {"birth_date", "nationality", "relationship", "subject"}


def _parse_date(value: Any, path: str, source: str) -> dt.date:
    try:
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(
            f"日付は YYYY-MM-DD です (got {value!r})", field=path, source=source
        ) from exc


def _parse_bool(value: Any, path: str, source: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationFailed(f"true か false です (got {value!r})", field=path, source=source)
    return value


def _parse_member(
    raw: Any, path: str, date: dt.date, flag_names: frozenset[str], source: str
) -> Member:
    if not isinstance(raw, dict):
        raise ValidationFailed("オブジェクトです", field=path, source=source)
    unknown = sorted(set(raw) - _MEMBER_KEYS - flag_names)
    if unknown:
        known = ", ".join(sorted(_MEMBER_KEYS | flag_names))
        raise ValidationFailed(
            f"未知の項目です（{known}）", field=f"{path}.{unknown[0]}", source=source
        )
    if "birth_date" not in raw:
        raise ValidationFailed("必須の項目がありません", field=f"{path}.birth_date", source=source)
    birth = _parse_date(raw["birth_date"], f"{path}.birth_date", source)
    if birth > date:
        raise ValidationFailed(
            f"生年月日 {birth} が異動日 {date} より後です",
            field=f"{path}.birth_date",
            source=source,
        )
    nationality = raw.get("nationality")
    if not isinstance(nationality, str) or not re.fullmatch(r"[A-Z]{2}", nationality):
        raise ValidationFailed(
            f"国籍は ISO 3166-1 alpha-2 の2文字（例 JP）です (got {nationality!r})",
            field=f"{path}.nationality",
            source=source,
        )
    relationship = raw.get("relationship", "")
    if not isinstance(relationship, str):
        raise ValidationFailed("文字列です", field=f"{path}.relationship", source=source)
    flags = {
        name: _parse_bool(raw[name], f"{path}.{name}", source) for name in flag_names if name in raw
    }
    subject = raw.get("subject")
    if subject is not None:
        subject = _parse_bool(subject, f"{path}.subject", source)
    return Member(birth, nationality, relationship, flags, subject)


def parse_request(data: Any, *, source: str) -> dict[str, Any]:
    """Validate a request object and return keyword arguments for :func:`push_list`.

    Errors name ``source`` and the JSON path (e.g. ``members[1].birth_date``).
    """
    cat = load_catalogue()
    if not isinstance(data, dict):
        raise ValidationFailed("JSON オブジェクトが必要です", source=source)
    allowed = {"event", "date", "municipality", "single_parent", "members"}
    for key in ("event", "date", "municipality", "members"):
        if key not in data:
            raise ValidationFailed("必須の項目がありません", field=key, source=source)
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValidationFailed("未知の項目です", field=unknown[0], source=source)
    event = data["event"]
    if event not in cat.events:
        raise ValidationFailed(
            f"異動の種類は {', '.join(cat.events)} のいずれかです (got {event!r})",
            field="event",
            source=source,
        )
    date = _parse_date(data["date"], "date", source)
    municipality = validate_lg_code(data["municipality"], field="municipality", source=source)
    single_parent = _parse_bool(data.get("single_parent", False), "single_parent", source)
    raw_members = data["members"]
    if not isinstance(raw_members, list) or not raw_members:
        raise ValidationFailed("世帯員のリスト（1人以上）です", field="members", source=source)
    flag_names = frozenset(cat.member_flags)
    members = [
        _parse_member(raw, f"members[{i}]", date, flag_names, source)
        for i, raw in enumerate(raw_members)
    ]
    return {
        "event": event,
        "date": date,
        "members": members,
        "single_parent": single_parent,
        "municipality": municipality,
    }
