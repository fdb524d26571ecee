"""The catalogue: every event type, who publishes it, who subscribes, and its data items.

Owners declare their event types (``units/<unit>/events.py``) and subscribers declare their
subscriptions, each from their AppConfig.ready(); the hub only collects them. The catalogue is
the map of every data flow between units (`kyodo linkage catalog --json`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kyodo.platform.errors import ValidationFailed


@dataclass(frozen=True)
class Event:
    """One delivered event, as a handler sees it. ``id`` is the idempotency key."""

    id: int
    name: str
    tenant: str
    atena_no: int | None
    payload: dict[str, Any]


Handler = Callable[[Event], None]


@dataclass
class EventType:
    name: str
    publisher: str
    items: dict[str, str]  # data item → what it is
    description: str = ""
    subscribers: dict[str, Handler] = field(default_factory=dict)


_CATALOGUE: dict[str, EventType] = {}


def declare(name: str, *, publisher: str, items: dict[str, str], description: str = "") -> None:
    """Declare an event type (its owner does this, once)."""
    existing = _CATALOGUE.get(name)
    if existing is not None and existing.publisher != publisher:
        raise ValueError(f"event {name} is already published by {existing.publisher}")
    _CATALOGUE[name] = EventType(
        name, publisher, dict(items), description, existing.subscribers if existing else {}
    )


def subscribe(name: str, *, subscriber: str, handler: Handler) -> None:
    """Subscribe a unit to an event type (the subscriber does this, from its ready())."""
    if name not in _CATALOGUE:
        raise ValueError(f"unknown event type {name}")
    _CATALOGUE[name].subscribers[subscriber] = handler


def event_type(name: str) -> EventType:
    try:
        return _CATALOGUE[name]
    except KeyError:
        raise ValidationFailed(f"未登録のイベント種別です: {name}", field="event") from None


def catalogue() -> list[EventType]:
    return [_CATALOGUE[name] for name in sorted(_CATALOGUE)]
