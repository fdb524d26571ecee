"""Reads of 国保資格 for screens, the API and the CLI: each one audit-logged (who, whom, why)."""

from __future__ import annotations

from typing import Any

from kyodo.platform.audit import record as audit
from kyodo.platform.models.audit import AuditAction
from kyodo.units.kokuho.models import Shikaku, ShikakuStatus
from kyodo.units.kokuho.services import history, setainushi, shikaku_json

PENDING_LIMIT = 500


def shikaku_show(*, atena_no: int, purpose: str) -> dict[str, Any]:
    """A person's 資格, current and past (newest first), and their 世帯's 国保 世帯主."""
    rows = history(atena_no)
    household_no = rows[0].household_no if rows else None
    audit(
        AuditAction.READ,
        object_type="kokuho.shikaku",
        object_id=atena_no,
        purpose=purpose,
        detail={"rows": len(rows)},
    )
    current = next((r for r in rows if r.status != ShikakuStatus.ENDED), None)
    return {
        "atena_no": atena_no,
        "current": shikaku_json(current) if current else None,
        "history": [shikaku_json(r) for r in rows],
        "setainushi": setainushi(household_no) if household_no is not None else None,
    }


def pending_list(*, purpose: str, limit: int = PENDING_LIMIT) -> list[dict[str, Any]]:
    """The clerk's worklist: 取得 awaiting confirmation, oldest first."""
    rows = list(
        Shikaku.objects.filter(status=ShikakuStatus.PENDING).order_by("acquired_on", "id")[:limit]
    )
    audit(
        AuditAction.READ,
        object_type="kokuho.pending",
        purpose=purpose,
        detail={"atena_nos": [r.atena_no for r in rows]},
    )
    return [shikaku_json(r) for r in rows]
