"""What 固定資産税 takes from the hub: deaths, for the 賦課期日 test.

The 納税義務者 is the owner registered on 1 January (地方税法 第343条第2項). When the registered
owner died before it, the tax is not theirs: it falls on whoever actually owns the 物件 on that
day — the heirs (第343条第2項後段), whose obligations pass as 第9条 says, and who name a
相続人代表者 to receive the documents (第9条の2). The batch therefore never assesses a deceased
owner: it flags the 物件 for the clerk (``toshokazei``). Handlers are idempotent on the event id.

A 住登外 owner's death is not on the hub (juki only reports its residents); it reaches this unit
when the clerk records the heirs as owners.
"""

from __future__ import annotations

import datetime as dt

from kyodo.linkage.catalogue import Event, subscribe
from kyodo.units.zei_kotei.models import Shibou

SUBSCRIBER = "zei_kotei"


def on_died(event: Event) -> None:
    atena_no = event.payload.get("atena_no") or event.atena_no
    died_on = event.payload.get("shojo_date") or event.payload.get("idou_date")
    if atena_no is None or not died_on:
        return
    Shibou.objects.get_or_create(
        source_event=event.id,
        defaults={"atena_no": int(atena_no), "died_on": dt.date.fromisoformat(str(died_on))},
    )


def subscribe_all() -> None:
    subscribe("juki.died", subscriber=SUBSCRIBER, handler=on_died)


def deaths(atena_nos: list[int]) -> dict[int, dt.date]:
    """The date of death of those of ``atena_nos`` the hub reported dead (the earliest)."""
    out: dict[int, dt.date] = {}
    for atena_no, died_on in (
        Shibou.objects.filter(atena_no__in=atena_nos)
        .order_by("died_on")
        .values_list("atena_no", "died_on")
    ):
        out.setdefault(atena_no, died_on)
    return out
