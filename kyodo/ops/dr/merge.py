"""``kyodo dr merge``: when the main site is back, every certificate issued from the
down-recovery file goes into the municipality's audit trail (once: a merge that stopped
half-way is simply run again)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from kyodo.ops.dr import schema
from kyodo.platform.audit import record
from kyodo.platform.models import AuditRecord
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import Actor, tenant_scope

OBJECT_TYPE = "juki.certificate.dr"


def merge(path: Path) -> dict[str, Any]:
    conn = schema.connect(path)
    code = schema.meta(conn)["tenant_code"]
    rows = conn.execute(
        "SELECT issue_no, issued_at, kind, atena_nos, options, requester, purpose, clerk,"
        " data_as_of FROM issue WHERE merged_at IS NULL ORDER BY id"
    ).fetchall()
    merged = 0
    for issue_no, issued_at, kind, atena_nos, options, requester, purpose, clerk, as_of in rows:
        actor = Actor(username=f"dr:{clerk}")
        with tenant_scope(code, actor=actor, purpose=purpose):
            if not AuditRecord.objects.filter(object_type=OBJECT_TYPE, object_id=issue_no).exists():
                record(
                    AuditAction.ISSUE,
                    object_type=OBJECT_TYPE,
                    object_id=issue_no,
                    purpose=purpose,
                    detail={
                        "kind": kind, "atena_nos": json.loads(atena_nos),
                        "options": json.loads(options), "requester": requester,
                        "issued_at": issued_at, "data_as_of": as_of, "clerk": clerk,
                        "source": "ダウンリカバリ",
                    },
                )  # fmt: skip
                merged += 1
        conn.execute(
            "UPDATE issue SET merged_at = ? WHERE issue_no = ?",
            [dt.datetime.now(dt.UTC).isoformat(), issue_no],
        )
    conn.close()
    return {"tenant": code, "merged": merged, "already": len(rows) - merged}
