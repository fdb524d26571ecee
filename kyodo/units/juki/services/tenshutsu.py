"""転出: the 転出届 (planned move-out) and its 確定 when the 転入通知 arrives; 国外転出.

After a 転出届 the person is still a resident (status 転出予定) until the new municipality's
転入通知; the record is then removed as of the earlier of the planned date and the actual
move-in date (standards.md §1.10). A move abroad is removed on the planned date at once.
A 世帯主 cannot leave while other members stay: file a 世帯主変更 first.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

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
    latest,
    latest_current,
    new_idou,
    sync_person,
)

HEAD_LEAVES_ALONE = (
    "世帯主だけが転出すると残る世帯員の世帯主がいなくなります。先に世帯主変更を届け出てください"
)
NOT_PENDING = "宛名番号 {atena_no} には転出予定がありません"
ALREADY_PENDING = "宛名番号 {atena_no} は既に転出予定です"
PLANNED_TOO_EARLY = "転出予定日は届出日の前後14日以内にしてください"
NO_PERSONS = "転出する人を指定してください"
DUPLICATE_PERSON = "宛名番号 {atena_no} が重複しています"


def tenshutsu_yotei(
    *,
    atena_nos: list[int],
    moved_on: dt.date,
    notified_on: dt.date,
    destination: str,
    abroad: bool = False,
    source: str | None = None,
) -> Outcome:
    """Record a 転出届: planned move-out of these persons (a whole household or part)."""
    check_date(notified_on, "届出日", field_name="notified_on", source=source)
    if not destination.strip():
        raise ValidationFailed("転出先住所は必須です", field="to", source=source)
    if abs((moved_on - notified_on).days) > 14:
        raise ValidationFailed(PLANNED_TOO_EARLY, field="moved_on", source=source)
    if not atena_nos:
        raise ValidationFailed(NO_PERSONS, field="atena_no", source=source)
    duplicates = [n for i, n in enumerate(atena_nos) if n in atena_nos[:i]]
    if duplicates:
        raise ValidationFailed(
            DUPLICATE_PERSON.format(atena_no=duplicates[0]), field="atena_no", source=source
        )
    with transaction.atomic():
        current = [latest_current(n) for n in atena_nos]
        for record in current:
            if record.status == Status.TENSHUTSU_YOTEI:
                raise ValidationFailed(
                    ALREADY_PENDING.format(atena_no=record.atena_no),
                    field="atena_no",
                    source=source,
                )
            if moved_on < record.birth_date:
                raise ValidationFailed(
                    "転出予定日が生年月日より前です", field="moved_on", source=source
                )
        check_while_resident(current, moved_on, "転出予定日", field_name="moved_on", source=source)
        check_while_resident(
            current, notified_on, "届出日", field_name="notified_on", source=source
        )
        _check_head_not_left_behind(current, source=source)
        household_no = current[0].household_no
        if abroad:
            idou = new_idou(
                IdouKind.TENSHUTSU_KOKUGAI,
                idou_date=moved_on,
                notified_on=notified_on,
                household_no=household_no,
            )
            records = [
                append(
                    r,
                    idou,
                    status=Status.TENSHUTSU,
                    tenshutsu_yotei_date=moved_on,
                    destination_address=destination,
                    shojo_date=moved_on,
                    shojo_reason=IdouKind.TENSHUTSU_KOKUGAI,
                )
                for r in current
            ]
        else:
            idou = new_idou(
                IdouKind.TENSHUTSU_YOTEI,
                idou_date=notified_on,
                notified_on=notified_on,
                household_no=household_no,
            )
            records = [
                append(
                    r,
                    idou,
                    status=Status.TENSHUTSU_YOTEI,
                    tenshutsu_yotei_date=moved_on,
                    destination_address=destination,
                )
                for r in current
            ]
        for snapshot in records:
            sync_person(snapshot)
            audit(
                AuditAction.CHANGE,
                object_type="juki.person",
                object_id=snapshot.atena_no,
                detail={"idou": idou.kind, "rireki_no": snapshot.rireki_no},
            )
    return Outcome(idou=idou, records=records)


def tenshutsu_kakutei(
    *,
    atena_no: int,
    moved_in_on: dt.date,
    notified_on: dt.date | None = None,
    destination: str | None = None,
    source: str | None = None,
) -> Outcome:
    """The 転入通知 arrived: remove the record as of min(planned date, actual move-in)."""
    check_date(moved_in_on, "転入日", field_name="moved_in_on", source=source)
    with transaction.atomic():
        record = latest(atena_no)
        if record.status != Status.TENSHUTSU_YOTEI or record.tenshutsu_yotei_date is None:
            raise ValidationFailed(
                NOT_PENDING.format(atena_no=atena_no), field="atena_no", source=source
            )
        removed_on = min(record.tenshutsu_yotei_date, moved_in_on)
        check_while_resident(
            [record], removed_on, "転入日", field_name="moved_in_on", source=source
        )
        idou = new_idou(
            IdouKind.TENSHUTSU,
            idou_date=removed_on,
            notified_on=notified_on or record.notified_on,
            household_no=record.household_no,
            note="転入通知による確定",
        )
        snapshot = append(
            record,
            idou,
            status=Status.TENSHUTSU,
            shojo_date=removed_on,
            shojo_reason=IdouKind.TENSHUTSU,
            destination_address=destination or record.destination_address,
        )
        sync_person(snapshot)
        audit(
            AuditAction.CHANGE,
            object_type="juki.person",
            object_id=atena_no,
            detail={"idou": idou.kind, "rireki_no": snapshot.rireki_no},
        )
    return Outcome(idou=idou, records=[snapshot])


def _check_head_not_left_behind(leaving: list[JuminRecord], *, source: str | None) -> None:
    households = {r.household_no for r in leaving}
    if len(households) != 1:
        raise ValidationFailed(
            "一度に転出できるのは同じ世帯の人だけです", field="atena_no", source=source
        )
    leaving_nos = {r.atena_no for r in leaving}
    remaining = [
        r for r in household_current(leaving[0].household_no) if r.atena_no not in leaving_nos
    ]
    if remaining and any(r.zokugara == SETAINUSHI for r in leaving):
        raise ValidationFailed(HEAD_LEAVES_ALONE, field="atena_no", source=source)
