"""How one audit record's hash is computed from its content and its predecessor's hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from typing import Any

from django.conf import settings


def canonical_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def record_hash(
    *,
    chain: str,
    seq: int,
    occurred_at: dt.datetime,
    actor_id: int | None,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    purpose: str,
    detail: dict[str, Any],
    ip: str | None,
    prev_hash: str,
) -> str:
    payload = json.dumps(
        [
            chain,
            seq,
            canonical_time(occurred_at),
            actor_id,
            actor,
            action,
            object_type,
            object_id,
            purpose,
            detail,
            ip,
            prev_hash,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    key = settings.KYODO_AUDIT_KEY.encode()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()
