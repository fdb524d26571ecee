"""職権修正 and 職権消除 (ex-officio correction and removal), and 異動の取消し."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from kyodo.platform.audit import record as audit
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.units.juki.models import (
    CURRENT_STATUSES,
    Idou,
    IdouGroup,
    IdouKind,
    JuminRecord,
    Status,
)
from kyodo.units.juki.services.common import (
    SETAINUSHI,
    Address,
    Outcome,
    append,
    check_date,
    check_while_resident,
    household_current,
    household_projection,
    latest,
    latest_current,
    new_idou,
    sync_person,
)

# Items a 職権修正 may change; everything else changes only through its own 異動.
CORRECTABLE = {
    "family_name",
    "given_name",
    "family_kana",
    "given_kana",
    "kana_confirmed",
    "kyuuji",
    "kyuuji_kana",
    "birth_date",
    "sex",
    "honseki",
    "hittousha",
    "alpha_name",
    "tsusho",
    "foreign",
    "flags",
    "previous_address",
    "jumin_date",
    "address_date",
}
NOT_CORRECTABLE = "{item} は職権修正では変更できません（対応する異動で行ってください）"
HOUSEHOLD_ITEMS = "方書・郵便番号は世帯単位で修正します（jusho_shusei）"
LATER_CHANGES = "宛名番号 {atena_no} にはこの異動より後の異動があるため取り消せません"
ALREADY_CANCELLED = "この異動は既に取り消されています"
BIRTH_AFTER_JUMIN = "生年月日が住民となった日より後になります"
HOUSEHOLD_CHANGED_SINCE = (
    "世帯 {household_no} にはその後の異動（世帯主変更・転居など）があるため取り消せません。"
    "先にそれらを取り消してください"
)
ADDRESS_BEFORE_JUMIN = "住所を定めた年月日が住民となった日より前になります"


def shokken_shusei(
    *,
    atena_no: int,
    changes: dict[str, Any],
    corrected_on: dt.date,
    reason: str,
    source: str | None = None,
) -> Outcome:
    """Correct items of a current or removed record (職権修正); a full new snapshot."""
    if not reason.strip():
        raise ValidationFailed("修正理由は必須です", field="reason", source=source)
    if {"katagaki", "postal_code"} & set(changes):
        raise ValidationFailed(HOUSEHOLD_ITEMS, field="katagaki", source=source)
    unknown = sorted(set(changes) - CORRECTABLE)
    if unknown:
        raise ValidationFailed(
            NOT_CORRECTABLE.format(item=unknown[0]), field=unknown[0], source=source
        )
    if not changes:
        raise ValidationFailed("修正する項目がありません", field="changes", source=source)
    check_date(corrected_on, "異動日", field_name="corrected_on", source=source)
    with transaction.atomic():
        record = latest(atena_no)
        if record.status == Status.VOID:
            raise ValidationFailed(
                "取り消された記録は修正できません", field="atena_no", source=source
            )
        birth = changes.get("birth_date", record.birth_date)
        if "birth_date" in changes and record.jumin_date == record.birth_date:
            # Born here (出生): 住民となった日 (and 住所を定めた日 until a 転居) is the birth
            # date, so they follow its correction unless corrected themselves.
            follow = {"jumin_date": birth}
            if record.address_date == record.birth_date:
                follow["address_date"] = birth
            changes = {**follow, **changes}
        jumin = changes.get("jumin_date", record.jumin_date)
        address_date = changes.get("address_date", record.address_date)
        check_date(birth, "生年月日", field_name="birth_date", source=source)
        check_date(jumin, "住民となった日", field_name="jumin_date", source=source)
        check_date(address_date, "住所を定めた日", field_name="address_date", source=source)
        if jumin < birth:
            raise ValidationFailed(BIRTH_AFTER_JUMIN, field="birth_date", source=source)
        if address_date < jumin:
            raise ValidationFailed(ADDRESS_BEFORE_JUMIN, field="address_date", source=source)
        idou = new_idou(
            IdouKind.SHOKKEN_SHUSEI,
            idou_date=corrected_on,
            household_no=record.household_no,
            note=reason,
        )
        snapshot = append(record, idou, **changes)
        sync_person(snapshot)
        audit(
            AuditAction.CHANGE,
            object_type="juki.person",
            object_id=atena_no,
            detail={
                "idou": idou.kind,
                "rireki_no": snapshot.rireki_no,
                "items": sorted(changes),
                "reason": reason,
            },
        )
    return Outcome(idou=idou, records=[snapshot])


def shokken_shojo(
    *, atena_no: int, removed_on: dt.date, reason: str, source: str | None = None
) -> Outcome:
    """Remove a record ex officio (e.g. no longer living at the address, 実態調査)."""
    if not reason.strip():
        raise ValidationFailed("消除理由は必須です", field="reason", source=source)
    with transaction.atomic():
        record = latest_current(atena_no)
        check_date(
            removed_on, "消除日", field_name="removed_on", birth=record.birth_date, source=source
        )
        check_while_resident([record], removed_on, "消除日", field_name="removed_on", source=source)
        others = [r for r in household_current(record.household_no) if r.atena_no != atena_no]
        if record.zokugara == SETAINUSHI and others:
            raise ValidationFailed(
                "世帯主を消除する前に世帯主変更を行ってください", field="atena_no", source=source
            )
        idou = new_idou(
            IdouKind.SHOKKEN_SHOJO,
            idou_date=removed_on,
            household_no=record.household_no,
            note=reason,
        )
        snapshot = append(
            record,
            idou,
            status=Status.SHOJO,
            shojo_date=removed_on,
            shojo_reason=IdouKind.SHOKKEN_SHOJO,
        )
        sync_person(snapshot)
        audit(
            AuditAction.CHANGE,
            object_type="juki.person",
            object_id=atena_no,
            detail={"idou": idou.kind, "rireki_no": snapshot.rireki_no, "reason": reason},
        )
    return Outcome(idou=idou, records=[snapshot])


def torikeshi(*, idou_id: int, reason: str, source: str | None = None) -> Outcome:
    """異動の取消し: undo a 異動 that was entered by mistake.

    Each person's state before that 異動 is appended again as a new snapshot (history keeps
    both the mistake and its cancellation). Only a person's latest 異動 can be cancelled.
    A cancelled 記載 (e.g. a 転入) leaves the person with no record (status 取消).
    """
    if not reason.strip():
        raise ValidationFailed("取消理由は必須です", field="reason", source=source)
    with transaction.atomic():
        target = Idou.objects.filter(pk=idou_id).first()
        if target is None:
            raise ValidationFailed(f"異動 {idou_id} はありません", field="idou", source=source)
        if target.kind == IdouKind.TORIKESHI:
            raise ValidationFailed("取消しの取消しはできません", field="idou", source=source)
        if Idou.objects.filter(cancels=target).exists():
            raise ValidationFailed(ALREADY_CANCELLED, field="idou", source=source)
        records = list(JuminRecord.objects.filter(idou=target).order_by("atena_no"))
        for record in records:
            if latest(record.atena_no).rireki_no != record.rireki_no:
                raise ValidationFailed(
                    LATER_CHANGES.format(atena_no=record.atena_no), field="idou", source=source
                )
        idou = new_idou(
            IdouKind.TORIKESHI,
            idou_date=target.idou_date,
            household_no=target.household_no,
            note=reason,
            cancels=target,
        )
        snapshots = []
        for record in records:
            before = JuminRecord.objects.filter(
                atena_no=record.atena_no, rireki_no=record.rireki_no - 1
            ).first()
            if before is None:
                snapshot = append(record, idou, status=Status.VOID, group=IdouGroup.SHOJO)
            else:
                was_current = before.status in CURRENT_STATUSES
                is_current = record.status in CURRENT_STATUSES
                group = (
                    IdouGroup.KISAI
                    if was_current and not is_current
                    else IdouGroup.SHOJO
                    if is_current and not was_current
                    else IdouGroup.SHUSEI
                )
                restored = {
                    f.name: getattr(before, f.name)
                    for f in JuminRecord._meta.fields
                    if f.name
                    not in {
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
                }
                snapshot = append(record, idou, group=group, **restored)
            if snapshot.status in CURRENT_STATUSES:
                household_projection(
                    snapshot.household_no,
                    Address(
                        town=snapshot.town,
                        banchi=snapshot.banchi,
                        katagaki=snapshot.katagaki,
                        postal_code=snapshot.postal_code,
                    ),
                )
            sync_person(snapshot)
            audit(
                AuditAction.CHANGE,
                object_type="juki.person",
                object_id=record.atena_no,
                detail={"idou": idou.kind, "cancels": target.pk, "reason": reason},
            )
            snapshots.append(snapshot)
        # Others in the household may have changed since (a new 世帯主 after a death, a 転居):
        # restoring must not leave it with two heads or two addresses.
        for household_no in sorted(
            {s.household_no for s in snapshots if s.status in CURRENT_STATUSES}
        ):
            members = household_current(household_no)
            heads = sum(r.zokugara == SETAINUSHI for r in members)
            if heads > 1 or len({(r.town, r.banchi, r.katagaki) for r in members}) > 1:
                raise ValidationFailed(
                    HOUSEHOLD_CHANGED_SINCE.format(household_no=household_no),
                    field="idou",
                    source=source,
                )
    return Outcome(idou=idou, records=snapshots)


def jusho_shusei(
    *,
    household_no: int,
    corrected_on: dt.date,
    reason: str,
    katagaki: str | None = None,
    postal_code: str | None = None,
    source: str | None = None,
) -> Outcome:
    """軽微な修正 of the household's 方書 or 郵便番号: one snapshot per member, and the
    世帯 projection, so the household never disagrees with itself."""
    if not reason.strip():
        raise ValidationFailed("修正理由は必須です", field="reason", source=source)
    if katagaki is None and postal_code is None:
        raise ValidationFailed("修正する項目がありません", field="changes", source=source)
    check_date(corrected_on, "異動日", field_name="corrected_on", source=source)
    with transaction.atomic():
        members = household_current(household_no)
        if not members:
            raise ValidationFailed(
                f"世帯番号 {household_no} に現在の世帯員がいません",
                field="household_no",
                source=source,
            )
        changes = {
            k: v for k, v in (("katagaki", katagaki), ("postal_code", postal_code)) if v is not None
        }
        first = members[0]
        household_projection(
            household_no,
            Address(
                town=first.town,
                banchi=first.banchi,
                katagaki=changes.get("katagaki", first.katagaki),
                postal_code=changes.get("postal_code", first.postal_code),
            ),
        )
        idou = new_idou(
            IdouKind.SHOKKEN_SHUSEI, idou_date=corrected_on, household_no=household_no, note=reason
        )
        snapshots = [append(r, idou, **changes) for r in members]
        for snapshot in snapshots:
            sync_person(snapshot)
            audit(
                AuditAction.CHANGE,
                object_type="juki.person",
                object_id=snapshot.atena_no,
                detail={
                    "idou": idou.kind,
                    "rireki_no": snapshot.rireki_no,
                    "items": sorted(changes),
                    "reason": reason,
                },
            )
    return Outcome(idou=idou, records=snapshots)
