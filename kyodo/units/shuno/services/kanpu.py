"""充当 and 還付 of 過誤納金.

地方税法 第17条 requires a 過誤納金 to be refunded (還付), and 第17条の2 第1項 requires it to be
applied (充当) first to the same person's 地方団体の徴収金 that are due: a refund is only what is
left after 充当. :func:`kanpu` therefore always runs :func:`juto` first, in the same transaction.

Rules chosen here (statute from memory, as in rules.md; verify against e-Gov before relying
on the details):

- 充当 goes to the person's unpaid installments whose 納期限 has come (納期限 ≤ the 充当 date),
  oldest first (``ledger.OLDEST_FIRST``), every 税目 of the municipality alike. Installments
  not yet due are 充当 only when the person asks or agrees (``with_consent=True``).
- Older 過誤納 are used first.
- A 充当 takes effect on its 充当適状日 (第17条の2: the effect goes back to the day both the
  過誤納 and the debt existed): the later of the day the 過誤納 arose and the installment's
  納期限, but never later than the 充当 itself. The 収納額 as of a date counts it from then.
- 還付加算金 (第17条の4) is not computed yet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kyodo.platform.audit import record as audit
from kyodo.platform.models.audit import AuditAction
from kyodo.units.shuno.allocation import allocate
from kyodo.units.shuno.models import Chotei, Kanpu, Keshikomi, KeshikomiKind
from kyodo.units.shuno.services import ledger


@dataclass
class KanpuResult:
    juto: list[Keshikomi] = field(default_factory=list)
    kanpu: list[Kanpu] = field(default_factory=list)


def juto(*, atena_no: int, on: dt.date, with_consent: bool = False) -> list[Keshikomi]:
    """充当 of the person's open 過誤納 to their unpaid installments (see the module's rules)."""
    ledger.lock()
    rows = _juto(atena_no=atena_no, on=on, with_consent=with_consent)
    if rows:
        _audit(atena_no, act="juto", on=on, juto=rows, kanpu=[])
    return rows


def kanpu(*, atena_no: int, on: dt.date, with_consent: bool = False) -> KanpuResult:
    """還付: first 充当 (第17条の2), then refund whatever 過誤納 is left, decided on ``on``."""
    ledger.lock()
    result = KanpuResult(juto=_juto(atena_no=atena_no, on=on, with_consent=with_consent))
    at, by = ledger.now(), ledger.actor()
    for kagono, left in ledger.open_kagono(atena_no):
        if kagono.arose_on > on:
            continue  # not yet a 過誤納 on the decision date
        result.kanpu.append(
            Kanpu.objects.create(
                kagono=kagono, amount=left, decided_on=on, recorded_at=at, recorded_by=by
            )
        )
    if result.juto or result.kanpu:
        _audit(atena_no, act="kanpu", on=on, juto=result.juto, kanpu=result.kanpu)
    return result


def _juto(*, atena_no: int, on: dt.date, with_consent: bool) -> list[Keshikomi]:
    targets = ledger.open_installments(atena_no, due_by=None if with_consent else on)
    if not targets:
        return []
    due = dict(
        Chotei.objects.filter(pk__in=[t.chotei_id for t in targets]).values_list("pk", "due_date")
    )
    at = ledger.now()
    rows = []
    for kagono, left in ledger.open_kagono(atena_no):
        if kagono.arose_on > on:
            continue  # not yet a 過誤納 on the 充当 date
        parts, _rest = allocate(left, targets)
        for chotei_id, amount in parts:
            tekijo = min(max(kagono.arose_on, due[chotei_id]), on)  # 充当適状日
            rows.append(
                Keshikomi.objects.create(
                    chotei_id=chotei_id,
                    kind=KeshikomiKind.JUTO,
                    amount=amount,
                    applied_on=tekijo,
                    kagono=kagono,
                    recorded_at=at,
                )
            )
    return rows


def _audit(
    atena_no: int, *, act: str, on: dt.date, juto: list[Keshikomi], kanpu: list[Kanpu]
) -> None:
    audit(
        AuditAction.CHANGE,
        object_type="shuno.kagono",
        object_id=atena_no,
        detail={
            "act": act,
            "on": on.isoformat(),
            "juto": [[k.kagono_id, k.chotei_id, k.amount] for k in juto],
            "kanpu": [[k.kagono_id, k.amount] for k in kanpu],
        },
    )
