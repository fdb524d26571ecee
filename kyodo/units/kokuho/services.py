"""国保資格の取得・喪失: the clerk's acts, the hub reactions' shared logic and the 75歳 batch.

Legal dates (国民健康保険法, 高齢者の医療の確保に関する法律):
- 取得 (法第7条): the day one comes to have an address in the municipality — the 転入日, or
  the birth date for 出生 (both are the event's 異動日); 社保離脱・生保廃止 the day after the
  other cover ended, as the clerk enters it.
- 喪失 (法第8条第1項): the day after one ceases to have an address in the municipality — for
  転出 the 消除日 + 1 day; for 死亡 (住所を有しなくなる) the day after the death (消除日 + 1).
  社保加入 (法第6条該当): the day after, as the clerk enters it (法第8条第2項: その日).
- 75歳到達 (法第6条第8号, 高確法第52条): the 後期高齢者医療 資格 starts on the 75th
  birthday, so the 国保 資格 is lost on the birthday itself. A person born on 29 February
  reaches it on 1 March in a common year (年齢計算ニ関スル法律: the age is reached at the end of
  28 February; "達した日" is the next day).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from kyodo.atena.models import Person
from kyodo.platform.audit import record as audit
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import current_scope
from kyodo.units.kokuho.events import publish_enrolled, publish_withdrawn
from kyodo.units.kokuho.fuka import reassess_if_assessed
from kyodo.units.kokuho.koki import KOKI_AGE, is_koki, seventy_fifth_birthday
from kyodo.units.kokuho.models import AcquireReason, LoseReason, Shikaku, ShikakuStatus

SETAINUSHI = "世帯主"
CURRENT = (ShikakuStatus.PENDING, ShikakuStatus.ACTIVE)

NO_PENDING = "宛名番号 {atena_no} には確認待ちの国保資格がありません"
NO_CURRENT = "宛名番号 {atena_no} には現在の国保資格がありません"
ALREADY_CURRENT = "宛名番号 {atena_no} には既に国保資格があります（{status}）"
UNKNOWN_PERSON = "宛名番号 {atena_no} の宛名がありません"
KOKI_PERSON = "宛名番号 {atena_no} は {on} に75歳以上です（後期高齢者医療の対象: {birthday} から）"
LOST_BEFORE_ACQUIRED = "資格喪失日（{on}）が資格取得日（{acquired}）より前です"
BEFORE_BIRTH = "資格取得日（{on}）が生年月日（{birth}）より前です"
BAD_REASON = "{label}が不正です: {value}"


# --- legal dates ---------------------------------------------------------------------------


def loss_date_after_removal(shojo_date: dt.date) -> dt.date:
    """法第8条: the 資格 is lost the day after one stops being a resident (転出・死亡)."""
    return shojo_date + dt.timedelta(days=1)


# --- reading ---------------------------------------------------------------------------------


def current_shikaku(atena_no: int) -> Shikaku | None:
    """The person's pending or active 資格 (at most one), locked for update."""
    return (
        Shikaku.objects.select_for_update()
        .filter(atena_no=atena_no, status__in=CURRENT)
        .order_by("-acquired_on", "-id")
        .first()
    )


def history(atena_no: int) -> list[Shikaku]:
    """Every 資格 of a person, newest first (the current one, if any, leads)."""
    return list(Shikaku.objects.filter(atena_no=atena_no).order_by("-acquired_on", "-id"))


def shikaku_json(row: Shikaku) -> dict[str, Any]:
    return {
        "id": row.pk,
        "atena_no": row.atena_no,
        "household_no": row.household_no,
        "status": row.status,
        "status_label": ShikakuStatus(row.status).label,
        "acquired_on": row.acquired_on.isoformat(),
        "acquire_reason": row.acquire_reason,
        "acquire_reason_label": AcquireReason(row.acquire_reason).label,
        "lost_on": row.lost_on.isoformat() if row.lost_on else None,
        "lose_reason": row.lose_reason or None,
        "lose_reason_label": LoseReason(row.lose_reason).label if row.lose_reason else None,
        "confirmed_by": row.confirmed_by or None,
        "source_event": row.source_event,
    }


def setainushi(household_no: int) -> dict[str, Any] | None:
    """The 世帯主 of a 世帯 for 国保 (the 納付義務者), from 宛名: an 擬制世帯主 when the head
    has no 国保 資格 of their own while members of the household do."""
    head = Person.objects.filter(household__household_no=household_no, relationship=SETAINUSHI)
    head_no = head.values_list("atena_no", flat=True).first()
    if head_no is None:
        return None
    insured = set(
        Shikaku.objects.filter(household_no=household_no, status__in=CURRENT).values_list(
            "atena_no", flat=True
        )
    )
    return {"atena_no": head_no, "gisei": head_no not in insured, "insured": sorted(insured)}


# --- acts ------------------------------------------------------------------------------------


def _actor() -> str:
    scope = current_scope()
    return scope.actor.username if scope else "system"


def _audit(row: Shikaku, act: str, **detail: Any) -> None:
    audit(
        AuditAction.CHANGE,
        object_type="kokuho.shikaku",
        object_id=row.atena_no,
        detail={"act": act, "shikaku": row.pk, **detail},
    )


def _birth_date(atena_no: int) -> dt.date:
    birth = Person.objects.filter(atena_no=atena_no).values_list("birth_date", flat=True).first()
    if birth is None:
        raise ValidationFailed(UNKNOWN_PERSON.format(atena_no=atena_no), field="atena_no")
    return birth


def acquire_pending(
    *,
    atena_no: int,
    household_no: int,
    on: dt.date,
    birth_date: dt.date,
    reason: str,
    source_event: int,
) -> Shikaku | None:
    """A hub-reported 転入/出生: a pending 取得 for the clerk to confirm (idempotent on the
    event). Nothing for a person 75 or older on that day (後期高齢者医療), nor for one who
    already has a current 資格."""
    if Shikaku.objects.filter(source_event=source_event, atena_no=atena_no).exists():
        return None
    if is_koki(birth_date, on) or current_shikaku(atena_no) is not None:
        return None
    row = Shikaku.objects.create(
        atena_no=atena_no,
        household_no=household_no,
        status=ShikakuStatus.PENDING,
        acquired_on=on,
        acquire_reason=reason,
        source_event=source_event,
    )
    _audit(row, "acquire_pending", reason=reason, acquired_on=on.isoformat(), event=source_event)
    return row


def end_on_removal(*, atena_no: int, shojo_date: dt.date, reason: str) -> Shikaku | None:
    """A hub-reported 転出/死亡: end the current 資格 (a pending one is cancelled as ended) on
    the day after the 消除日. Idempotent: nothing when no 資格 started on or before it is open."""
    with transaction.atomic():
        row = current_shikaku(atena_no)
        if row is None or row.acquired_on > shojo_date:
            return None
        return _end(row, on=loss_date_after_removal(shojo_date), reason=reason, act="lose_removal")


def cancel_pending(*, atena_no: int, on: dt.date, event: int) -> Shikaku | None:
    """A hub-reported 取消し of the 転入/出生 that made a pending 取得 (the person's record is
    void): that pending 資格 ends as never begun (lost on its own 取得日, reason その他). Not
    enrolled, so nothing is withdrawn. Idempotent: nothing when no such pending row is open."""
    with transaction.atomic():
        row = (
            Shikaku.objects.select_for_update()
            .filter(
                atena_no=atena_no,
                status=ShikakuStatus.PENDING,
                source_event__isnull=False,
                acquired_on=on,
            )
            .order_by("-id")
            .first()
        )
        if row is None:
            return None
        return _end(row, on=row.acquired_on, reason=LoseReason.OTHER, act="cancel", event=event)


def change_household(*, atena_no: int, household_no: int, event: int) -> list[Shikaku]:
    """A hub-reported 世帯分離・合併: the person's open 資格 follow them to their 世帯.
    Idempotent: rows already in that 世帯 are left alone."""
    with transaction.atomic():
        moved = list(
            Shikaku.objects.select_for_update()
            .filter(atena_no=atena_no, status__in=CURRENT)
            .exclude(household_no=household_no)
            .order_by("id")
        )
        for row in moved:
            was = row.household_no
            row.household_no = household_no
            row.save(update_fields=["household_no"])
            _audit(row, "household", was=was, household_no=household_no, event=event)
    return moved


def _end(row: Shikaku, *, on: dt.date, reason: str, act: str, **detail: Any) -> Shikaku:
    """End ``row`` (inside the caller's transaction); an active one is withdrawn on the hub."""
    was = row.status
    row.status = ShikakuStatus.ENDED
    row.lost_on = on
    row.lose_reason = reason
    row.save(update_fields=["status", "lost_on", "lose_reason"])
    _audit(row, act, was=was, lost_on=on.isoformat(), reason=reason, **detail)
    if was == ShikakuStatus.ACTIVE:
        publish_withdrawn(row)
        reassess_if_assessed(row.household_no, on)
    return row


def shikaku_confirm(*, atena_no: int, by: str) -> Shikaku:
    """The clerk confirms a pending 取得 (届出 received): pending → active."""
    with transaction.atomic():
        row = current_shikaku(atena_no)
        if row is None or row.status != ShikakuStatus.PENDING:
            raise ValidationFailed(NO_PENDING.format(atena_no=atena_no), field="atena_no")
        row.status = ShikakuStatus.ACTIVE
        row.confirmed_by = by
        row.save(update_fields=["status", "confirmed_by"])
        _audit(row, "confirm", by=by)
        publish_enrolled(row)
        reassess_if_assessed(row.household_no, row.acquired_on)
    return row


def shikaku_acquire(*, atena_no: int, household_no: int, on: dt.date, reason: str) -> Shikaku:
    """A 取得 the clerk enters directly (社保離脱, 生保廃止, …): active at once."""
    if reason not in AcquireReason.values:
        raise ValidationFailed(BAD_REASON.format(label="取得事由", value=reason), field="reason")
    with transaction.atomic():
        birth = _birth_date(atena_no)
        if on < birth:
            raise ValidationFailed(BEFORE_BIRTH.format(on=on, birth=birth), field="on")
        if is_koki(birth, on):
            raise ValidationFailed(
                KOKI_PERSON.format(
                    atena_no=atena_no, on=on, birthday=seventy_fifth_birthday(birth)
                ),
                field="on",
            )
        existing = current_shikaku(atena_no)
        if existing is not None:
            raise ValidationFailed(
                ALREADY_CURRENT.format(
                    atena_no=atena_no, status=ShikakuStatus(existing.status).label
                ),
                field="atena_no",
            )
        row = Shikaku.objects.create(
            atena_no=atena_no,
            household_no=household_no,
            status=ShikakuStatus.ACTIVE,
            acquired_on=on,
            acquire_reason=reason,
            confirmed_by=_actor(),
        )
        _audit(row, "acquire", reason=reason, acquired_on=on.isoformat())
        publish_enrolled(row)
        reassess_if_assessed(row.household_no, row.acquired_on)
    return row


def shikaku_lose(*, atena_no: int, on: dt.date, reason: str) -> Shikaku:
    """A 喪失 the clerk enters (社保加入, …), ``on`` being the 資格喪失日."""
    if reason not in LoseReason.values:
        raise ValidationFailed(BAD_REASON.format(label="喪失事由", value=reason), field="reason")
    with transaction.atomic():
        row = current_shikaku(atena_no)
        if row is None:
            raise ValidationFailed(NO_CURRENT.format(atena_no=atena_no), field="atena_no")
        if on < row.acquired_on:
            raise ValidationFailed(
                LOST_BEFORE_ACQUIRED.format(on=on, acquired=row.acquired_on), field="on"
            )
        return _end(row, on=on, reason=reason, act="lose")


def end_at_75(*, on: dt.date) -> list[Shikaku]:
    """The daily batch: end every active 資格 whose person reaches 75 on or before ``on``,
    lost on the 75th birthday (reason 75歳到達). Idempotent: ended rows are not active."""
    # Born on or before this date ⇒ 75th birthday on or before ``on`` (29 Feb: see above).
    try:
        latest_birth = on.replace(year=on.year - KOKI_AGE)
    except ValueError:
        latest_birth = dt.date(on.year - KOKI_AGE, 2, 28)
    with transaction.atomic():
        births = dict(
            Person.objects.filter(birth_date__lte=latest_birth)
            .filter(
                atena_no__in=Shikaku.objects.filter(status=ShikakuStatus.ACTIVE).values("atena_no")
            )
            .values_list("atena_no", "birth_date")
        )
        ended = []
        rows = (
            Shikaku.objects.select_for_update()
            .filter(status=ShikakuStatus.ACTIVE, atena_no__in=list(births))
            .order_by("atena_no", "id")
        )
        for row in rows:
            birthday = seventy_fifth_birthday(births[row.atena_no])
            if birthday <= on:
                # Lost on the birthday, but never before the 資格 began.
                lost_on = max(birthday, row.acquired_on)
                ended.append(_end(row, on=lost_on, reason=LoseReason.KOKI_75, act="lose_75"))
    return ended
