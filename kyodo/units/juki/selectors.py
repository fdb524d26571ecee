"""Reading the resident registry: a person or household now or as of any past date.

As of a date D, a person's record is the snapshot with the highest 履歴番号 among those whose
異動日 is on or before D (a cancellation carries the date of the 異動 it cancels, so it wins
over it). Every read of personal data is audit-logged by the caller-facing functions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from kyodo.atena.models import Person, PersonKind
from kyodo.atena.zokugara import zokugara_sort_key
from kyodo.platform.audit import record as audit
from kyodo.platform.errors import NotFound
from kyodo.platform.models.audit import AuditAction
from kyodo.units.juki.models import CURRENT_STATUSES, JuminRecord, Status

NO_RECORD = "宛名番号 {atena_no} の住民票はありません"
NO_RECORD_AS_OF = "宛名番号 {atena_no} は {as_of} 時点で住民票に記載されていません"


def record_as_of(atena_no: int, as_of: dt.date | None = None) -> JuminRecord | None:
    records: QuerySet[JuminRecord] = JuminRecord.objects.filter(atena_no=atena_no)
    if as_of is not None:
        records = records.filter(idou_date__lte=as_of)
    return records.order_by("-rireki_no").first()


def history(atena_no: int) -> list[JuminRecord]:
    return list(JuminRecord.objects.filter(atena_no=atena_no).order_by("rireki_no"))


def household_as_of(household_no: int, as_of: dt.date | None = None) -> list[JuminRecord]:
    """Members of a household as it stood on ``as_of`` (today by default), in order.

    Two queries whatever the size: everyone who was ever in the household, then all their
    snapshots up to the date, keeping each person's newest.
    """
    candidates = JuminRecord.objects.filter(household_no=household_no).values("atena_no")
    snapshots = JuminRecord.objects.filter(atena_no__in=candidates)
    if as_of is not None:
        snapshots = snapshots.filter(idou_date__lte=as_of)
    newest: dict[int, JuminRecord] = {}
    for record in snapshots.order_by("atena_no", "rireki_no"):
        newest[record.atena_no] = record
    members = [
        r
        for r in newest.values()
        if r.household_no == household_no and r.status in CURRENT_STATUSES
    ]
    return sorted(members, key=lambda r: (zokugara_sort_key(r.zokugara), r.birth_date, r.atena_no))


def household_members(
    *, household_no: int, as_of: dt.date | None = None, purpose: str | None = None
) -> list[JuminRecord]:
    """A household's members (now or as of a date); the read is audit-logged."""
    members = household_as_of(household_no, as_of)
    if members:
        audit(
            AuditAction.READ,
            object_type="juki.household",
            object_id=household_no,
            purpose=purpose,
            detail={
                "atena_nos": [m.atena_no for m in members],
                "as_of": as_of.isoformat() if as_of else None,
            },
        )
    return members


def person_record(*, atena_no: int, as_of: dt.date | None = None, purpose: str = "") -> JuminRecord:
    """One person's 住民票 (now or as of a date); the read is audit-logged."""
    record = record_as_of(atena_no, as_of)
    if record is None or record.status == Status.VOID:
        message = NO_RECORD_AS_OF if as_of else NO_RECORD
        raise NotFound(message.format(atena_no=atena_no, as_of=as_of), field="atena_no")
    audit(
        AuditAction.READ,
        object_type="juki.person",
        object_id=atena_no,
        purpose=purpose,
        detail={"as_of": as_of.isoformat() if as_of else None, "rireki_no": record.rireki_no},
    )
    return record


def is_resident(atena_no: int) -> bool:
    return Person.objects.filter(atena_no=atena_no, kind=PersonKind.JUMIN).exists()


def record_json(record: JuminRecord, *, reveal_my_number: str | None = None) -> dict[str, Any]:
    """The JSON shape of one snapshot (API and CLI)."""
    data: dict[str, Any] = {
        "atena_no": record.atena_no,
        "rireki_no": record.rireki_no,
        "status": record.status,
        "idou": {
            "kind": record.idou_kind,
            "group": record.idou_group,
            "date": record.idou_date.isoformat(),
            "notified_on": record.notified_on.isoformat() if record.notified_on else None,
        },
        "household_no": record.household_no,
        "setainushi_name": record.setainushi_name,
        "relationship": record.zokugara,
        "family_name": record.family_name,
        "given_name": record.given_name,
        "family_kana": record.family_kana,
        "given_kana": record.given_kana,
        "kyuuji": record.kyuuji,
        "birth_date": record.birth_date.isoformat(),
        "sex": record.sex,
        "address": {
            "postal_code": record.postal_code,
            "town": record.town,
            "banchi": record.banchi,
            "katagaki": record.katagaki,
        },
        "jumin_date": record.jumin_date.isoformat(),
        "address_date": record.address_date.isoformat(),
        "previous_address": record.previous_address,
        "before_move_address": record.before_move_address,
        "honseki": record.honseki,
        "hittousha": record.hittousha,
        "juminhyo_code": record.juminhyo_code,
        "nationality": record.nationality,
        "alpha_name": record.alpha_name,
        "tsusho": record.tsusho,
        "foreign": record.foreign,
        "flags": record.flags,
        "tenshutsu_yotei_date": (
            record.tenshutsu_yotei_date.isoformat() if record.tenshutsu_yotei_date else None
        ),
        "destination_address": record.destination_address,
        "shojo_date": record.shojo_date.isoformat() if record.shojo_date else None,
        "shojo_reason": record.shojo_reason,
    }
    if reveal_my_number is not None:
        data["my_number"] = reveal_my_number
    return data
