"""What every 異動 shares: inputs, checks, appending snapshots, keeping 宛名 in step."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.forms.models import model_to_dict
from django.utils import timezone

from kyodo.atena.models import Household, Person, PersonKind
from kyodo.atena.services import next_number
from kyodo.atena.zokugara import validate_zokugara, zokugara_sort_key
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.tenancy.context import current_scope
from kyodo.units.juki.models import (
    CURRENT_STATUSES,
    IDOU_GROUPS,
    Idou,
    JuminRecord,
    Status,
)
from kyodo.units.juki.publish import announce

SETAINUSHI = "世帯主"
NOT_A_RESIDENT = "宛名番号 {atena_no} は現在の住民ではありません"
UNKNOWN_PERSON = "宛名番号 {atena_no} の住民票はありません"
FUTURE_DATE = "{label}が未来の日付です ({value})"
BEFORE_BIRTH = "{label}が生年月日より前です ({value})"
BEFORE_RESIDENT = "{label}が住民となった日より前です（宛名番号 {atena_no}: {jumin_date}）"

# Items copied from one snapshot to the next (everything but identity and 異動 metadata).
_META = {
    "id",
    "tenant",
    "atena_no",
    "rireki_no",
    "idou",
    "idou_kind",
    "idou_group",
    "idou_date",
    "notified_on",
}


@dataclass(frozen=True)
class Address:
    """住所 inside the municipality: 町字, 番地, 方書 (+ 郵便番号)."""

    town: str
    banchi: str
    katagaki: str = ""
    postal_code: str = ""

    def text(self) -> str:
        return f"{self.town}{self.banchi}" + (f"\u3000{self.katagaki}" if self.katagaki else "")


@dataclass
class Outcome:
    """What a 異動 did: the 異動, the new snapshots, and anything the clerk must follow up."""

    idou: Idou
    records: list[JuminRecord]
    notices: list[str] = field(default_factory=list)


def today() -> dt.date:
    return timezone.localdate()


def check_date(
    value: dt.date,
    label: str,
    *,
    field_name: str,
    birth: dt.date | None = None,
    source: str | None = None,
) -> None:
    if value > today():
        raise ValidationFailed(
            FUTURE_DATE.format(label=label, value=value), field=field_name, source=source
        )
    if birth is not None and value < birth:
        raise ValidationFailed(
            BEFORE_BIRTH.format(label=label, value=value), field=field_name, source=source
        )


def check_while_resident(
    records: Iterable[JuminRecord],
    value: dt.date,
    label: str,
    *,
    field_name: str,
    source: str | None = None,
) -> None:
    """A 異動 of a person cannot be dated before they became a resident (住民となった日):
    as-of views would show the change on days the person was not registered yet."""
    for record in records:
        if value < record.jumin_date:
            raise ValidationFailed(
                BEFORE_RESIDENT.format(
                    label=label, atena_no=record.atena_no, jumin_date=record.jumin_date
                ),
                field=field_name,
                source=source,
            )


def actor_name() -> str:
    scope = current_scope()
    return scope.actor.username if scope else "system"


def latest(atena_no: int) -> JuminRecord:
    record = JuminRecord.objects.filter(atena_no=atena_no).order_by("-rireki_no").first()
    if record is None:
        raise ValidationFailed(UNKNOWN_PERSON.format(atena_no=atena_no), field="atena_no")
    return record


def latest_current(atena_no: int) -> JuminRecord:
    record = latest(atena_no)
    if record.status not in CURRENT_STATUSES:
        raise ValidationFailed(NOT_A_RESIDENT.format(atena_no=atena_no), field="atena_no")
    return record


def household_current(household_no: int) -> list[JuminRecord]:
    """The current snapshots of a household's members, in household order."""
    atena_nos = list(
        Person.objects.filter(
            household__household_no=household_no, kind=PersonKind.JUMIN
        ).values_list("atena_no", flat=True)
    )
    records = [latest(n) for n in atena_nos]
    records = [
        r for r in records if r.status in CURRENT_STATUSES and r.household_no == household_no
    ]
    return sorted(records, key=lambda r: (zokugara_sort_key(r.zokugara), r.birth_date, r.atena_no))


def new_idou(
    kind: str,
    *,
    idou_date: dt.date,
    notified_on: dt.date | None = None,
    household_no: int | None = None,
    note: str = "",
    cancels: Idou | None = None,
) -> Idou:
    return Idou.objects.create(
        kind=kind,
        idou_date=idou_date,
        notified_on=notified_on,
        processed_by=actor_name(),
        household_no=household_no,
        note=note,
        cancels=cancels,
    )


def append(
    base: JuminRecord | None,
    idou: Idou,
    *,
    atena_no: int | None = None,
    group: str | None = None,
    **items: Any,
) -> JuminRecord:
    """Append the next snapshot: the base's items, overridden by ``items``."""
    values: dict[str, Any] = {}
    if base is not None:
        values = {k: v for k, v in model_to_dict(base).items() if k not in _META}
        atena_no = base.atena_no
    values.update(items)
    rireki = (base.rireki_no + 1) if base is not None else 1
    return JuminRecord.objects.create(
        atena_no=atena_no,
        rireki_no=rireki,
        idou=idou,
        idou_kind=idou.kind,
        idou_group=group or IDOU_GROUPS[idou.kind],
        idou_date=idou.idou_date,
        notified_on=idou.notified_on,
        **values,
    )


def household_projection(household_no: int, address: Address) -> Household:
    household, _ = Household.objects.update_or_create(
        household_no=household_no,
        defaults={
            "town": address.town,
            "banchi": address.banchi,
            "katagaki": address.katagaki,
            "postal_code": address.postal_code,
        },
    )
    return household


def sync_person(record: JuminRecord, *, my_number: tuple[str, str] | None = None) -> Person:
    """Bring the 宛名 projection in line with the person's newest snapshot, and announce the
    change on the linkage hub (every 異動 passes here, once per person)."""
    from kyodo.atena.search import address_key, replace_search_keys, search_keys

    kind = {
        Status.JUMIN: PersonKind.JUMIN,
        Status.TENSHUTSU_YOTEI: PersonKind.JUMIN,
        Status.VOID: PersonKind.VOID,
    }.get(record.status, PersonKind.JOGAI)
    household = Household.objects.filter(household_no=record.household_no).first()
    person = Person.objects.filter(atena_no=record.atena_no).first() or Person(
        atena_no=record.atena_no
    )
    past = JuminRecord.objects.filter(atena_no=record.atena_no)
    history = past.values_list(
        "family_name", "given_name", "family_kana", "given_kana", "kyuuji", "tsusho", "alpha_name"
    )
    keys = search_keys(history, current=record)
    addresses = [
        record.address,
        *(
            f"{t}{b}\u3000{k}" if k else f"{t}{b}"
            for t, b, k in past.values_list("town", "banchi", "katagaki")
        ),
    ]
    person.search_address = address_key(addresses)
    person.juminhyo_code = record.juminhyo_code
    person.kind = kind
    person.household = household if kind == PersonKind.JUMIN else None
    for name in ("family_name", "given_name", "birth_date", "sex", "alpha_name", "tsusho"):
        setattr(person, name, getattr(record, name))
    person.family_kana, person.given_kana = record.family_kana, record.given_kana
    person.relationship = record.zokugara
    person.search_kana, person.search_name = " ".join(keys.kana), " ".join(keys.name)
    if my_number is not None:
        person.my_number, person.my_number_index = my_number
    person.save()
    replace_search_keys(record.atena_no, keys)
    announce(record)  # on the linkage hub, in this same transaction (transactional outbox)
    return person


def validated_zokugara(value: str, *, field_name: str, source: str | None = None) -> str:
    return validate_zokugara(value, field=field_name, source=source)


def ensure_one_head(records: Iterable[JuminRecord], *, household_no: int) -> None:
    heads = [r for r in records if r.zokugara == SETAINUSHI]
    if len(heads) != 1:
        raise ValidationFailed(
            f"世帯 {household_no} の世帯主は1人でなければなりません（{len(heads)}人になります）",
            field="relationship",
        )


def allocate_household_no() -> int:
    return next_number("household")
