"""Reactions to the linkage hub's juki.* events (run in the dispatcher's tenant scope).

- juki.moved_in / juki.born → a pending 取得 (転入 / 出生) on the 異動日, for the clerk to
  confirm; nothing for a person 75 or older that day (後期高齢者医療).
- juki.moved_out / juki.died → the current 資格 ends on the 消除日 + 1 (法第8条).
- juki.corrected with status "void" (a cancelled 転入/出生: the person has no record) → the
  pending 取得 that event made is cancelled (ended, reason その他); other corrections are
  ignored.
- juki.household_changed (世帯分離・合併) → the person's open 資格 move to the new 世帯.
- zei_kojin.assessed → the person's 所得 for the 年度 (国保税 is assessed on it).

Every handler is idempotent on the event (redelivery changes nothing).
"""

from __future__ import annotations

import datetime as dt

from kyodo.linkage.catalogue import Event, subscribe
from kyodo.units.kokuho.models import AcquireReason, LoseReason, Shotoku
from kyodo.units.kokuho.services import (
    acquire_pending,
    cancel_pending,
    change_household,
    end_on_removal,
)

SUBSCRIBER = "kokuho"
VOID = "void"  # juki's 住民状態 of a cancelled 記載 (取消・記載なし)


def _date(value: object) -> dt.date:
    return dt.date.fromisoformat(str(value))


def _atena_no(event: Event) -> int:
    return int(event.payload.get("atena_no") or event.atena_no)  # type: ignore[arg-type]


def _acquire(event: Event, reason: str) -> None:
    acquire_pending(
        atena_no=_atena_no(event),
        household_no=int(event.payload["household_no"]),
        on=_date(event.payload["idou_date"]),
        birth_date=_date(event.payload["birth_date"]),
        reason=reason,
        source_event=event.id,
    )


def on_moved_in(event: Event) -> None:
    _acquire(event, AcquireReason.TENNYU)


def on_born(event: Event) -> None:
    _acquire(event, AcquireReason.SHUSSEI)


def _end(event: Event, reason: str) -> None:
    end_on_removal(
        atena_no=_atena_no(event), shojo_date=_date(event.payload["shojo_date"]), reason=reason
    )


def on_moved_out(event: Event) -> None:
    _end(event, LoseReason.TENSHUTSU)


def on_died(event: Event) -> None:
    _end(event, LoseReason.SHIBOU)


def on_corrected(event: Event) -> None:
    if event.payload.get("status") != VOID:
        return
    cancel_pending(atena_no=_atena_no(event), on=_date(event.payload["idou_date"]), event=event.id)


def on_household_changed(event: Event) -> None:
    change_household(
        atena_no=_atena_no(event),
        household_no=int(event.payload["household_no"]),
        event=event.id,
    )


def on_assessed(event: Event) -> None:
    """zei_kojin.assessed: keep the income 国保税 is assessed on (idempotent on the event)."""
    p = event.payload
    Shotoku.objects.get_or_create(
        source_event=event.id,
        defaults={
            "atena_no": int(p["atena_no"]),
            "fiscal_year": int(p["fiscal_year"]),
            "revision": int(p["revision"]),
            "so_shotoku": int(p["so_shotoku"]),
            "salary_income": int(p["salary_income"]),
            "pension_income": int(p["pension_income"]),
        },
    )


HANDLERS = {
    "juki.moved_in": on_moved_in,
    "juki.born": on_born,
    "juki.moved_out": on_moved_out,
    "juki.died": on_died,
    "juki.corrected": on_corrected,
    "juki.household_changed": on_household_changed,
    "zei_kojin.assessed": on_assessed,
}


def subscribe_all() -> None:
    for name, handler in HANDLERS.items():
        subscribe(name, subscriber=SUBSCRIBER, handler=handler)
