"""Reads of the addressee master. Every read of a person's record is audit-logged."""

from __future__ import annotations

import jaconv  # type: ignore[import-untyped]
from django.db.models import Q, QuerySet

from kyodo.atena.models import Person
from kyodo.platform.audit import record
from kyodo.platform.errors import NotFound
from kyodo.platform.models.audit import AuditAction

PERSON_NOT_FOUND = "該当する宛名はありません"


def normalise_kana(text: str) -> str:
    """Hiragana and half-width katakana to full-width katakana, spaces removed."""
    text = jaconv.h2z(text, kana=True, ascii=False, digit=False)
    return jaconv.hira2kata(text).replace(" ", "").replace("\u3000", "")


def person_search(*, query: str, limit: int = 50, purpose: str | None = None) -> list[Person]:
    """A clerk's search: the matching persons, with the search itself audit-logged."""
    found = list(person_list(query=query, limit=limit))
    record(
        AuditAction.READ,
        object_type="atena.search",
        purpose=purpose,
        detail={"query": query, "results": [p.atena_no for p in found]},
    )
    return found


def person_list(*, query: str = "", limit: int = 50) -> QuerySet[Person]:
    """Persons of the current municipality whose name or kana starts with ``query``."""
    persons = Person.objects.select_related("household").order_by(
        "family_kana", "given_kana", "atena_no"
    )
    parts = query.replace("\u3000", " ").split()
    if parts:
        family, given = parts[0], (parts[1] if len(parts) > 1 else "")
        condition = Q(
            family_kana__startswith=normalise_kana(family),
            given_kana__startswith=(normalise_kana(given)),
        ) | Q(family_name__startswith=family, given_name__startswith=given)
        if family.isascii() and family.isdigit():
            condition |= Q(atena_no=int(family))
        persons = persons.filter(condition)
    return persons[:limit]


def person_get(*, atena_no: int, purpose: str | None = None) -> Person:
    """One person of the current municipality by 宛名番号; the read is audit-logged."""
    person = Person.objects.select_related("household").filter(atena_no=atena_no).first()
    if person is None:
        raise NotFound(PERSON_NOT_FOUND, field="atena_no")
    record(AuditAction.READ, object_type="atena.person", object_id=person.atena_no, purpose=purpose)
    return person
