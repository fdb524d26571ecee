"""候補者検索: search keys, and the queries that use them.

Every name a person has or had is stored as search keys, folded the way queries are: fuzzy
kana (``kana.fuzzy_kana``, the standard's §2.1.2 rules) and 異体字-folded kanji without
variation selectors (``itaiji.canonical``), whole and 名 alone. A name typed from its start is
a range scan of the ``SearchKey`` index in key order — which row-level security lets the
planner use, since range comparisons are leakproof and ``LIKE`` is not. A partial match
anywhere in a name (the standard's 部分一致) is asked for explicitly: it reads the space-joined
keys on ``Person`` and cannot use an index under row-level security.
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
from kyodo.atena.models import Block, Person, SearchKey, block_in_force
from kyodo.platform.crypto import blind_index
from kyodo.platform.tenancy.context import require_tenant_code
from kyodo.rules.wareki import parse_date

MAX_RESULTS = 100
MY_NUMBER_DIGITS = 12
_KANA_CHARS = set(
    "ァアィイゥウェエォオカガキギクグケゲコゴサザシジスズセゼソゾタダチヂッツヅテデトドナ"
    "ニヌネノハバパヒビピフブプヘベペホボポマミムメモャヤュユョヨラリルレロヮワヰヱヲンヴ"
    "ヵヶー "
)
# A person has a few keys of each kind; read this many rows per wanted result.
_KEYS_PER_PERSON = 6


def _unique(values: Iterable[str]) -> list[str]:
    return [v for v in dict.fromkeys(values) if v]


@dataclass(frozen=True)
class Keys:
    kana: list[str]
    name: list[str]


def search_keys(history: Iterable[tuple[str, ...]], *, current: Any) -> Keys:
    """The keys of every (氏, 名, 氏カナ, 名カナ, 旧氏, 通称, alphabet) row, current first."""
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
    kana: list[str] = []
    names: list[str] = []
    for family, given, family_kana, given_kana, kyuuji, tsusho, alpha in rows:
        # With and without the space: the ウ→オ rule restarts at each word, so
        # "オノ ウメコ" and "オノウメコ" fold differently and either may be typed.
        if family_kana or given_kana:
            kana += [
                fuzzy_kana(f"{family_kana} {given_kana}"),
                fuzzy_kana(f"{family_kana}{given_kana}"),
                fuzzy_kana(given_kana),
            ]
        names += [canonical(f"{family}{given}"), canonical(given)]
        if kyuuji:
            names.append(canonical(f"{kyuuji}{given}"))
        if tsusho:
            names.append(canonical(tsusho))
        if alpha:
            names.append(alpha.upper().replace(" ", ""))
    return Keys(kana=_unique(kana), name=_unique(names))


def name_keys(family: str, given: str, family_kana: str, given_kana: str) -> Keys:
    """The keys of one name (no 旧氏, 通称 or alphabet name)."""
    empty = ("", "", "")
    return search_keys([], current=_Name(family, given, family_kana, given_kana, *empty))


@dataclass(frozen=True)
class _Name:
    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    kyuuji: str
    tsusho: str
    alpha_name: str


def replace_search_keys(atena_no: int, keys: Keys) -> None:
    """Store a person's keys (all of them, replacing the previous set)."""
    tenant = require_tenant_code()  # bulk_create does not stamp it as save() does
    SearchKey.objects.filter(atena_no=atena_no).delete()
    SearchKey.objects.bulk_create(
        [
            SearchKey(tenant_id=tenant, atena_no=atena_no, kind=kind, key=key)
            for kind, values in ((SearchKey.KANA, keys.kana), (SearchKey.NAME, keys.name))
            for key in values
        ]
    )


def address_key(addresses: Iterable[str]) -> str:
    return " ".join(_unique(canonical(a) for a in addresses))


@dataclass(frozen=True)
class Query:
    """A clerk's search, each part optional; the parts combine with AND."""

    text: str = ""
    birth: str = ""
    address: str = ""
    # 部分一致: match anywhere in a name (slower: no index can serve it under RLS).
    partial: bool = False
    # Searching by 個人番号 needs its own permission; the caller decides and audits.
    my_number_allowed: bool = False


def _looks_like_kana(text: str) -> bool:
    return bool(text) and all(c in _KANA_CHARS for c in to_katakana(text).replace("\u3000", " "))


def name_key(text: str) -> tuple[str, str]:
    """The key kind and the folded key of a name typed in kana, kanji or alphabet."""
    if _looks_like_kana(text):
        return SearchKey.KANA, fuzzy_kana(text)
    compact = text.replace(" ", "").replace("\u3000", "")
    return SearchKey.NAME, compact.upper() if compact.isascii() else canonical(text)


def _after_prefix(key: str) -> str:
    """The smallest string greater than every string starting with ``key`` (code points)."""
    return key[:-1] + chr(ord(key[-1]) + 1)


def key_matches(text: str) -> QuerySet[SearchKey]:
    """Search keys starting with the folded ``text``, as a leakproof range."""
    kind, key = name_key(text)
    if not key:
        return SearchKey.objects.none()
    return SearchKey.objects.filter(kind=kind, key__gte=key, key__lt=_after_prefix(key))


def is_name_query(query: Query) -> bool:
    compact = query.text.strip().replace(" ", "").replace("\u3000", "")
    return bool(compact) and not (compact.isascii() and compact.isdigit())


def person_query(query: Query) -> QuerySet[Person]:
    """Persons of the current municipality matching ``query`` (no audit; see selectors)."""
    persons = Person.objects.all()
    text = query.text.strip()
    if text:
        compact = text.replace(" ", "").replace("\u3000", "")
        if compact.isascii() and compact.isdigit():
            condition = Q(atena_no=int(compact)) | Q(juminhyo_code=compact)
            if len(compact) == MY_NUMBER_DIGITS and query.my_number_allowed:
                condition |= Q(my_number_index=blind_index(compact, purpose="my_number"))
            persons = persons.filter(condition)
        elif query.partial:
            kind, key = name_key(text)
            column = "search_kana" if kind == SearchKey.KANA else "search_name"
            persons = persons.filter(**{f"{column}__contains": key})
        else:
            persons = persons.filter(atena_no__in=key_matches(text).values("atena_no"))
    if query.birth.strip():
        persons = persons.filter(birth_date=parse_date(query.birth.strip()))
    if query.address.strip():
        persons = persons.filter(search_address__contains=canonical(query.address.strip()))
    return persons


def ordered_name_matches(text: str, limit: int) -> list[int]:
    """宛名番号 of the first ``limit`` persons whose name starts with ``text``, in key order."""
    rows = key_matches(text).order_by("key", "atena_no").values_list("atena_no", flat=True)
    return list(dict.fromkeys(rows[: limit * _KEYS_PER_PERSON]))[:limit]


def with_block_flag(persons: QuerySet[Person], *, on: dt.date | None = None) -> QuerySet[Person]:
    """Annotate ``blocked``: the person carries a block in force (results show it)."""
    on = on or timezone.localdate()
    active = Block.objects.filter(block_in_force(on), atena_no=OuterRef("atena_no"))
    return persons.annotate(blocked=Exists(active))
