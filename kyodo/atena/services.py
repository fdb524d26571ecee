"""Writes to the addressee master."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from kyodo.atena import juminhyo_code
from kyodo.atena.itaiji import canonical
from kyodo.atena.models import Household, NumberSequence, Person, PersonKind
from kyodo.atena.mynumber import validate_my_number
from kyodo.atena.numbering import with_check_digit
from kyodo.atena.search import address_key, name_keys, replace_search_keys
from kyodo.platform.audit import record
from kyodo.platform.crypto import blind_index, encrypt
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import require_tenant_code


def number_block(name: str, count: int) -> range:
    """Reserve ``count`` consecutive number bodies for the current municipality.

    Returns the bodies; callers append the check digit (``with_check_digit``). The counter row
    is updated in the caller's transaction, so a rolled-back import gives its numbers back.
    """
    if count <= 0:
        return range(0)
    seq, _ = NumberSequence.objects.get_or_create(name=name)
    NumberSequence.objects.filter(pk=seq.pk).update(last_body=F("last_body") + count)
    seq.refresh_from_db(fields=["last_body"])
    return range(seq.last_body - count + 1, seq.last_body + 1)


def next_number(name: str) -> int:
    """One new 宛名番号 or 世帯番号 (body + M11W2–7 check digit)."""
    return with_check_digit(number_block(name, 1)[0])


def catch_up_numbering() -> None:
    """After data came in from elsewhere (a migration): number on after the highest 宛名番号
    and 世帯番号 held, so a new one never repeats an imported one."""
    highest = {
        "person": Person.objects.aggregate(m=Max("atena_no"))["m"],
        "household": Household.objects.aggregate(m=Max("household_no"))["m"],
    }
    for name, number in highest.items():
        if number is None:
            continue
        body = number // 10  # the last digit is the check digit
        sequence, _created = NumberSequence.objects.get_or_create(name=name)
        if sequence.last_body < body:
            sequence.last_body = body
            sequence.save(update_fields=["last_body"])


def rebuild_search_keys(*, chunk: int = 5000) -> int:
    """Every person's search keys from the name and address on the 宛名 — after a migration
    from a system that had none (kana and kanji keys, 異体字 folded). The number of persons."""
    from kyodo.atena.models import SearchKey

    tenant = require_tenant_code()
    SearchKey.objects.all().delete()
    done, last = 0, 0
    while True:
        people = list(
            Person.objects.filter(id__gt=last).select_related("household").order_by("id")[:chunk]
        )
        if not people:
            return done
        rows = []
        for person in people:
            keys = name_keys(
                person.family_name, person.given_name, person.family_kana, person.given_kana
            )
            person.search_kana, person.search_name = " ".join(keys.kana), " ".join(keys.name)
            home = person.household
            address = f"{home.town}{home.banchi}" if home is not None else person.outside_address
            person.search_address = address_key([address])
            rows += [
                SearchKey(tenant_id=tenant, atena_no=person.atena_no, kind=kind, key=key)
                for kind, values in ((SearchKey.KANA, keys.kana), (SearchKey.NAME, keys.name))
                for key in values
            ]
        Person.objects.bulk_update(people, ["search_kana", "search_name", "search_address"])
        SearchKey.objects.bulk_create(rows, batch_size=chunk)
        done += len(people)
        last = people[-1].id


def new_juminhyo_code() -> str:
    """A 住民票コード from the configured source that no person here holds yet.

    The source guarantees codes are well formed; a stand-in (or a pool shared with data loaded
    from elsewhere) may still hand out one already used, so draw again in that case.
    """
    source, tenant = juminhyo_code.get_source(), require_tenant_code()
    for _attempt in range(20):
        code = source.allocate(tenant)
        if not Person.objects.filter(juminhyo_code=code).exists():
            return code
    raise RuntimeError(f"住民票コードの払出元 {source.name} が使用済みのコードしか返しません")


@dataclass(frozen=True)
class JutogaiInput:
    """A person the municipality deals with who is not registered here (住登外), e.g. the
    owner of land who lives elsewhere, or a former resident's heir."""

    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    birth_date: dt.date
    sex: int
    address: str
    my_number: str | None = None


def jutogai_register(person: JutogaiInput, *, source: str | None = None) -> Person:
    """Register a 住登外 person under a new 宛名番号 (never a resident of this municipality:
    a resident is found by the same checks and refused)."""
    if not person.family_name.strip() or not person.address.strip():
        raise ValidationFailed("氏と住所は必須です", field="family_name", source=source)
    if person.birth_date > timezone.localdate():
        raise ValidationFailed("生年月日が未来の日付です", field="birth_date", source=source)
    if person.sex not in (1, 2):
        raise ValidationFailed("性別は 1（男）か 2（女）です", field="sex", source=source)
    index = ""
    if person.my_number:
        validate_my_number(person.my_number, source=source)
        index = blind_index(person.my_number, purpose="my_number")
        if Person.objects.filter(my_number_index=index).exists():
            raise ValidationFailed(
                "この個人番号の宛名は既に登録されています", field="my_number", source=source
            )
    name_key = canonical(f"{person.family_name}{person.given_name}")
    for other in Person.objects.filter(birth_date=person.birth_date, sex=person.sex):
        if canonical(f"{other.family_name}{other.given_name}") == name_key:
            raise ValidationFailed(
                f"同じ氏名・生年月日の宛名があります（宛名番号 {other.atena_no}）",
                field="family_name",
                source=source,
            )
    with transaction.atomic():
        created = Person.objects.create(
            atena_no=next_number("person"),
            kind=PersonKind.JUTOGAI,
            family_name=person.family_name,
            given_name=person.given_name,
            family_kana=person.family_kana,
            given_kana=person.given_kana,
            birth_date=person.birth_date,
            sex=person.sex,
            outside_address=person.address,
            my_number=encrypt(person.my_number) if person.my_number else "",
            my_number_index=index,
            search_address=address_key([person.address]),
        )
        keys = name_keys(
            person.family_name, person.given_name, person.family_kana, person.given_kana
        )
        created.search_kana, created.search_name = " ".join(keys.kana), " ".join(keys.name)
        created.save(update_fields=["search_kana", "search_name"])
        replace_search_keys(created.atena_no, keys)
        record(
            AuditAction.CHANGE,
            object_type="atena.person",
            object_id=created.atena_no,
            detail={"op": "jutogai_register"},
        )
    return created
