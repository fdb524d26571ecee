"""Announcing each appended 住民票 snapshot on the hub, in the transaction that appends it."""

from __future__ import annotations

from typing import Any

from kyodo.linkage.catalogue import event_type
from kyodo.linkage.outbox import publish
from kyodo.units.juki.models import IdouKind, JuminRecord

EVENT_OF_KIND = {
    IdouKind.TENYU: "juki.moved_in",
    IdouKind.TENYU_KOKUGAI: "juki.moved_in",
    IdouKind.SHOKKEN_KISAI: "juki.moved_in",
    IdouKind.TENKYO: "juki.moved_within",
    IdouKind.TENSHUTSU: "juki.moved_out",
    IdouKind.TENSHUTSU_KOKUGAI: "juki.moved_out",
    IdouKind.SHUSSEI: "juki.born",
    IdouKind.SHIBOU: "juki.died",
    IdouKind.SETAI_BUNRI: "juki.household_changed",
    IdouKind.SETAI_GAPPEI: "juki.household_changed",
    IdouKind.SETAINUSHI_HENKO: "juki.household_changed",
    IdouKind.SHOKKEN_SHUSEI: "juki.corrected",
    IdouKind.SHOKKEN_SHOJO: "juki.corrected",
    IdouKind.TORIKESHI: "juki.corrected",
    # A 転出届 is a plan: the move is announced when it is confirmed (or abroad, at once).
}


def announce(record: JuminRecord) -> None:
    name = EVENT_OF_KIND.get(IdouKind(record.idou_kind))
    if name is None:
        return
    values: dict[str, Any] = {
        "atena_no": record.atena_no,
        "household_no": record.household_no,
        "idou_kind": record.idou_kind,
        "idou_date": record.idou_date.isoformat(),
        "birth_date": record.birth_date.isoformat(),
        "sex": record.sex,
        "relationship": record.zokugara,
        "nationality": record.nationality,
        "postal_code": record.postal_code,
        "town": record.town,
        "banchi": record.banchi,
        "katagaki": record.katagaki,
        "previous_address": record.previous_address,
        "before_move_address": record.before_move_address,
        "destination_address": record.destination_address,
        "shojo_date": record.shojo_date.isoformat() if record.shojo_date else None,
        "status": record.status,
    }
    declared = event_type(name).items
    publish(
        name, atena_no=record.atena_no, payload={k: v for k, v in values.items() if k in declared}
    )
