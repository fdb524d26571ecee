"""調定 from the hub: what 収滞納 takes from the tax units' ``<unit>.assessed`` events.

Each tax unit announces every assessment (当初課税・更正) of one 通知書 with its 課税の履歴番号
(``revision``) and its installments ``[{number, due, amount, kind?}]``; shuno never reads the
tax units' tables. The 税目 of the 調定:

========================  ================  ===================================================
event                     税目 (TaxKind)    installments taken
========================  ================  ===================================================
zei_kojin.assessed        juminzei_futsu    only ``kind == "futsu"`` (普通徴収)
kokuho.assessed           kokuho            all (国保税は普通徴収)
zei_kotei.assessed        kotei             all
zei_kei.assessed          kei               all
========================  ================  ===================================================

個人住民税の給与特別徴収・年金特別徴収 (地方税法 第321条の5・第321条の7の2 ff.) are collected
and paid in by the 特別徴収義務者 (the employer, the pension insurer), not by the person: they are
not the person's 調定 here, so only the 普通徴収 期別 become 調定. A notice with no 普通徴収 期
creates nothing.

Rules, per event (all under the ledger lock, so two deliveries take turns):

- **Idempotent on the event id**: each handled event is recorded (``ChoteiEvent``); the same
  event delivered again changes nothing.
- **First assessment** of a notice: one 調定 per installment (``chotei_create_many``); an
  installment of 0 yen is not a 調定. The 調定日 is the day the event is handled, or the first
  納期限 if that is earlier (an assessment can reach collection after a 納期限 has passed, e.g. a
  国保 世帯 that joined mid-year); the 納期限 are the tax unit's.
- **A later revision** of the same notice is a 更正 (``chotei_kosei``), never a second 調定 and
  never an error: each 期別 whose amount differs gets the new amount from the day the event is
  handled (a 期別 missing from the revision goes to 0); a 期別 the earlier assessment did not
  have is added (``chotei_extend``). An earlier or equal revision arriving after a later one
  changes nothing (recorded as ``stale``).
- What a revision cannot change is kept as first recorded: a 期別's 納期限 and the 納税義務者.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from kyodo.linkage.catalogue import Event, subscribe
from kyodo.units.shuno.models import (
    Chotei,
    ChoteiEvent,
    ChoteiEventOutcome,
    TaxKind,
)
from kyodo.units.shuno.services import ledger
from kyodo.units.shuno.services.chotei import (
    ChoteiRequest,
    KibetsuInput,
    chotei_create_many,
    chotei_extend,
    chotei_kosei,
)

SUBSCRIBER = "shuno"
FUTSU = "futsu"
# event → (税目, only the 普通徴収 installments)
EVENTS: dict[str, tuple[str, bool]] = {
    "zei_kojin.assessed": (TaxKind.JUMINZEI_FUTSU, True),
    "kokuho.assessed": (TaxKind.KOKUHO, False),
    "zei_kotei.assessed": (TaxKind.KOTEI, False),
    "zei_kei.assessed": (TaxKind.KEI, False),
}


def subscribe_all() -> None:
    for name in EVENTS:
        subscribe(name, subscriber=SUBSCRIBER, handler=on_assessed)


def installments_of(payload: dict[str, Any], *, futsu_only: bool) -> dict[int, KibetsuInput]:
    """The payload's installments that the person pays, by 期別 (0 yen ones included)."""
    out: dict[int, KibetsuInput] = {}
    for item in payload.get("installments") or []:
        if futsu_only and item.get("kind", FUTSU) != FUTSU:
            continue
        number = int(item["number"])
        out[number] = KibetsuInput(
            kibetsu=number,
            amount=int(item["amount"]),
            due_date=dt.date.fromisoformat(str(item["due"])),
        )
    return out


def on_assessed(event: Event) -> None:
    """One ``<unit>.assessed`` event → 調定 or 更正 (see the module's rules)."""
    tax_kind, futsu_only = EVENTS[event.name]
    payload = event.payload
    ledger.lock()
    if ChoteiEvent.objects.filter(event_id=event.id).exists():
        return  # delivered before
    fiscal_year, notice_no = int(payload["fiscal_year"]), int(payload["notice_no"])
    revision = int(payload.get("revision") or 1)
    atena_no = int(payload.get("atena_no") or event.atena_no)  # type: ignore[arg-type]
    wanted = installments_of(payload, futsu_only=futsu_only)
    notice = {"tax_kind": tax_kind, "fiscal_year": fiscal_year, "notice_no": notice_no}
    source = f"{event.name}#{event.id} 履歴{revision}"
    today = timezone.localdate()
    if ChoteiEvent.objects.filter(**notice, revision__gte=revision).exists():
        outcome = ChoteiEventOutcome.STALE
    else:
        existing = {c.kibetsu: c for c in Chotei.objects.filter(**notice)}
        outcome = _apply(
            existing,
            wanted,
            request=lambda items: ChoteiRequest(
                tax_kind=tax_kind,
                fiscal_year=fiscal_year,
                notice_no=notice_no,
                atena_no=atena_no,
                assessed_on=min([today, *(k.due_date for k in items)]),
                installments=tuple(items),
            ),
            source=source,
            today=today,
            reason=f"{TaxKind(tax_kind).label}の更正（課税の履歴番号 {revision}）",
        )
    ChoteiEvent.objects.create(
        event_id=event.id,
        event_name=event.name,
        revision=revision,
        outcome=outcome,
        recorded_at=ledger.now(),
        **notice,
    )


def _apply(
    existing: dict[int, Chotei],
    wanted: dict[int, KibetsuInput],
    *,
    request: Any,
    source: str,
    today: dt.date,
    reason: str,
) -> str:
    new = [k for number, k in sorted(wanted.items()) if number not in existing and k.amount > 0]
    if not existing:
        if not new:
            return ChoteiEventOutcome.NONE
        chotei_create_many([request(new)], source=source)
        return ChoteiEventOutcome.CREATED
    changed = False
    for kibetsu, chotei in sorted(existing.items()):
        target = wanted[kibetsu].amount if kibetsu in wanted else 0
        amount, _paid = ledger.owed(chotei)
        if target != amount:
            chotei_kosei(
                chotei=chotei, new_amount=target, on=max(today, chotei.assessed_on), reason=reason
            )
            changed = True
    if new:
        chotei_extend(request(new), source=source)
        changed = True
    return ChoteiEventOutcome.KOSEI if changed else ChoteiEventOutcome.UNCHANGED
