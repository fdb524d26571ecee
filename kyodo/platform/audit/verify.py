"""Checking the audit chains: every record's hash, its link to the previous one, no gaps,
and the chain's head (so removing the newest records is noticed as well)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from kyodo.platform.audit.chain import record_hash
from kyodo.platform.models.audit import PLATFORM_CHAIN, AuditChainHead, AuditRecord
from kyodo.platform.models.tenants import Tenant
from kyodo.platform.tenancy.context import no_tenant_scope, tenant_scope


@dataclass(frozen=True)
class ChainResult:
    chain: str
    records: int
    problem: str | None  # the first problem found, naming the record; None when intact


def verify_chain(chain: str) -> ChainResult:
    """Verify one chain; must run inside the chain's tenant scope (or none, for the platform)."""
    # The head is read first and only records up to it are checked, so records appended
    # while the check runs are not mistaken for a broken chain.
    head = AuditChainHead.objects.filter(chain=chain).first()
    head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, "")
    expected_seq, prev = 0, ""
    count = 0
    rows = (
        AuditRecord.objects.filter(chain=chain, seq__lte=max(head_seq, 0))
        .order_by("seq")
        .iterator(chunk_size=5000)
    )
    for row in rows:
        expected_seq += 1
        count += 1
        label = f"chain {chain} record seq={row.seq} id={row.id}"
        if row.seq != expected_seq:
            return ChainResult(
                chain,
                count,
                f"{label}: sequence gap, expected seq={expected_seq} (a record was removed)",
            )
        if row.prev_hash != prev:
            return ChainResult(chain, count, f"{label}: link to the previous record is broken")
        digest = record_hash(
            chain=row.chain,
            seq=row.seq,
            occurred_at=row.occurred_at,
            actor_id=row.actor_id,
            actor=row.actor,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            purpose=row.purpose,
            detail=row.detail,
            ip=row.ip,
            prev_hash=row.prev_hash,
        )
        if digest != row.hash:
            return ChainResult(chain, count, f"{label}: content does not match its hash (altered)")
        prev = row.hash
    if head_seq != expected_seq or head_hash != prev:
        return ChainResult(
            chain,
            count,
            f"chain {chain}: the head records seq={head_seq} but the last record found is "
            f"seq={expected_seq} (records at the end were removed or the head was altered)",
        )
    return ChainResult(chain, count, None)


def verify_all() -> Iterator[ChainResult]:
    """Verify the platform chain and each municipality's chain."""
    with no_tenant_scope():
        yield verify_chain(PLATFORM_CHAIN)
    for code in Tenant.objects.order_by("code").values_list("code", flat=True):
        with tenant_scope(code):
            yield verify_chain(code)
