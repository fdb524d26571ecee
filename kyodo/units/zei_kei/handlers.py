"""What 軽自動車税 takes from the hub: owners' residence changes, for the 賦課期日 review.

種別割 is levied by the municipality of the vehicle's 主たる定置場 on 1 April (the 賦課期日).
An owner who moved out before it may have taken the vehicle with them, and an owner who died
before it no longer owns it — the heirs do. Neither is decided here: the batch flags the
vehicle for the clerk (``toshokazei``) instead of assessing it silently. A later 転入 (back
before 1 April) clears a 転出. Handlers are idempotent on the event id.
"""

from __future__ import annotations

import datetime as dt

from kyodo.linkage.catalogue import Event, subscribe
from kyodo.units.zei_kei.models import Kyoju, KyojuKind

SUBSCRIBER = "zei_kei"


def _store(event: Event, kind: str, on: object, destination: object = "") -> None:
    atena_no = event.payload.get("atena_no") or event.atena_no
    if atena_no is None or not on:
        return
    Kyoju.objects.get_or_create(
        source_event=event.id,
        defaults={
            "atena_no": int(atena_no),
            "kind": kind,
            "on": dt.date.fromisoformat(str(on)),
            "destination": str(destination or "")[:200],
        },
    )


def on_moved_in(event: Event) -> None:
    _store(event, KyojuKind.MOVED_IN, event.payload.get("idou_date"))


def on_moved_out(event: Event) -> None:
    p = event.payload
    _store(event, KyojuKind.MOVED_OUT, p.get("shojo_date"), p.get("destination_address"))


def on_died(event: Event) -> None:
    _store(event, KyojuKind.DIED, event.payload.get("shojo_date"))


def subscribe_all() -> None:
    for name, handler in (
        ("juki.moved_in", on_moved_in),
        ("juki.moved_out", on_moved_out),
        ("juki.died", on_died),
    ):
        subscribe(name, subscriber=SUBSCRIBER, handler=handler)


def left_by(day: dt.date, atena_nos: list[int]) -> dict[int, Kyoju]:
    """Those of ``atena_nos`` whose latest residence change on or before ``day`` is a 転出 or
    a 死亡 (with that change)."""
    latest: dict[int, Kyoju] = {}
    for row in Kyoju.objects.filter(atena_no__in=atena_nos, on__lte=day).order_by("on", "id"):
        latest[row.atena_no] = row
    return {n: row for n, row in latest.items() if row.kind != KyojuKind.MOVED_IN}
