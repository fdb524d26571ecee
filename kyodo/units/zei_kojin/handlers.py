"""What 個人住民税 takes from the hub: residence changes, for the 賦課期日 test.

個人住民税 is levied by the municipality where the person had their address on 1 January of
the 年度 (地方税法 第294条第1項・第318条). A person who moved in after it, or moved out or died
on or before it, is not taxed here for that 年度 even when 課税資料 arrived. Handlers are
idempotent on the event id.
"""

from __future__ import annotations

import datetime as dt

from kyodo.linkage.catalogue import Event, subscribe
from kyodo.units.zei_kojin.models import Kyoju, KyojuKind

SUBSCRIBER = "zei_kojin"


def _store(event: Event, kind: str, on: str) -> None:
    if event.atena_no is None:
        return
    Kyoju.objects.get_or_create(
        source_event=event.id,
        defaults={"atena_no": event.atena_no, "kind": kind, "on": dt.date.fromisoformat(on)},
    )


def on_moved_in(event: Event) -> None:
    _store(event, KyojuKind.MOVED_IN, event.payload["idou_date"])


def on_moved_out(event: Event) -> None:
    _store(event, KyojuKind.MOVED_OUT, event.payload["shojo_date"])


def on_died(event: Event) -> None:
    _store(event, KyojuKind.DIED, event.payload["shojo_date"])


def subscribe_all() -> None:
    for name, handler in (
        ("juki.moved_in", on_moved_in),
        ("juki.born", on_moved_in),
        ("juki.moved_out", on_moved_out),
        ("juki.died", on_died),
    ):
        subscribe(name, subscriber=SUBSCRIBER, handler=handler)


def not_resident_on(day: dt.date, atena_nos: list[int]) -> dict[int, str]:
    """Those of ``atena_nos`` who did not live here on ``day``, with the reason. A person the
    hub never reported on is taken as resident (their record predates the hub)."""
    if not atena_nos:
        return {}
    events: dict[int, list[Kyoju]] = {}
    wanted = set(atena_nos)
    # A range, not IN: a batch's chunk is a run of 宛名番号, and 50,000 bound parameters cost.
    span = Kyoju.objects.filter(atena_no__gte=min(atena_nos), atena_no__lte=max(atena_nos))
    for row in span.order_by("on", "id"):
        if row.atena_no in wanted:
            events.setdefault(row.atena_no, []).append(row)
    out = {}
    for atena_no, rows in events.items():
        before = [r for r in rows if r.on <= day]
        if before and before[-1].kind != KyojuKind.MOVED_IN:
            last = before[-1]
            out[atena_no] = f"{last.on}に{KyojuKind(last.kind).label}（賦課期日 {day} に住所なし）"
        elif not before and rows[0].kind == KyojuKind.MOVED_IN:
            out[atena_no] = f"{rows[0].on}に転入（賦課期日 {day} には住所なし）"
    return out
