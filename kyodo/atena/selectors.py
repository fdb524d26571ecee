"""Reads of the addressee master. Every read of a person's record is audit-logged."""

from __future__ import annotations

from kyodo.atena.models import Person
from kyodo.atena.mynumber import mask
from kyodo.atena.search import Query, is_name_query, person_query, with_block_flag
from kyodo.platform.audit import record
from kyodo.platform.errors import NotFound
from kyodo.platform.models.audit import AuditAction

PERSON_NOT_FOUND = "該当する宛名はありません"


def person_find(*, query: Query, purpose: str | None = None, limit: int = 100) -> list[Person]:
    """候補者検索 for a clerk or the API: matches flagged when blocked, the search audit-logged
    (a 個人番号 typed as the query is logged masked).

    A name is looked up from its start first, in kana order (an index range scan, fast however
    common the name); only when that finds fewer than ``limit`` does a partial match anywhere
    in any past or present name fill the rest (the standard's 部分一致, e.g. 名 alone).
    """
    ordered = with_block_flag(person_query(query).select_related("household"))
    found = list(ordered.order_by("search_kana", "search_name", "atena_no")[:limit])
    if is_name_query(query) and len(found) < limit:
        seen = [p.atena_no for p in found]
        more = with_block_flag(person_query(query, partial=True).select_related("household"))
        found += sorted(
            more.exclude(atena_no__in=seen)[: limit - len(found)],
            key=lambda p: (p.search_kana, p.search_name, p.atena_no),
        )
    text = query.text.strip()
    if len(text) == 12 and text.isascii() and text.isdigit():
        text = mask(text)
    record(
        AuditAction.READ,
        object_type="atena.search",
        purpose=purpose,
        detail={
            "q": text,
            "birth": query.birth,
            "address": query.address,
            "results": [p.atena_no for p in found],
        },
    )
    return found


def person_get(*, atena_no: int, purpose: str | None = None) -> Person:
    """One person of the current municipality by 宛名番号; the read is audit-logged."""
    person = Person.objects.select_related("household").filter(atena_no=atena_no).first()
    if person is None:
        raise NotFound(PERSON_NOT_FOUND, field="atena_no")
    record(AuditAction.READ, object_type="atena.person", object_id=person.atena_no, purpose=purpose)
    return person
