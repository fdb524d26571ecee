"""転入 (move-in from another municipality or from abroad), including 再転入.

A household moves in as one 異動: a new 世帯 with exactly one 世帯主. A current resident cannot
move in again; a former resident (除票) moves in again under the same 宛名番号 and
住民票コード, continuing their history; a deceased person cannot move.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from kyodo.atena.itaiji import canonical
from kyodo.atena.models import PersonKind
from kyodo.atena.names import full_name
from kyodo.atena.services import new_juminhyo_code, next_number
from kyodo.platform.audit import record as audit
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.units.juki.models import REMOVED_STATUSES, IdouKind, JuminRecord, Status
from kyodo.units.juki.services.common import (
    SETAINUSHI,
    Address,
    Outcome,
    allocate_household_no,
    append,
    check_date,
    household_projection,
    new_idou,
    sync_person,
)
from kyodo.units.juki.services.identity import find_existing, my_number_values
from kyodo.units.juki.services.inputs import MemberInput, Reader, read_address, read_member

ALREADY_RESIDENT = "{name} は既に住民です（宛名番号 {atena_no}）。転入できません"
DECEASED = "{name} は死亡により消除されています。転入できません"
NOTIFIED_BEFORE_MOVE = "届出日が異動日より前です"
BEFORE_REMOVAL = "{name} の前回の消除日（{shojo_date}）より前の転入はできません"
DUPLICATE_MY_NUMBER = "同じ個人番号が2人に指定されています"
DUPLICATE_MEMBER = "members[{first}] と同じ人です（氏名・生年月日・性別が同じか、同じ住民票）"


@dataclass(frozen=True)
class TenyuRequest:
    moved_on: dt.date
    notified_on: dt.date
    address: Address
    previous_address: str
    members: list[MemberInput]
    from_abroad: bool = False
    # 職権記載 (住所設定): a person found living here without a 転入届; recorded ex officio,
    # dated when they settled, with the date of the municipality's finding as 届出日.
    ex_officio: bool = False


def tenyu(request: TenyuRequest, *, source: str | None = None) -> Outcome:
    check_date(request.moved_on, "異動日", field_name="moved_on", source=source)
    check_date(request.notified_on, "届出日", field_name="notified_on", source=source)
    if request.notified_on < request.moved_on:
        raise ValidationFailed(NOTIFIED_BEFORE_MOVE, field="notified_on", source=source)
    heads = [m for m in request.members if m.relationship == SETAINUSHI]
    if len(heads) != 1:
        raise ValidationFailed(
            f"世帯主は1人でなければなりません（{len(heads)}人）",
            field="members[].relationship",
            source=source,
        )
    numbers = [m.my_number for m in request.members if m.my_number]
    if len(numbers) != len(set(numbers)):
        raise ValidationFailed(DUPLICATE_MY_NUMBER, field="members[].my_number", source=source)
    identities = [
        (canonical(f"{m.family_name}{m.given_name}"), m.alpha_name.upper(), m.birth_date, m.sex)
        for m in request.members
    ]
    for i, identity in enumerate(identities):
        if identity in identities[:i]:
            raise ValidationFailed(
                DUPLICATE_MEMBER.format(first=identities.index(identity)),
                field=f"members[{i}]",
                source=source,
            )
    with transaction.atomic():
        existing = []
        for i, member in enumerate(request.members):
            check_date(
                request.moved_on,
                "異動日",
                field_name=f"members[{i}].birth_date",
                birth=member.birth_date,
                source=source,
            )
            person = find_existing(member)
            name = f"{member.family_name}{member.given_name}"
            if person is not None and person.kind == PersonKind.JUMIN:
                raise ValidationFailed(
                    ALREADY_RESIDENT.format(name=name, atena_no=person.atena_no),
                    field=f"members[{i}]",
                    source=source,
                )
            previous = None
            if person is not None:
                previous = (
                    JuminRecord.objects.filter(atena_no=person.atena_no)
                    .order_by("-rireki_no")
                    .first()
                )
                if previous is not None and previous.status == Status.SHIBOU:
                    raise ValidationFailed(
                        DECEASED.format(name=name), field=f"members[{i}]", source=source
                    )
                if (
                    previous is not None
                    and previous.status in REMOVED_STATUSES
                    and previous.shojo_date is not None
                    and request.moved_on < previous.shojo_date
                ):
                    raise ValidationFailed(
                        BEFORE_REMOVAL.format(name=name, shojo_date=previous.shojo_date),
                        field="moved_on",
                        source=source,
                    )
            same = [j for j, (p, _) in enumerate(existing) if person and p and p.pk == person.pk]
            if same:
                raise ValidationFailed(
                    DUPLICATE_MEMBER.format(first=same[0]), field=f"members[{i}]", source=source
                )
            existing.append((person, previous))
        household_no = allocate_household_no()
        household_projection(household_no, request.address)
        kind = (
            IdouKind.SHOKKEN_KISAI
            if request.ex_officio
            else IdouKind.TENYU_KOKUGAI
            if request.from_abroad
            else IdouKind.TENYU
        )
        idou = new_idou(
            kind,
            idou_date=request.moved_on,
            notified_on=request.notified_on,
            household_no=household_no,
        )
        head = heads[0]
        head_name = full_name(head.family_name, head.given_name)
        records = []
        for member, (person, previous) in zip(request.members, existing, strict=True):
            atena_no = person.atena_no if person is not None else next_number("person")
            code = previous.juminhyo_code if previous is not None else new_juminhyo_code()
            snapshot = append(
                previous,
                idou,
                atena_no=atena_no,
                status=Status.JUMIN,
                household_no=household_no,
                setainushi_name=head_name,
                zokugara=member.relationship,
                family_name=member.family_name,
                given_name=member.given_name,
                family_kana=member.family_kana,
                given_kana=member.given_kana,
                kana_confirmed=False,
                kyuuji=member.kyuuji,
                kyuuji_kana=member.kyuuji_kana,
                birth_date=member.birth_date,
                sex=member.sex,
                postal_code=request.address.postal_code,
                town=request.address.town,
                banchi=request.address.banchi,
                katagaki=request.address.katagaki,
                jumin_date=request.moved_on,
                address_date=request.moved_on,
                previous_address=request.previous_address,
                before_move_address="",
                honseki=member.honseki,
                hittousha=member.hittousha,
                juminhyo_code=code,
                nationality=member.nationality,
                alpha_name=member.alpha_name,
                tsusho=member.tsusho,
                foreign=member.foreign,
                flags={},
                tenshutsu_yotei_date=None,
                destination_address="",
                shojo_date=None,
                shojo_reason="",
            )
            sync_person(snapshot, my_number=my_number_values(member.my_number))
            audit(
                AuditAction.CHANGE,
                object_type="juki.person",
                object_id=atena_no,
                detail={
                    "idou": kind,
                    "rireki_no": snapshot.rireki_no,
                    "re_entry": previous is not None,
                },
            )
            records.append(snapshot)
    return Outcome(idou=idou, records=records)


def read_move_in_data(data: Any, *, source: str) -> TenyuRequest:
    """Parse move-in data (the CLI's file or the API's body); errors name source and path."""
    reader = Reader(data, source=source)
    moved_on = reader.date("moved_on")
    notified_on = reader.date("notified_on")
    assert moved_on is not None and notified_on is not None
    return TenyuRequest(
        moved_on=moved_on,
        notified_on=notified_on,
        address=read_address(reader.child("address")),
        previous_address=reader.text("previous_address", max_length=200),
        members=[read_member(m) for m in reader.items("members")],
        from_abroad=bool(data.get("from_abroad", False)),
        ex_officio=bool(data.get("ex_officio", False)),
    )
