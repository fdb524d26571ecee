"""転居 (a move within the municipality) and 世帯変更 (分離, 合併, 世帯主変更)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kyodo.platform.audit import record as audit
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.units.juki.models import IdouKind, JuminRecord
from kyodo.units.juki.services.common import (
    SETAINUSHI,
    Address,
    Outcome,
    allocate_household_no,
    append,
    check_date,
    check_while_resident,
    ensure_one_head,
    household_current,
    household_projection,
    new_idou,
    sync_person,
    validated_zokugara,
)

NO_MEMBERS = "世帯番号 {household_no} に現在の世帯員がいません"
SAME_ADDRESS = "転居先が現在の住所と同じです"


def _members(household_no: int, source: str | None) -> list[JuminRecord]:
    members = household_current(household_no)
    if not members:
        raise ValidationFailed(
            NO_MEMBERS.format(household_no=household_no), field="household_no", source=source
        )
    return members


def _finish(idou_kind: str, snapshots: list[JuminRecord], idou: object) -> None:
    for snapshot in snapshots:
        sync_person(snapshot)
        audit(
            AuditAction.CHANGE,
            object_type="juki.person",
            object_id=snapshot.atena_no,
            detail={"idou": idou_kind, "rireki_no": snapshot.rireki_no},
        )


def tenkyo(
    *,
    household_no: int,
    moved_on: dt.date,
    notified_on: dt.date,
    address: Address,
    source: str | None = None,
) -> Outcome:
    """The whole household moves to another address in the municipality (転居)."""
    check_date(moved_on, "異動日", field_name="moved_on", source=source)
    check_date(notified_on, "届出日", field_name="notified_on", source=source)
    if notified_on < moved_on:
        raise ValidationFailed("届出日が異動日より前です", field="notified_on", source=source)
    with transaction.atomic():
        members = _members(household_no, source)
        check_while_resident(members, moved_on, "異動日", field_name="moved_on", source=source)
        if (members[0].town, members[0].banchi, members[0].katagaki) == (
            address.town,
            address.banchi,
            address.katagaki,
        ):
            raise ValidationFailed(SAME_ADDRESS, field="address", source=source)
        idou = new_idou(
            IdouKind.TENKYO, idou_date=moved_on, notified_on=notified_on, household_no=household_no
        )
        household_projection(household_no, address)
        snapshots = [
            append(
                r,
                idou,
                town=address.town,
                banchi=address.banchi,
                katagaki=address.katagaki,
                postal_code=address.postal_code,
                address_date=moved_on,
                before_move_address=r.address,
            )
            for r in members
        ]
        _finish(idou.kind, snapshots, idou)
    return Outcome(idou=idou, records=snapshots)


def setainushi_henko(
    *,
    household_no: int,
    new_head: int,
    zokugara: dict[int, str],
    changed_on: dt.date,
    notified_on: dt.date | None = None,
    source: str | None = None,
) -> Outcome:
    """世帯主変更: a new head, and every member's 続柄 restated relative to them."""
    check_date(changed_on, "異動日", field_name="changed_on", source=source)
    with transaction.atomic():
        members = _members(household_no, source)
        by_no = {r.atena_no: r for r in members}
        strangers = sorted(set(zokugara) - set(by_no))
        if strangers:
            raise ValidationFailed(
                f"宛名番号 {strangers[0]} はこの世帯の世帯員ではありません",
                field=f"zokugara.{strangers[0]}",
                source=source,
            )
        check_while_resident(members, changed_on, "異動日", field_name="changed_on", source=source)
        if new_head not in by_no:
            raise ValidationFailed(
                "新しい世帯主はこの世帯の世帯員ではありません", field="new_head", source=source
            )
        relations = {new_head: SETAINUSHI}
        for atena_no in by_no:
            if atena_no == new_head:
                continue
            if atena_no not in zokugara:
                raise ValidationFailed(
                    f"宛名番号 {atena_no} の新しい続柄がありません",
                    field=f"zokugara.{atena_no}",
                    source=source,
                )
            relations[atena_no] = validated_zokugara(
                zokugara[atena_no], field_name=f"zokugara.{atena_no}", source=source
            )
        if list(relations.values()).count(SETAINUSHI) != 1:
            raise ValidationFailed(
                "世帯主は1人でなければなりません", field="zokugara", source=source
            )
        head = by_no[new_head]
        head_name = head.full_name
        idou = new_idou(
            IdouKind.SETAINUSHI_HENKO,
            idou_date=changed_on,
            notified_on=notified_on,
            household_no=household_no,
        )
        snapshots = [
            append(r, idou, setainushi_name=head_name, zokugara=relations[n])
            for n, r in by_no.items()
        ]
        _finish(idou.kind, snapshots, idou)
    return Outcome(idou=idou, records=snapshots)


def setai_bunri(
    *,
    household_no: int,
    leaving: dict[int, str],
    changed_on: dt.date,
    notified_on: dt.date | None = None,
    source: str | None = None,
) -> Outcome:
    """世帯分離: ``leaving`` (宛名番号 → new 続柄, one of them 世帯主) form a new household at
    the same address; the household left behind keeps its head."""
    check_date(changed_on, "異動日", field_name="changed_on", source=source)
    with transaction.atomic():
        members = _members(household_no, source)
        by_no = {r.atena_no: r for r in members}
        unknown = [n for n in leaving if n not in by_no]
        if unknown:
            raise ValidationFailed(
                f"宛名番号 {unknown[0]} はこの世帯の世帯員ではありません",
                field="leaving",
                source=source,
            )
        relations = {
            n: validated_zokugara(z, field_name=f"leaving.{n}", source=source)
            for n, z in leaving.items()
        }
        check_while_resident(
            [by_no[n] for n in leaving],
            changed_on,
            "異動日",
            field_name="changed_on",
            source=source,
        )
        remaining = [r for n, r in by_no.items() if n not in leaving]
        if not remaining:
            raise ValidationFailed(
                "全員が分離すると元の世帯が残りません", field="leaving", source=source
            )
        ensure_one_head(remaining, household_no=household_no)
        if list(relations.values()).count(SETAINUSHI) != 1:
            raise ValidationFailed(
                "新しい世帯の世帯主は1人でなければなりません", field="leaving", source=source
            )
        new_no = allocate_household_no()
        first = members[0]
        household_projection(new_no, _address_of(first))
        head_no = next(n for n, z in relations.items() if z == SETAINUSHI)
        head = by_no[head_no]
        head_name = head.full_name
        idou = new_idou(
            IdouKind.SETAI_BUNRI,
            idou_date=changed_on,
            notified_on=notified_on,
            household_no=new_no,
            note=f"分離元世帯 {household_no}",
        )
        snapshots = [
            append(by_no[n], idou, household_no=new_no, setainushi_name=head_name, zokugara=z)
            for n, z in relations.items()
        ]
        _finish(idou.kind, snapshots, idou)
    return Outcome(idou=idou, records=snapshots)


def setai_gappei(
    *,
    from_household_no: int,
    into_household_no: int,
    zokugara: dict[int, str],
    changed_on: dt.date,
    notified_on: dt.date | None = None,
    source: str | None = None,
) -> Outcome:
    """世帯合併: every member of one household joins another at the same address."""
    check_date(changed_on, "異動日", field_name="changed_on", source=source)
    if from_household_no == into_household_no:
        raise ValidationFailed("同じ世帯どうしは合併できません", field="into", source=source)
    with transaction.atomic():
        joining = _members(from_household_no, source)
        target = _members(into_household_no, source)
        check_while_resident(joining, changed_on, "異動日", field_name="changed_on", source=source)
        if _address_of(joining[0]) != _address_of(target[0]):
            raise ValidationFailed(
                "世帯合併は同じ住所の世帯どうしに限ります（異なる場合は転居）",
                field="into",
                source=source,
            )
        relations = {}
        for record in joining:
            if record.atena_no not in zokugara:
                raise ValidationFailed(
                    f"宛名番号 {record.atena_no} の新しい続柄がありません",
                    field=f"zokugara.{record.atena_no}",
                    source=source,
                )
            relations[record.atena_no] = validated_zokugara(
                zokugara[record.atena_no], field_name=f"zokugara.{record.atena_no}", source=source
            )
        if SETAINUSHI in relations.values():
            raise ValidationFailed(
                "合併先の世帯には既に世帯主がいます", field="zokugara", source=source
            )
        head_name = target[0].setainushi_name
        idou = new_idou(
            IdouKind.SETAI_GAPPEI,
            idou_date=changed_on,
            notified_on=notified_on,
            household_no=into_household_no,
            note=f"合併元世帯 {from_household_no}",
        )
        snapshots = [
            append(
                r,
                idou,
                household_no=into_household_no,
                setainushi_name=head_name,
                zokugara=relations[r.atena_no],
            )
            for r in joining
        ]
        _finish(idou.kind, snapshots, idou)
    return Outcome(idou=idou, records=snapshots)


def _address_of(record: JuminRecord) -> Address:
    return Address(
        town=record.town,
        banchi=record.banchi,
        katagaki=record.katagaki,
        postal_code=record.postal_code,
    )
