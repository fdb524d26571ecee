"""Finding who a moving-in person already is: a resident, a former resident, or nobody."""

from __future__ import annotations

from kyodo.atena.itaiji import canonical
from kyodo.atena.models import Person, PersonKind
from kyodo.platform.crypto import blind_index, encrypt
from kyodo.units.juki.services.inputs import MemberInput

MY_NUMBER_PURPOSE = "my_number"


def my_number_values(my_number: str | None) -> tuple[str, str] | None:
    """(ciphertext, blind index) for storing a 個人番号, or None when none was given."""
    if not my_number:
        return None
    return encrypt(my_number), blind_index(my_number, purpose=MY_NUMBER_PURPOSE)


def find_existing(member: MemberInput) -> Person | None:
    """The person already on file: by 個人番号 when given, else by name and birth date."""
    if member.my_number:
        person = Person.objects.filter(
            my_number_index=blind_index(member.my_number, purpose=MY_NUMBER_PURPOSE)
        ).first()
        if person is not None:
            return person
    name_key = canonical(f"{member.family_name}{member.given_name}")
    for person in Person.objects.filter(birth_date=member.birth_date, sex=member.sex).exclude(
        kind=PersonKind.VOID
    ):
        if canonical(f"{person.family_name}{person.given_name}") == name_key:
            return person
    return None
