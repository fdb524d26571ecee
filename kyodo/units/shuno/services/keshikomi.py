"""消込: recording a payment and putting it on what it pays.

Rules (the same for one counter payment here and for a payment file in ``payment_import``):

- A payment that names an installment (a 納付書 with its 通知書番号 and 期別, a barcode) pays
  that installment up to what it still owes. Anything more is a 過誤納 (reason 過納) of the
  installment's 納税義務者 — also when the installment was already paid (a slip paid twice).
  The surplus is *not* moved to other installments here: that is 充当, which 地方税法 第17条の2
  makes part of 還付 (``services.kanpu``).
- A payment that names a person (宛名番号) pays the person's unpaid installments oldest first
  (``ledger.OLDEST_FIRST``: earliest 納期限 first), including installments not yet due — the
  payer paid "for my taxes", which covers paying early. What is left is a 過誤納 (過納 if the
  person has any 調定, else 誤納).
- Every payment has an idempotency key (the counter's 領収番号, the collector's 受付番号 …):
  recording the same key again with the same content changes nothing; with other content it
  is refused.
- A payment kept unmatched (保留, e.g. an unknown 通知書番号 in a file) is applied later by
  :func:`shuno_assign` once the clerk knows what it pays.

Money is applied as of the 収納日 (``paid_on``): the 収納額 as of a date counts it from then.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from kyodo.atena.models import Person
from kyodo.platform.audit import record as audit
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.units.shuno.allocation import Open, allocate
from kyodo.units.shuno.models import (
    Channel,
    Chotei,
    Kagono,
    KagonoReason,
    Keshikomi,
    KeshikomiKind,
    Report,
    Shuno,
)
from kyodo.units.shuno.services import ledger
from kyodo.units.shuno.services.chotei import find_chotei

MAX_KEY = 120


@dataclass(frozen=True)
class NoticeKey:
    """The installment a payment names: 税目, 年度, 通知書番号, 期別."""

    tax_kind: str
    fiscal_year: int
    notice_no: int
    kibetsu: int


@dataclass(frozen=True)
class PaymentInput:
    """One payment to record. Exactly one of ``chotei`` and ``atena_no`` says what it pays."""

    key: str
    channel: str
    amount: int
    paid_on: dt.date
    chotei: NoticeKey | None = None
    atena_no: int | None = None
    report: str = Report.KAKUHO  # money in hand at the counter is final
    source: str = "窓口"


@dataclass
class Applied:
    """What recording (or assigning) a payment did."""

    shuno: Shuno
    keshikomi: list[Keshikomi] = field(default_factory=list)
    kagono: Kagono | None = None
    existing: bool = False  # the key was already recorded: nothing new was written


def shuno_record(payment: PaymentInput) -> Applied:
    """Record one payment and apply it (see the module's rules)."""
    _check(payment)
    ledger.lock()
    chotei = find_chotei(**vars(payment.chotei)) if payment.chotei else None
    if (
        payment.atena_no is not None
        and not Person.objects.filter(atena_no=payment.atena_no).exists()
    ):
        raise ValidationFailed(f"宛名番号 {payment.atena_no} の宛名がありません", field="atena_no")
    atena_no = chotei.atena_no if chotei else payment.atena_no
    previous = Shuno.objects.filter(key=payment.key).first()
    if previous is not None:
        same = (previous.amount, previous.paid_on, previous.channel, previous.atena_no) == (
            payment.amount,
            payment.paid_on,
            payment.channel,
            atena_no,
        )
        if not same:
            raise ValidationFailed(
                f"キー {payment.key} の収納は別の内容で記録済みです", field="key"
            )
        return Applied(shuno=previous, existing=True)
    shuno = Shuno.objects.create(
        key=payment.key,
        channel=payment.channel,
        report=payment.report,
        amount=payment.amount,
        paid_on=payment.paid_on,
        atena_no=atena_no,
        source=payment.source[:255],
        recorded_at=ledger.now(),
        recorded_by=ledger.actor(),
    )
    applied = _apply(shuno, chotei=chotei, atena_no=atena_no)
    _audit(applied, act="shuno_record")
    return applied


def shuno_assign(
    *, shuno: Shuno, chotei: NoticeKey | None = None, atena_no: int | None = None
) -> Applied:
    """Apply a payment kept unmatched (保留) to the installment or person the clerk found."""
    if (chotei is None) == (atena_no is None):
        raise ValidationFailed(
            "通知書（期別）か宛名番号のどちらか一方を指定してください", field="chotei"
        )
    ledger.lock()
    if not shuno.held_reason:
        raise ValidationFailed(f"収納 {shuno.pk} は保留されていません", field="shuno")
    if shuno.keshikomi.exists() or shuno.kagono.exists():
        raise ValidationFailed(f"収納 {shuno.pk} は既に消込済みです", field="shuno")
    target = find_chotei(**vars(chotei)) if chotei else None
    person = target.atena_no if target else atena_no
    if target is None and not Person.objects.filter(atena_no=person).exists():
        raise ValidationFailed(f"宛名番号 {person} の宛名がありません", field="atena_no")
    assert person is not None
    applied = _apply(shuno, chotei=target, atena_no=person)
    _audit(applied, act="shuno_assign", held_reason=shuno.held_reason)
    return applied


def held_open(*, atena_no: int | None = None) -> list[Shuno]:
    """Payments kept unmatched and not yet assigned (the clerk's worklist), oldest first;
    with ``atena_no``, only those known to be the person's."""
    rows = Shuno.objects.all() if atena_no is None else Shuno.objects.filter(atena_no=atena_no)
    return list(
        rows.exclude(held_reason="")
        .exclude(Exists(Keshikomi.objects.filter(shuno=OuterRef("pk"))))
        .exclude(Exists(Kagono.objects.filter(shuno=OuterRef("pk"))))
        .order_by("paid_on", "id")
    )


# --- applying --------------------------------------------------------------------------------


def _check(payment: PaymentInput) -> None:
    if not payment.key.strip() or len(payment.key) > MAX_KEY:
        raise ValidationFailed(f"キーは1〜{MAX_KEY}文字です", field="key")
    if payment.channel not in Channel.values:
        raise ValidationFailed(
            f"収納経路は {', '.join(Channel.values)} のいずれかです (got {payment.channel!r})",
            field="channel",
        )
    if payment.report not in Report.values:
        raise ValidationFailed(
            f"速報・確報の区分が不正です (got {payment.report!r})", field="report"
        )
    if isinstance(payment.amount, bool) or payment.amount < 1:
        raise ValidationFailed(f"収納額は1円以上です (got {payment.amount})", field="amount")
    if payment.paid_on > timezone.localdate():
        raise ValidationFailed(f"収納日 {payment.paid_on} が未来の日付です", field="paid_on")
    if (payment.chotei is None) == (payment.atena_no is None):
        raise ValidationFailed(
            "通知書（期別）か宛名番号のどちらか一方を指定してください", field="chotei"
        )


def _apply(shuno: Shuno, *, chotei: Chotei | None, atena_no: int | None) -> Applied:
    """Put the payment on its installment (or the person's, oldest first); the rest → 過誤納."""
    if chotei is not None:
        amount, paid = ledger.owed(chotei)
        targets = [Open(chotei_id=chotei.pk, remaining=max(amount - paid, 0))]
    else:
        assert atena_no is not None
        targets = ledger.open_installments(atena_no)
    parts, rest = allocate(shuno.amount, targets)
    at = ledger.now()
    applied = Applied(shuno=shuno)
    for chotei_id, amount in parts:
        applied.keshikomi.append(
            Keshikomi.objects.create(
                chotei_id=chotei_id,
                kind=KeshikomiKind.SHUNO,
                amount=amount,
                applied_on=shuno.paid_on,
                shuno=shuno,
                recorded_at=at,
            )
        )
    if rest:
        assert atena_no is not None
        owes_anything = chotei is not None or Chotei.objects.filter(atena_no=atena_no).exists()
        applied.kagono = Kagono.objects.create(
            atena_no=atena_no,
            amount=rest,
            arose_on=shuno.paid_on,
            reason=KagonoReason.OVERPAID if owes_anything else KagonoReason.NO_CHOTEI,
            shuno=shuno,
            chotei=chotei,
            recorded_at=at,
        )
    return applied


def _audit(applied: Applied, *, act: str, **extra: Any) -> None:
    shuno = applied.shuno
    audit(
        AuditAction.CHANGE,
        object_type="shuno.shuno",
        object_id=shuno.atena_no or "",
        detail={
            "act": act,
            "shuno": shuno.pk,
            "amount": shuno.amount,
            "keshikomi": [[k.chotei_id, k.amount] for k in applied.keshikomi],
            "kagono": applied.kagono.amount if applied.kagono else 0,
            **extra,
        },
    )
