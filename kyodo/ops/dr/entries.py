"""PersonEntry ⇄ JSON, for the down-recovery file (dates as ISO text)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from kyodo.units.juki.certificates import ForeignResident, PersonEntry

_DATES = ("birth_date", "became_resident_on", "address_fixed_on", "notified_on",
          "removed_on", "move_out_on")  # fmt: skip


def to_json(entry: PersonEntry) -> str:
    data = {f.name: getattr(entry, f.name) for f in dataclasses.fields(entry)}
    if entry.foreign is not None:
        data["foreign"] = dataclasses.asdict(entry.foreign)
    data["history"] = [[d, t] for d, t in entry.history]
    return json.dumps(data, ensure_ascii=False, default=_iso)


def _iso(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value))


def from_json(text: str) -> PersonEntry:
    data = json.loads(text)
    for name in _DATES:
        if data.get(name):
            data[name] = dt.date.fromisoformat(data[name])
    if data.get("foreign"):
        foreign = data["foreign"]
        if foreign.get("period_expires_on"):
            foreign["period_expires_on"] = dt.date.fromisoformat(foreign["period_expires_on"])
        data["foreign"] = ForeignResident(**foreign)
    data["history"] = [(dt.date.fromisoformat(d), t) for d, t in data.get("history", [])]
    return PersonEntry(**data)
