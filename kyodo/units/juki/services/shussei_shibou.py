"""出生 and 死亡: 職権 records driven by the 戸籍 notification (standards.md §1.7)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Min

from kyodo.atena.services import new_juminhyo_code, next_number
from kyodo.platform.audit import record as audit
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.units.juki.models import IdouKind, JuminRecord, Status
from kyodo.units.juki.services.common import (
    SETAINUSHI,
    Outcome,
    append,
    check_date,
    check_while_resident,
    household_current,
    latest_current,
    new_idou,
    sync_person,
)
from kyodo.units.juki.services.identity import my_number_values
from kyodo.units.juki.services.inputs import MemberInput

UNKNOWN_HOUSEHOLD = "世帯番号 {household_no} に現在の世帯員がいません"
BORN_BEFORE_HOUSEHOLD = (
    "生年月日（{birth}）が世帯 {household_no} の記載日（{formed_on}）より前です。"
    "世帯ができる前に生まれた人は転入等で記載してください"
)
HEAD_DIED = "世帯主が死亡しました。残る世帯員に世帯主変更の届出が必要です（世帯主変更依頼通知書）"


def shussei(
    *, household_no: int, child: MemberInput, notified_on: dt.date, source: str | None = None
) -> Outcome:
    """A newborn enters the household on the birth date (出生, 職権記載)."""
    check_date(child.birth_date, "生年月日", field_name="birth_date", source=source)
    check_date(
        notified_on, "届出日", field_name="notified_on", birth=child.birth_date, source=source
    )
    if child.relationship == SETAINUSHI:
        raise ValidationFailed("新生児は世帯主になれません", field="relationship", source=source)
    with transaction.atomic():
        members = household_current(household_no)
        if not members:
            raise ValidationFailed(
                UNKNOWN_HOUSEHOLD.format(household_no=household_no),
                field="household_no",
                source=source,
            )
        formed_on = JuminRecord.objects.filter(household_no=household_no).aggregate(
            first=Min("idou_date")
        )["first"]
        if child.birth_date < formed_on:
            raise ValidationFailed(
                BORN_BEFORE_HOUSEHOLD.format(
                    birth=child.birth_date, household_no=household_no, formed_on=formed_on
                ),
                field="birth_date",
                source=source,
            )
        base = members[0]
        idou = new_idou(
            IdouKind.SHUSSEI,
            idou_date=child.birth_date,
            notified_on=notified_on,
            household_no=household_no,
        )
        atena_no = next_number("person")
        snapshot = append(
            None,
            idou,
            atena_no=atena_no,
            status=Status.JUMIN,
            household_no=household_no,
            setainushi_name=base.setainushi_name,
            zokugara=child.relationship,
            family_name=child.family_name,
            given_name=child.given_name,
            family_kana=child.family_kana,
            given_kana=child.given_kana,
            birth_date=child.birth_date,
            sex=child.sex,
            postal_code=base.postal_code,
            town=base.town,
            banchi=base.banchi,
            katagaki=base.katagaki,
            jumin_date=child.birth_date,
            address_date=child.birth_date,
            honseki=child.honseki or base.honseki,
            hittousha=child.hittousha or base.hittousha,
            juminhyo_code=new_juminhyo_code(),
            nationality=child.nationality,
            alpha_name=child.alpha_name,
            foreign=child.foreign,
        )
        sync_person(snapshot, my_number=my_number_values(child.my_number))
        audit(
            AuditAction.CHANGE,
            object_type="juki.person",
            object_id=atena_no,
            detail={"idou": idou.kind, "rireki_no": 1},
        )
    return Outcome(idou=idou, records=[snapshot])


def shibou(
    *,
    atena_no: int,
    died_on: dt.date,
    notified_on: dt.date | None = None,
    source: str | None = None,
) -> Outcome:
    """A resident died: the record is removed as of the date of death (死亡, 職権消除)."""
    with transaction.atomic():
        record = latest_current(atena_no)
        check_date(died_on, "死亡日", field_name="died_on", birth=record.birth_date, source=source)
        check_while_resident([record], died_on, "死亡日", field_name="died_on", source=source)
        idou = new_idou(
            IdouKind.SHIBOU,
            idou_date=died_on,
            notified_on=notified_on,
            household_no=record.household_no,
        )
        snapshot = append(
            record, idou, status=Status.SHIBOU, shojo_date=died_on, shojo_reason=IdouKind.SHIBOU
        )
        sync_person(snapshot)
        audit(
            AuditAction.CHANGE,
            object_type="juki.person",
            object_id=atena_no,
            detail={"idou": idou.kind, "rireki_no": snapshot.rireki_no},
        )
        notices = []
        if record.zokugara == SETAINUSHI and household_current(record.household_no):
            notices.append(HEAD_DIED)
    return Outcome(idou=idou, records=[snapshot], notices=notices)
