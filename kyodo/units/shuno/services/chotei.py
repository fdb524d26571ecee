"""調定: recording what each installment of an assessment owes, and its 更正.

The tax units (and, for now, ``kyodo shuno chotei-import``) hand over one
:class:`ChoteiRequest` per 納税通知書: 税目, 年度, 通知書番号, 納税義務者 and its installments
(期別, amount, 納期限). :func:`chotei_create_many` checks every request, refuses the whole
batch if any is wrong (each problem named), and writes one ``Chotei`` row per installment.

Idempotent: the hub delivers at least once, and a migration may be run again. A notice whose
installments already exist *exactly* as requested is left alone and counted as unchanged; one
that exists with different content is refused — a change of amount is a 更正
(:func:`chotei_kosei`), which is recorded as a dated adjustment so the 調定額 as of any date can
be reconstructed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kyodo.atena.models import Person
from kyodo.platform.audit import record as audit
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import require_tenant_code
from kyodo.units.shuno.freefield import MAX_NOTICE_NO
from kyodo.units.shuno.models import (
    Chotei,
    ChoteiKosei,
    Kagono,
    KagonoReason,
    Keshikomi,
    KeshikomiKind,
    TaxKind,
)
from kyodo.units.shuno.rejection import Rejected
from kyodo.units.shuno.services import bulk, ledger

MAX_AMOUNT = 999_999_999_999  # a sanity bound (12 digits), far above any one installment
CHUNK = 10_000  # numbers per query (a query takes at most 65,535 parameters)
CHOTEI_COLUMNS = (
    "id", "tenant_id", "tax_kind", "fiscal_year", "notice_no", "kibetsu", "atena_no", "amount",
    "due_date", "assessed_on", "source", "recorded_at", "recorded_by",
)  # fmt: skip


@dataclass(frozen=True)
class KibetsuInput:
    """One installment: 期別, its amount (円) and its 納期限."""

    kibetsu: int
    amount: int
    due_date: dt.date


@dataclass(frozen=True)
class ChoteiRequest:
    """One assessment's installments, as a tax unit hands them over."""

    tax_kind: str
    fiscal_year: int
    notice_no: int
    atena_no: int
    assessed_on: dt.date  # 調定日
    installments: tuple[KibetsuInput, ...]

    @property
    def notice(self) -> tuple[str, int, int]:
        return (self.tax_kind, self.fiscal_year, self.notice_no)


@dataclass
class CreateResult:
    created: list[int] = field(default_factory=list)  # new Chotei ids
    unchanged: int = 0  # notices that already existed exactly as requested


# --- checks ----------------------------------------------------------------------------------


def check_request(request: ChoteiRequest) -> list[tuple[str, str]]:
    """Every (field, reason) wrong with one request on its own (no database)."""
    problems = []
    if request.tax_kind not in TaxKind.values:
        problems.append(
            (
                "tax_kind",
                f"税目は {', '.join(TaxKind.values)} のいずれかです (got {request.tax_kind!r})",
            )
        )
    if not 2000 <= request.fiscal_year <= 2099:
        problems.append(("fiscal_year", f"年度は 2000〜2099 です (got {request.fiscal_year})"))
    if not 1 <= request.notice_no <= MAX_NOTICE_NO:
        problems.append(
            (
                "notice_no",
                f"通知書番号は 1〜{MAX_NOTICE_NO}（9桁まで）です (got {request.notice_no})",
            )
        )
    if request.atena_no <= 0:
        problems.append(("atena_no", f"宛名番号が不正です (got {request.atena_no})"))
    if not request.installments:
        problems.append(("installments", "期別が1つもありません"))
    seen: set[int] = set()
    previous: dt.date | None = None
    by_kibetsu = sorted(enumerate(request.installments), key=lambda pair: pair[1].kibetsu)
    for i, (position, item) in enumerate(by_kibetsu):
        where = f"installments[{position}]"  # as given, though checked in 期別 order
        if not 1 <= item.kibetsu <= 99:
            problems.append((f"{where}.kibetsu", f"期別は 1〜99 です (got {item.kibetsu})"))
        if item.kibetsu in seen:
            problems.append((f"{where}.kibetsu", f"期別 {item.kibetsu} が重複しています"))
        seen.add(item.kibetsu)
        if not 1 <= item.amount <= MAX_AMOUNT:
            problems.append((f"{where}.amount", f"調定額は 1円以上です (got {item.amount})"))
        if item.due_date < request.assessed_on:
            problems.append(
                (
                    f"{where}.due_date",
                    f"納期限 {item.due_date} が調定日 {request.assessed_on} より前です",
                )
            )
        if i and previous is not None and item.due_date < previous:
            problems.append(
                (
                    f"{where}.due_date",
                    f"第{item.kibetsu}期の納期限 {item.due_date} が前の期より前です",
                )
            )
        previous = item.due_date
    return problems


# --- creation --------------------------------------------------------------------------------


def chotei_create(request: ChoteiRequest, *, source: str = "") -> list[Chotei]:
    """The installments of one assessment (existing ones returned as they are)."""
    chotei_create_many([request], source=source)
    return list(
        Chotei.objects.filter(
            tax_kind=request.tax_kind,
            fiscal_year=request.fiscal_year,
            notice_no=request.notice_no,
        ).order_by("kibetsu")
    )


def chotei_create_many(requests: Sequence[ChoteiRequest], *, source: str) -> CreateResult:
    """Check every request, then write all of them or none (:class:`Rejected` lists why)."""
    many = len(requests) > 1
    problems: list[ValidationFailed] = []
    ledger.lock()  # before reading what exists: two deliveries of one notice take turns

    def refuse(index: int, where: str, reason: str) -> None:
        path = f"[{index}].{where}" if many else where
        problems.append(ValidationFailed(reason, field=path, source=source or None))

    for index, request in enumerate(requests):
        for where, reason in check_request(request):
            refuse(index, where, reason)
    known = _known_persons({r.atena_no for r in requests})
    existing = _existing_notices([r.notice for r in requests])
    first_index: dict[tuple[str, int, int], int] = {}
    todo: list[ChoteiRequest] = []
    result = CreateResult()
    for index, request in enumerate(requests):
        if request.atena_no not in known:
            refuse(index, "atena_no", f"宛名番号 {request.atena_no} の宛名がありません")
        if request.notice in first_index:
            twin = first_index[request.notice]
            refuse(
                index, "notice_no", f"通知書番号 {request.notice_no} が [{twin}] と重複しています"
            )
            continue
        first_index[request.notice] = index
        had = existing.get(request.notice)
        if had is None:
            todo.append(request)
        elif had == _content(request):
            result.unchanged += 1
        else:
            refuse(
                index,
                "notice_no",
                f"{TaxKind(request.tax_kind).label} {request.fiscal_year}年度 通知書番号 "
                f"{request.notice_no} は既に別の内容で調定されています"
                "（金額の変更は更正で行います）",
            )
    if problems:
        raise Rejected(problems, source=source or "調定")
    result.created = _write(todo, source=source)
    if todo:
        atena_nos = sorted({r.atena_no for r in todo})
        audit(
            AuditAction.CHANGE,
            object_type="shuno.chotei",
            object_id=atena_nos[0] if len(atena_nos) == 1 else "",
            detail={
                "act": "chotei_create",
                "source": source,
                "notices": len(todo),
                "installments": len(result.created),
                "atena_nos": atena_nos,
            },
        )
    return result


def chotei_extend(request: ChoteiRequest, *, source: str) -> list[int]:
    """Add installments (期別) to a notice that already has some: a 更正 that levies a 期
    the first assessment did not (e.g. 個人住民税 moved from 特別徴収 to 普通徴収). Every 期別
    of ``request`` must be new; the whole request is checked first, and nothing is written
    if any of it is wrong."""
    problems: list[ValidationFailed] = []
    ledger.lock()
    for where, reason in check_request(request):
        problems.append(ValidationFailed(reason, field=where, source=source or None))
    if request.atena_no not in _known_persons({request.atena_no}):
        problems.append(
            ValidationFailed(
                f"宛名番号 {request.atena_no} の宛名がありません",
                field="atena_no",
                source=source or None,
            )
        )
    had = set(
        Chotei.objects.filter(
            tax_kind=request.tax_kind,
            fiscal_year=request.fiscal_year,
            notice_no=request.notice_no,
            kibetsu__in=[k.kibetsu for k in request.installments],
        ).values_list("kibetsu", flat=True)
    )
    for kibetsu in sorted(had):
        problems.append(
            ValidationFailed(
                f"第{kibetsu}期は既に調定されています（金額の変更は更正で行います）",
                field="installments",
                source=source or None,
            )
        )
    if problems:
        raise Rejected(problems, source=source or "調定")
    created = _write([request], source=source)
    audit(
        AuditAction.CHANGE,
        object_type="shuno.chotei",
        object_id=request.atena_no,
        detail={
            "act": "chotei_extend",
            "source": source,
            "notice_no": request.notice_no,
            "kibetsu": sorted(k.kibetsu for k in request.installments),
        },
    )
    return created


def _content(request: ChoteiRequest) -> frozenset[tuple[Any, ...]]:
    return frozenset(
        (k.kibetsu, request.atena_no, k.amount, k.due_date, request.assessed_on)
        for k in request.installments
    )


def _known_persons(atena_nos: set[int]) -> set[int]:
    numbers = sorted(atena_nos)
    known: set[int] = set()
    for start in range(0, len(numbers), CHUNK):
        chunk = numbers[start : start + CHUNK]
        known.update(Person.objects.filter(atena_no__in=chunk).values_list("atena_no", flat=True))
    return known


def _existing_notices(
    notices: list[tuple[str, int, int]],
) -> dict[tuple[str, int, int], frozenset[tuple[Any, ...]]]:
    """The installments already recorded for these notices, as comparable content."""
    wanted = set(notices)
    kinds = {kind for kind, _, _ in wanted}
    years = {year for _, year, _ in wanted}
    numbers = sorted({number for _, _, number in wanted})
    found: dict[tuple[str, int, int], set[tuple[Any, ...]]] = {}
    for start in range(0, len(numbers), CHUNK):
        rows = Chotei.objects.filter(
            tax_kind__in=kinds,
            fiscal_year__in=years,
            notice_no__in=numbers[start : start + CHUNK],
        ).values_list(
            "tax_kind",
            "fiscal_year",
            "notice_no",
            "kibetsu",
            "atena_no",
            "amount",
            "due_date",
            "assessed_on",
        )
        for kind, year, number, kibetsu, atena_no, amount, due, assessed in rows:
            if (kind, year, number) in wanted:
                found.setdefault((kind, year, number), set()).add(
                    (kibetsu, atena_no, amount, due, assessed)
                )
    return {notice: frozenset(rows) for notice, rows in found.items()}


def _write(requests: list[ChoteiRequest], *, source: str) -> list[int]:
    tenant, at, by = require_tenant_code(), ledger.now(), ledger.actor()
    count = sum(len(r.installments) for r in requests)
    ids = bulk.reserve_ids(Chotei, count)
    rows = [
        (
            tenant, request.tax_kind, request.fiscal_year, request.notice_no, item.kibetsu,
            request.atena_no, item.amount, item.due_date, request.assessed_on, source[:200],
            at, by,
        )
        for request in requests
        for item in sorted(request.installments, key=lambda k: k.kibetsu)
    ]  # fmt: skip
    bulk.insert(Chotei, CHOTEI_COLUMNS, [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
    return ids


# --- 更正 ------------------------------------------------------------------------------------


def find_chotei(*, tax_kind: str, fiscal_year: int, notice_no: int, kibetsu: int) -> Chotei:
    row = Chotei.objects.filter(
        tax_kind=tax_kind, fiscal_year=fiscal_year, notice_no=notice_no, kibetsu=kibetsu
    ).first()
    if row is None:
        raise ValidationFailed(
            f"{tax_kind} {fiscal_year}年度 通知書番号 {notice_no} 第{kibetsu}期の調定がありません",
            field="notice_no",
        )
    return row


def chotei_kosei(*, chotei: Chotei, new_amount: int, on: dt.date, reason: str) -> ChoteiKosei:
    """更正: the installment owes ``new_amount`` from ``on``; recorded as a dated delta.

    A 減額 below what is already paid makes the difference a 過誤納 (reason 減額更正): the
    surplus is taken off the installment (a negative 消込 dated ``on``) and becomes a
    ``Kagono`` of the 納税義務者, to be 充当 or 還付 (services.kanpu).
    """
    if not reason.strip():
        raise ValidationFailed("更正理由を入力してください", field="reason")
    if not 0 <= new_amount <= MAX_AMOUNT:
        raise ValidationFailed(
            f"更正後の調定額は 0円以上です (got {new_amount})", field="new_amount"
        )
    if on < chotei.assessed_on:
        raise ValidationFailed(f"更正日 {on} が調定日 {chotei.assessed_on} より前です", field="on")
    ledger.lock()
    amount, paid = ledger.owed(chotei)
    if new_amount == amount:
        raise ValidationFailed(f"調定額は既に {amount:,}円 です", field="new_amount")
    at, by = ledger.now(), ledger.actor()
    kosei = ChoteiKosei.objects.create(
        chotei=chotei,
        delta=new_amount - amount,
        amount_after=new_amount,
        effective_on=on,
        reason=reason[:200],
        recorded_at=at,
        recorded_by=by,
    )
    surplus = paid - new_amount
    detail: dict[str, Any] = {"act": "kosei", "chotei": chotei.pk, "from": amount, "to": new_amount}
    if surplus > 0:
        kagono = Kagono.objects.create(
            atena_no=chotei.atena_no,
            amount=surplus,
            arose_on=on,
            reason=KagonoReason.REDUCED,
            chotei=chotei,
            recorded_at=at,
        )
        Keshikomi.objects.create(
            chotei=chotei,
            kind=KeshikomiKind.REVERSAL,
            amount=-surplus,
            applied_on=on,
            kagono=kagono,
            recorded_at=at,
        )
        detail["kagono"] = {"id": kagono.pk, "amount": surplus}
    audit(AuditAction.CHANGE, object_type="shuno.chotei", object_id=chotei.atena_no, detail=detail)
    return kosei
