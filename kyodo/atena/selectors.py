"""Reads of the addressee master. Every read of a person's record is audit-logged."""

from __future__ import annotations

from kyodo.atena.models import Person
from kyodo.atena.mynumber import INDEX_PURPOSE, mask
from kyodo.atena.search import (
    Query,
    is_name_query,
    ordered_name_matches,
    person_query,
    with_block_flag,
)
from kyodo.platform.audit import record
from kyodo.platform.crypto import blind_index
from kyodo.platform.errors import NotFound
from kyodo.platform.models.audit import AuditAction

PERSON_NOT_FOUND = "該当する宛名はありません"


def person_find(*, query: Query, purpose: str | None = None, limit: int = 100) -> list[Person]:
    """候補者検索 for a clerk or the API: matches flagged when blocked, the search audit-logged
    (a 個人番号 typed as the query is logged masked).

    A name alone is looked up from its start in the key index, in kana (or name) order, which
    stays fast however common the name; other searches are filtered and ordered by kana.
    """
    if is_name_query(query) and not (query.birth or query.address or query.partial):
        order = ordered_name_matches(query.text.strip(), limit)
        persons = with_block_flag(
            Person.objects.filter(atena_no__in=order).select_related("household")
        )
        by_no = {p.atena_no: p for p in persons}
        found = [by_no[n] for n in order if n in by_no]
    else:
        found = list(
            with_block_flag(person_query(query).select_related("household")).order_by(
                "search_kana", "atena_no"
            )[:limit]
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
            "partial": query.partial,
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


def person_by_my_number(number: str) -> Person | None:
    """The person holding a 個人番号, found through its blind index (exact; never decrypted).
    The caller audits the read as part of what it does (e.g. an import of 課税資料)."""
    return Person.objects.filter(my_number_index=blind_index(number, purpose=INDEX_PURPOSE)).first()
