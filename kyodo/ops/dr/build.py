"""``kyodo dr build``: write (or refresh) a municipality's down-recovery file.

A full build copies every current resident's latest 住民票 as the certificate would print it,
from one REPEATABLE READ snapshot. A refresh rewrites only the households touched by a 異動
since the file's last record, and re-reads who is under 支援措置 or 抑止 (those are never
issued from the file). Issues already recorded in the file are kept.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from kyodo.atena import blocks
from kyodo.atena.zokugara import zokugara_sort_key
from kyodo.ops.dr import entries, schema
from kyodo.platform.audit import record as audit
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Tenant
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.juki.certificates import Options
from kyodo.units.juki.issue import certificate_entry
from kyodo.units.juki.models import CURRENT_STATUSES, JuminRecord

PURPOSE = "ダウンリカバリ用データの作成"
OTHER_TENANT = "{path} は団体 {other} のファイルです（{code} ではありません）"


def build(code: str, out: Path, *, progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Build ``out`` for municipality ``code``, or refresh it if it exists."""
    say = progress or (lambda _m: None)
    tenant = Tenant.objects.filter(code=code).first()
    if tenant is None:
        raise ValidationFailed(f"団体 {code} は登録されていません", field="tenant")
    fresh = not out.exists()
    path = out.with_name(f".{out.name}.partial") if fresh else out
    if fresh:
        path.unlink(missing_ok=True)
    conn = schema.connect(path, create=True)
    try:
        kept = schema.meta(conn)
        if kept.get("tenant_code", code) != code:
            raise ValidationFailed(
                OTHER_TENANT.format(path=out, other=kept["tenant_code"], code=code), field="out"
            )
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:  # one snapshot for every query below
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            with tenant_scope(code, purpose=PURPOSE):
                summary = _write(conn, tenant, kept, say)
        conn.close()
        if fresh:
            path.rename(out)
    except BaseException:
        conn.close()
        if fresh:
            path.unlink(missing_ok=True)
        raise
    return summary


def _write(
    conn: Any, tenant: Tenant, kept: dict[str, str], say: Callable[[str], None]
) -> dict[str, Any]:
    as_of = timezone.now()
    last_id = JuminRecord.objects.aggregate(last=Max("id"))["last"] or 0
    since = int(kept.get("last_record_id", "-1"))
    if since < 0:
        households = None  # everything
        touched: set[int] = set()
    else:
        touched = set(JuminRecord.objects.filter(id__gt=since).values_list("atena_no", flat=True))
        households = set(
            JuminRecord.objects.filter(id__gt=since).values_list("household_no", flat=True)
        )
        for chunk in _chunks(sorted(touched)):
            marks = ",".join("?" * len(chunk))
            households |= {
                h for (h,) in conn.execute(
                    f"SELECT household_no FROM person WHERE atena_no IN ({marks})", chunk
                )
            }  # fmt: skip
    members = _current_members(households)
    conn.execute("BEGIN")
    if households is None:
        conn.execute("DELETE FROM person")
    else:
        for chunk in _chunks(sorted(households)):
            marks = ",".join("?" * len(chunk))
            conn.execute(f"DELETE FROM person WHERE household_no IN ({marks})", chunk)
        for chunk in _chunks(sorted(touched)):
            marks = ",".join("?" * len(chunk))
            conn.execute(f"DELETE FROM person WHERE atena_no IN ({marks})", chunk)
    written = 0
    for household_no, records in members.items():
        ordered = sorted(
            records, key=lambda r: (zokugara_sort_key(r.zokugara), r.birth_date, r.atena_no)
        )
        for position, rec in enumerate(ordered):
            entry = certificate_entry(rec, Options())
            conn.execute(
                "INSERT INTO person VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)",
                [rec.atena_no, household_no, rec.full_kana.replace(" ", "").replace("　", ""),
                 rec.full_name, rec.birth_date.isoformat(), rec.address, rec.setainushi_name,
                 f"{position:04d}", entries.to_json(entry)],
            )  # fmt: skip
            written += 1
        if written and written % 10_000 == 0:
            say(f"{written:,} 人")
    everyone = [n for (n,) in conn.execute("SELECT atena_no FROM person")]
    blocked = blocks.with_blocks(everyone) if everyone else set()
    conn.execute("UPDATE person SET blocked = 0")
    for chunk in _chunks(sorted(blocked)):
        marks = ",".join("?" * len(chunk))
        conn.execute(f"UPDATE person SET blocked = 1 WHERE atena_no IN ({marks})", chunk)
    values = {
        "format": schema.FORMAT,
        "tenant_code": tenant.code,
        "tenant_name": tenant.name,
        "prefecture": tenant.prefecture,
        "mayor": tenant.mayor or f"{tenant.name}長",
        "data_as_of": as_of.isoformat(),
        "last_record_id": str(last_id),
        "built_at": dt.datetime.now(dt.UTC).isoformat(),
    }
    conn.executemany(
        "INSERT INTO meta (key, value) VALUES (?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        list(values.items()),
    )
    conn.execute("COMMIT")
    total = conn.execute("SELECT count(*) FROM person").fetchone()[0]
    summary = {
        "tenant": tenant.code,
        "data_as_of": values["data_as_of"],
        "refreshed": households is not None,
        "households_rewritten": len(members),
        "persons_written": written,
        "persons": total,
        "blocked": len(blocked),
    }
    audit(AuditAction.EXPORT, object_type="ops.dr", object_id=tenant.code, detail=summary)
    return summary


def _current_members(households: set[int] | None) -> dict[int, list[JuminRecord]]:
    """The current residents (latest record 住民 or 転出予定) of ``households`` (all: None),
    by household."""
    records = JuminRecord.objects.order_by("atena_no", "-rireki_no")
    if households is not None:
        if not households:
            return {}
        ever = JuminRecord.objects.filter(household_no__in=households).values("atena_no")
        records = records.filter(atena_no__in=ever)
    out: dict[int, list[JuminRecord]] = defaultdict(list)
    previous = None
    for rec in records.iterator(chunk_size=5000):
        if rec.atena_no == previous:
            continue  # an older snapshot of the same person
        previous = rec.atena_no
        if rec.status in CURRENT_STATUSES and (
            households is None or rec.household_no in households
        ):
            out[rec.household_no].append(rec)
    return out


def _chunks(values: list[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
