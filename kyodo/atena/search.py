"""候補者検索: search keys stored on each person, and the query that uses them.

Keys hold every name and address the person has had (space-separated), normalised the way
queries are: fuzzy kana (``kana.fuzzy_kana``) and 異体字-folded kanji without variation
selectors (``itaiji.canonical``). On PostgreSQL trigram indexes serve partial matches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kyodo.atena.itaiji import canonical
from kyodo.atena.kana import fuzzy_kana, to_katakana
from kyodo.atena.models import Block, Person, block_in_force
from kyodo.platform.crypto import blind_index
from kyodo.rules.wareki import parse_date

MAX_RESULTS = 100
MY_NUMBER_DIGITS = 12
_KANA_CHARS = set(
    "ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナ"
    "ニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴ"
    "ヵヶー "
)


def _unique(values: Iterable[str]) -> str:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return " ".join(seen)


def search_keys(history: Iterable[tuple[str, ...]], *, current: Any) -> tuple[str, str]:
    """(kana key, name key) from every (氏, 名, 氏カナ, 名カナ, 旧氏, 通称, alphabet) row."""
    rows = [
        (
            current.family_name,
            current.given_name,
            current.family_kana,
            current.given_kana,
            current.kyuuji,
            current.tsusho,
            current.alpha_name,
        ),
        *history,
    ]
    # Both with and without the space between the readings: the ウ→オ rule restarts at each
    # word, so "オノ ウメコ" and "オノウメコ" fold differently and either may be typed.
    kana = _unique(
        key
        for _f, _g, fk, gk, *_ in rows
        if fk or gk
        for key in (fuzzy_kana(f"{fk} {gk}"), fuzzy_kana(f"{fk}{gk}"))
    )
    names = []
    for family, given, _fk, _gk, kyuuji, tsusho, alpha in rows:
        names.append(canonical(f"{family}{given}"))
        if kyuuji:
            names.append(canonical(f"{kyuuji}{given}"))
        if tsusho:
            names.append(canonical(tsusho))
        if alpha:
            names.append(alpha.upper().replace(" ", ""))
    return kana, _unique(names)


def address_key(addresses: Iterable[str]) -> str:
    return _unique(canonical(a) for a in addresses)


@dataclass(frozen=True)
class Query:
    """A clerk's search, each part optional; the parts combine with AND."""

    text: str = ""
    birth: str = ""
    address: str = ""
    # Searching by 個人番号 needs its own permission; the caller decides and audits.
    my_number_allowed: bool = False


def _looks_like_kana(text: str) -> bool:
    return bool(text) and all(c in _KANA_CHARS for c in to_katakana(text).replace("\u3000", " "))


def person_query(query: Query, *, partial: bool = False) -> QuerySet[Person]:
    """Persons of the current municipality matching ``query`` (no audit; see selectors).

    By default a name matches from its start (氏 first, 名 after it), which an index answers
    in kana order; ``partial=True`` matches anywhere in any name the person has had (名 alone,
    past names), which the trigram index answers without an order.
    """
    persons = Person.objects.all()
    text = query.text.strip()
    if text:
        compact = text.replace(" ", "").replace("\u3000", "")
        if compact.isascii() and compact.isdigit():
            condition = Q(atena_no=int(compact)) | Q(juminhyo_code=compact)
            if len(compact) == MY_NUMBER_DIGITS and query.my_number_allowed:
                condition |= Q(my_number_index=blind_index(compact, purpose="my_number"))
            persons = persons.filter(condition)
        else:
            column, key = name_key(text)
            lookup = "contains" if partial else "startswith"
            persons = persons.filter(**{f"{column}__{lookup}": key})
    if query.birth.strip():
        persons = persons.filter(birth_date=parse_date(query.birth.strip()))
    if query.address.strip():
        persons = persons.filter(search_address__contains=canonical(query.address.strip()))
    return persons


def name_key(text: str) -> tuple[str, str]:
    """The search column and the folded key of a name typed in kana, kanji or alphabet."""
    if _looks_like_kana(text):
        return "search_kana", fuzzy_kana(text)
    compact = text.replace(" ", "").replace("\u3000", "")
    return "search_name", compact.upper() if compact.isascii() else canonical(text)


def is_name_query(query: Query) -> bool:
    compact = query.text.strip().replace(" ", "").replace("\u3000", "")
    return bool(compact) and not (compact.isascii() and compact.isdigit())


def with_block_flag(persons: QuerySet[Person], *, on: dt.date | None = None) -> QuerySet[Person]:
    """Annotate ``blocked``: the person carries a block in force (results show it)."""
    on = on or timezone.localdate()
    active = Block.objects.filter(block_in_force(on), atena_no=OuterRef("atena_no"))
    return persons.annotate(blocked=Exists(active))
