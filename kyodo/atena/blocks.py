"""抑止 and 支援措置 (standards.md §1.12): setting, lifting, and the check every read, 異動 and
certificate passes through.

- A block applies per operation (照会, 異動, 発行) at level error (stop) or alert (warn).
- A person may carry several; passing the end date does not lift a block by itself.
- A temporary lift (一時解除) ends on its own at ``lifted_until``.
- 支援措置 lasts one year (start 2020-04-01 → end 2021-03-31); an extension can be made from one
  month before the end and adds a year from the day after; from a month before the end (and
  after it, if not extended) viewing the record raises an alert.
- Only staff holding the 支援措置 role (``shien``) see or issue for a protected person; anyone
  else is stopped with a clear message, and the attempt is audit-logged.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from kyodo.atena.models import Block, BlockKind, BlockLevel, BlockOperation, block_in_force
from kyodo.platform.audit import record as audit
from kyodo.platform.errors import PermissionDenied, ValidationFailed
from kyodo.platform.models.audit import AuditAction

BLOCKED = (
    "この方の記録には{kind}が設定されているため、{operation}できません。担当課に確認してください。"
)
EXTENSION_TOO_EARLY = "支援措置の延長は終了日の1か月前から行えます（{start} 以降）"
ALERT_ENDING = "支援措置の終了日（{end}）が近づいています。延長の要否を確認してください。"
ALERT_ENDED = "支援措置の終了日（{end}）を過ぎていますが延長されていません。"
OPERATION_LABELS = {
    BlockOperation.SHOKAI: "照会",
    BlockOperation.IDOU: "異動",
    BlockOperation.HAKKO: "証明書の発行",
}


class Blocked(PermissionDenied):
    """An error-level block stopped the operation."""

    audit: dict[str, object] | None = None


@dataclass
class BlockCheck:
    alerts: list[str] = field(default_factory=list)


def one_year_end(start: dt.date) -> dt.date:
    """The end of a one-year 支援措置: the day before the same date next year."""
    try:
        return start.replace(year=start.year + 1) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return start.replace(year=start.year + 1, day=28)


def one_month_before(end: dt.date) -> dt.date:
    """The same day one month earlier (the last day of that month when it has no such day)."""
    year, month = (end.year, end.month - 1) if end.month > 1 else (end.year - 1, 12)
    return dt.date(year, month, min(end.day, calendar.monthrange(year, month)[1]))


def block_set(
    *,
    atena_no: int,
    kind: str,
    operations: list[str],
    level: str,
    start: dt.date,
    end: dt.date | None = None,
    reason: str = "",
    by: str,
) -> Block:
    if kind not in BlockKind.values:
        raise ValidationFailed(f"種別は {', '.join(BlockKind.values)} です", field="kind")
    if not operations or set(operations) - set(BlockOperation.values):
        raise ValidationFailed("対象業務は shokai, idou, hakko から選びます", field="operations")
    if level not in BlockLevel.values:
        raise ValidationFailed("レベルは error か alert です", field="level")
    if kind in (BlockKind.SHIEN, BlockKind.KARI_SHIEN):
        level = BlockLevel.ERROR  # 支援措置 always stops (standards.md §1.12)
        end = end or one_year_end(start)
    if end is not None and end < start:
        raise ValidationFailed("終了日が開始日より前です", field="end")
    block = Block.objects.create(
        atena_no=atena_no,
        kind=kind,
        operations=sorted(operations),
        level=level,
        start_date=start,
        end_date=end,
        reason=reason,
        created_by=by,
    )
    audit(
        AuditAction.CHANGE,
        object_type="atena.block",
        object_id=atena_no,
        detail={"op": "set", "block": block.pk, "kind": kind, "operations": operations},
    )
    return block


def block_extend(block: Block, *, today: dt.date | None = None) -> Block:
    """Extend a 支援措置 by one year from the day after its end."""
    today = today or timezone.localdate()
    if block.end_date is None or block.kind not in (BlockKind.SHIEN, BlockKind.KARI_SHIEN):
        raise ValidationFailed("延長できるのは終了日のある支援措置だけです", field="block")
    opens = one_month_before(block.end_date)
    if today < opens:
        raise ValidationFailed(EXTENSION_TOO_EARLY.format(start=opens), field="block")
    with transaction.atomic():
        block.end_date = one_year_end(block.end_date + dt.timedelta(days=1))
        block.save(update_fields=["end_date"])
        audit(
            AuditAction.CHANGE,
            object_type="atena.block",
            object_id=block.atena_no,
            detail={"op": "extend", "block": block.pk, "end": block.end_date.isoformat()},
        )
    return block


def block_lift(block: Block, *, on: dt.date, by: str) -> Block:
    block.ended_on = on
    block.save(update_fields=["ended_on"])
    audit(
        AuditAction.CHANGE,
        object_type="atena.block",
        object_id=block.atena_no,
        detail={"op": "lift", "block": block.pk, "by": by},
    )
    return block


def block_lift_temporarily(block: Block, *, minutes: int, by: str) -> Block:
    """一時解除: lifted until now + minutes, then in force again by itself."""
    if not 1 <= minutes <= 24 * 60:
        raise ValidationFailed("一時解除は1分〜24時間です", field="minutes")
    block.lifted_until = timezone.now() + dt.timedelta(minutes=minutes)
    block.lifted_by = by
    block.save(update_fields=["lifted_until", "lifted_by"])
    audit(
        AuditAction.CHANGE,
        object_type="atena.block",
        object_id=block.atena_no,
        detail={"op": "lift_temporarily", "block": block.pk, "minutes": minutes},
    )
    return block


def with_blocks(atena_nos: list[int], *, on: dt.date | None = None) -> set[int]:
    """Which of these persons carry any block in force (one query, for batches)."""
    on = on or timezone.localdate()
    return set(
        Block.objects.filter(block_in_force(on), atena_no__in=atena_nos).values_list(
            "atena_no", flat=True
        )
    )


def blocks_in_force(atena_no: int, *, on: dt.date | None = None) -> list[Block]:
    on = on or timezone.localdate()
    now = timezone.now()
    return [
        b
        for b in Block.objects.filter(block_in_force(on), atena_no=atena_no)
        if not (b.lifted_until and b.lifted_until > now)
    ]


def check(
    atena_no: int, operation: str, *, may_see_protected: bool, on: dt.date | None = None
) -> BlockCheck:
    """Stop (raise ``Blocked``) or warn (return alerts) for ``operation`` on this person."""
    on = on or timezone.localdate()
    result = BlockCheck()
    for block in blocks_in_force(atena_no, on=on):
        protective = block.kind in (BlockKind.SHIEN, BlockKind.KARI_SHIEN)
        if protective and block.end_date and operation == BlockOperation.SHOKAI:
            if on > block.end_date:
                result.alerts.append(ALERT_ENDED.format(end=block.end_date))
            elif on >= one_month_before(block.end_date):
                result.alerts.append(ALERT_ENDING.format(end=block.end_date))
        if operation not in block.operations:
            continue
        message = BLOCKED.format(
            kind=block.get_kind_display(), operation=OPERATION_LABELS[BlockOperation(operation)]
        )
        if protective and may_see_protected:
            result.alerts.append(message)
        elif block.level == BlockLevel.ERROR:
            denied = {
                "object_type": "atena.person",
                "object_id": atena_no,
                "detail": {"operation": operation, "block": block.pk, "kind": block.kind},
            }
            audit(AuditAction.DENIED, **denied)
            exc = Blocked(message, field="atena_no")
            # For callers whose transaction rolls back on the error (the CLI): they append
            # this again once outside it, so the refusal stays on the record.
            exc.audit = denied
            raise exc
        else:
            result.alerts.append(message)
    return result
