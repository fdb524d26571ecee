"""Issuing certificates: who is printed, which optional items, the 発行番号, the audit.

住民票の写し and 記載事項証明書 cover current residents (the whole household or one person);
除票の写し covers a removed record and is issued only as 個人票; the 転出証明書 covers persons
who filed a 転出. Optional items (世帯主・続柄, 本籍・筆頭者, 住民票コード, 個人番号, history)
are left out unless requested. Every person printed passes the 発行 block check (支援措置),
every issue is recorded with its requester and purpose, and a printed 個人番号 is a reveal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from kyodo.atena import blocks
from kyodo.atena.models import BlockOperation, Person
from kyodo.atena.services import number_block
from kyodo.atena.zokugara import zokugara_sort_key
from kyodo.platform.audit import record as audit
from kyodo.platform.crypto import decrypt
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Tenant
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import actor_name_or, require_tenant_code
from kyodo.units.juki.certificates import (
    Certificate,
    CertificateKind,
    ForeignResident,
    Layout,
    Options,
    PersonEntry,
    page_count,
    render_pdf,
)
from kyodo.units.juki.models import (
    CURRENT_STATUSES,
    REMOVED_STATUSES,
    CertificateIssue,
    IdouKind,
    JuminRecord,
    Status,
)
from kyodo.units.juki.selectors import history, household_as_of, record_as_of
from kyodo.units.juki.services.inputs import FOREIGN_CATEGORIES

WITH_ITEMS = {
    "zokugara": "setainushi_zokugara",
    "honseki": "honseki",
    "juminhyo_code": "juminhyo_code",
    "kojin_bango": "kojin_bango",
    "history": "history",
    "kokuseki": "kokuseki",
    "zairyu_kubun": "zairyu_kubun",
    "zairyu_shikaku": "zairyu_shikaku",
    "zairyu_card": "zairyu_card",
}
SEX_LABELS = {1: "男", 2: "女"}
NOT_CURRENT = "宛名番号 {atena_no} は現在の住民ではありません（除票の写しを選んでください）"
NOT_REMOVED = "宛名番号 {atena_no} は除票ではありません"
NO_MOVE_OUT = "宛名番号 {atena_no} は転出の届出をしていません"
ABROAD_NO_TENSHUTSU = (
    "宛名番号 {atena_no} は国外転出のため転出証明書は発行しません（除票の写しを選んでください）"
)
UNKNOWN_ITEM = "任意項目 {item} はありません（{known}）"
REQUESTER_REQUIRED = "請求者と使用目的は必須です"
UNKNOWN_LAYOUT = "様式は setai_renki（世帯連記式）か kojin（個人票）です"


@dataclass(frozen=True)
class IssueRequest:
    atena_no: int
    kind: str  # juminhyo | kisaijiko | josho | tenshutsu
    requester: str
    purpose: str
    household: bool = False
    layout: str | None = None  # setai_renki | kojin
    with_items: list[str] = field(default_factory=list)
    may_see_protected: bool = False


@dataclass(frozen=True)
class IssueOutcome:
    issue_no: str
    pdf: bytes
    pages: int
    alerts: list[str]


def _options(items: list[str], source: str | None) -> Options:
    unknown = [i for i in items if i not in WITH_ITEMS]
    if unknown:
        raise ValidationFailed(
            UNKNOWN_ITEM.format(item=unknown[0], known=", ".join(WITH_ITEMS)),
            field="with",
            source=source,
        )
    return Options(**{WITH_ITEMS[i]: True for i in items})


def _persons(request: IssueRequest, kind: CertificateKind, source: str | None) -> list[JuminRecord]:
    record = record_as_of(request.atena_no)
    if record is None or record.status == Status.VOID:
        raise ValidationFailed(
            f"宛名番号 {request.atena_no} の住民票はありません", field="atena_no", source=source
        )
    if kind is CertificateKind.JOSHO:
        if record.status not in REMOVED_STATUSES:
            raise ValidationFailed(
                NOT_REMOVED.format(atena_no=record.atena_no), field="atena_no", source=source
            )
        return [record]
    if kind is CertificateKind.TENSHUTSU:
        if not record.tenshutsu_yotei_date or record.status not in (
            Status.TENSHUTSU_YOTEI,
            Status.TENSHUTSU,
        ):
            raise ValidationFailed(
                NO_MOVE_OUT.format(atena_no=record.atena_no), field="atena_no", source=source
            )
        if record.shojo_reason == IdouKind.TENSHUTSU_KOKUGAI:
            # A move abroad is filed in no other municipality: there is no 転入届 to present it
            # to (住基法 第24条 covers moves to another 市町村).
            raise ValidationFailed(
                ABROAD_NO_TENSHUTSU.format(atena_no=record.atena_no),
                field="atena_no",
                source=source,
            )
        if not request.household:
            return [record]
        # Those who filed the same 転出届: after each one's 転出確定 their latest record belongs
        # to a 異動 of their own, so look for the filing itself.
        filed = (
            JuminRecord.objects.filter(
                atena_no=record.atena_no,
                idou_kind__in=(IdouKind.TENSHUTSU_YOTEI, IdouKind.TENSHUTSU_KOKUGAI),
            )
            .order_by("-rireki_no")
            .values_list("idou_id", flat=True)
            .first()
        )
        together = JuminRecord.objects.filter(idou_id=filed).values_list("atena_no", flat=True)
        members = [record_as_of(n) for n in together] if filed else [record]
        return sorted(
            (
                r
                for r in members
                if r is not None
                and r.tenshutsu_yotei_date
                and r.status in (Status.TENSHUTSU_YOTEI, Status.TENSHUTSU)
            ),
            key=lambda r: (zokugara_sort_key(r.zokugara), r.birth_date, r.atena_no),
        )
    if record.status not in CURRENT_STATUSES:
        raise ValidationFailed(
            NOT_CURRENT.format(atena_no=record.atena_no), field="atena_no", source=source
        )
    return household_as_of(record.household_no) if request.household else [record]


def _address_notified_on(record: JuminRecord) -> dt.date | None:
    """The 届出日 printed beside 住所を定めた年月日: that of the filing which fixed the address
    (住基法 第7条第7号), not of the latest 異動 (a pending 転出届, a death, a 世帯主変更 …),
    whose date a certificate must not reveal (standards.md §1.11)."""
    fixed = (
        JuminRecord.objects.filter(
            atena_no=record.atena_no,
            rireki_no__lte=record.rireki_no,
            address_date=record.address_date,
        )
        .order_by("rireki_no")
        .first()
    )
    return (fixed or record).notified_on


def _entry(record: JuminRecord, options: Options, my_number: str) -> PersonEntry:
    foreign = None
    if record.is_foreign:
        items = record.foreign
        end = items.get("period_end")
        foreign = ForeignResident(
            alphabet_name=record.alpha_name,
            nationality=record.nationality,
            category=FOREIGN_CATEGORIES.get(items.get("category", ""), ""),
            tsusho=record.tsusho,
            residence_status=items.get("residence_status", ""),
            period_of_stay=items.get("period_of_stay", ""),
            period_expires_on=dt.date.fromisoformat(end) if end else None,
            card_number=items.get("residence_card_no", "")
            or items.get("special_permanent_card_no", ""),
        )
    lines: list[tuple[dt.date, str]] = []
    if options.history:
        lines = [
            (r.idou_date, f"{IdouKind(r.idou_kind).label}（履歴{r.rireki_no}）")
            for r in history(record.atena_no)
        ]
    removed = record.status in REMOVED_STATUSES
    return PersonEntry(
        name=record.full_name,
        name_kana=record.full_kana,
        birth_date=record.birth_date,
        sex=SEX_LABELS.get(record.sex, ""),
        became_resident_on=record.jumin_date,
        address_fixed_on=record.address_date,
        notified_on=_address_notified_on(record),
        zokugara=record.zokugara,
        previous_address=record.previous_address,
        prior_address=record.before_move_address,
        kyuuji=record.kyuuji,
        kyuuji_kana=record.kyuuji_kana,
        honseki=record.honseki,
        hittosha=record.hittousha,
        juminhyo_code=record.juminhyo_code,
        kojin_bango=my_number,
        foreign=foreign,
        removal_reason=IdouKind(record.shojo_reason).label
        if removed and record.shojo_reason
        else "",
        removed_on=record.shojo_date if removed else None,
        moved_out_to=record.destination_address,
        move_out_on=record.tenshutsu_yotei_date,
        history=lines,
    )


def certificate_entry(record: JuminRecord, options: Options) -> PersonEntry:
    """How ``record`` prints with ``options`` (no 個人番号): for copies of the register made
    to issue certificates elsewhere, e.g. the down-recovery file."""
    return _entry(record, options, "")


@dataclass(frozen=True)
class _Checked:
    request: IssueRequest
    kind: CertificateKind
    options: Options
    layout: Layout
    records: list[JuminRecord]
    alerts: list[str]


def _check(request: IssueRequest, *, source: str | None) -> _Checked:
    """Validate a request and pass the 発行 blocks of everyone it prints.

    Runs outside any savepoint of the issue: a refusal writes a DENIED audit entry, which a
    rolled-back savepoint would take with it.
    """
    if not request.requester.strip() or not request.purpose.strip():
        raise ValidationFailed(REQUESTER_REQUIRED, field="requester", source=source)
    try:
        kind = CertificateKind(request.kind)
    except ValueError:
        raise ValidationFailed(
            "種別は juminhyo, kisaijiko, josho, tenshutsu です", field="kind", source=source
        ) from None
    options = _options(request.with_items, source)
    try:
        layout = (
            Layout(request.layout)
            if request.layout
            else (Layout.SETAI_RENKI if request.household else Layout.KOJIN)
        )
    except ValueError:
        raise ValidationFailed(UNKNOWN_LAYOUT, field="layout", source=source) from None
    if kind is CertificateKind.JOSHO:
        layout = Layout.KOJIN  # 除票 are issued only as 個人票 (standards.md §1.11)
    records = _persons(request, kind, source)
    alerts: list[str] = []
    blocked = blocks.with_blocks([r.atena_no for r in records])
    for record in records:
        if record.atena_no in blocked:
            alerts += blocks.check(
                record.atena_no, BlockOperation.HAKKO, may_see_protected=request.may_see_protected
            ).alerts
    return _Checked(request, kind, options, layout, records, alerts)


def _issue_numbers(count: int, today: dt.date) -> list[str]:
    """発行番号: the year and a serial per municipality and year."""
    return [f"{today.year}-{n:06d}" for n in number_block(f"issue-{today.year}", count)]


def _record(
    checked: _Checked, *, tenant: Tenant, today: dt.date, issue_no: str
) -> tuple[Certificate, int]:
    """Number the certificate, record the issue and its audit (in the caller's transaction)."""
    request, options, records = checked.request, checked.options, checked.records
    numbers = {}
    if options.kojin_bango:
        for person in Person.objects.filter(atena_no__in=[r.atena_no for r in records]):
            numbers[person.atena_no] = decrypt(person.my_number) if person.my_number else ""
            audit(
                AuditAction.REVEAL,
                object_type="juki.person",
                object_id=person.atena_no,
                purpose=request.purpose,
                detail={"printed_on": request.kind},
            )
    head = records[0]
    certificate = Certificate(
        kind=checked.kind,
        layout=checked.layout,
        options=options,
        municipality=f"{tenant.prefecture}{tenant.name}",
        mayor=tenant.mayor or f"{tenant.name}長",
        address=f"{tenant.prefecture}{tenant.name}{head.address}",
        setainushi=head.setainushi_name,
        persons=[_entry(r, options, numbers.get(r.atena_no, "")) for r in records],
        issue_no=issue_no,
        issued_on=today,
    )
    pages = page_count(certificate)
    CertificateIssue.objects.create(
        issue_no=issue_no,
        kind=checked.kind.value,
        atena_nos=[r.atena_no for r in records],
        options=sorted(request.with_items),
        requester=request.requester,
        purpose=request.purpose,
        issued_by=actor_name_or("system"),
        pages=pages,
    )
    audit(
        AuditAction.ISSUE,
        object_type="juki.certificate",
        object_id=issue_no,
        purpose=request.purpose,
        detail={
            "kind": checked.kind.value,
            "atena_nos": [r.atena_no for r in records],
            "requester": request.requester,
            "with": sorted(request.with_items),
            "kojin_bango": options.kojin_bango,
            "pages": pages,
        },
    )
    return certificate, pages


def issue_certificate(request: IssueRequest, *, source: str | None = None) -> IssueOutcome:
    """Issue one certificate: checked, numbered, recorded, audited and drawn."""
    checked = _check(request, source=source)
    tenant = Tenant.objects.get(code=require_tenant_code())
    with transaction.atomic():
        today = timezone.localdate()
        certificate, pages = _record(
            checked, tenant=tenant, today=today, issue_no=_issue_numbers(1, today)[0]
        )
        pdf = render_pdf([certificate])
    return IssueOutcome(issue_no=certificate.issue_no, pdf=pdf, pages=pages, alerts=checked.alerts)


@dataclass(frozen=True)
class BulkOutcome:
    issue_nos: list[str]
    pdf: bytes
    pages: int


def issue_certificates(requests: Sequence[IssueRequest]) -> BulkOutcome:
    """Issue many certificates as one print-ready PDF (bulk issue, e.g. for mailing).

    All or nothing: a refused or invalid request stops the batch, naming its position, and
    nothing of the batch is numbered or recorded. The font subset is embedded once.
    """
    checked = [_check(r, source=f"requests[{i}]") for i, r in enumerate(requests)]
    tenant = Tenant.objects.get(code=require_tenant_code())
    today = timezone.localdate()
    with transaction.atomic():
        numbers = _issue_numbers(len(checked), today)
        made = [
            _record(c, tenant=tenant, today=today, issue_no=no)
            for c, no in zip(checked, numbers, strict=True)
        ]
        pdf = render_pdf([certificate for certificate, _pages in made])
    return BulkOutcome(
        issue_nos=[c.issue_no for c, _p in made], pdf=pdf, pages=sum(pages for _c, pages in made)
    )
