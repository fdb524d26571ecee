"""API v1: 宛名 search, 住民票 detail and history, 異動, certificates.

No ``from __future__ import annotations`` here: django-ninja reads the real annotation objects
of each operation (through the access decorator's ``__wrapped__``).
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Router, Status
from ninja.security import django_auth

from kyodo.atena import blocks
from kyodo.atena.kana import to_katakana
from kyodo.atena.models import Block, BlockOperation, Person
from kyodo.atena.search import Query as SearchQuery
from kyodo.atena.selectors import person_find
from kyodo.atena.services import JutogaiInput, jutogai_register
from kyodo.platform.accounts.access import can
from kyodo.platform.audit import record as audit
from kyodo.platform.crypto import decrypt
from kyodo.platform.errors import NotFound, ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.units.juki.issue import IssueRequest, issue_certificate, issue_certificates
from kyodo.units.juki.models import JuminRecord
from kyodo.units.juki.selectors import (
    history,
    household_as_of,
    household_members,
    person_record,
    record_json,
)
from kyodo.units.juki.services.common import Address
from kyodo.units.juki.services.inputs import Reader, read_member
from kyodo.units.juki.services.shokken import torikeshi
from kyodo.units.juki.services.shussei_shibou import shibou, shussei
from kyodo.units.juki.services.tenkyo_setai import tenkyo
from kyodo.units.juki.services.tenshutsu import tenshutsu_kakutei, tenshutsu_yotei
from kyodo.units.juki.services.tenyu import read_move_in_data, tenyu
from kyodo.web.api import errors, kokuho, linkage
from kyodo.web.api.guard import ERRORS, guarded
from kyodo.web.api.guard import optional_date as _date
from kyodo.web.api.guard import required_date as _required_date
from kyodo.web.api.schemas import (
    BirthIn,
    BlockIn,
    BlockOut,
    CancelIn,
    CertificateIn,
    DeathIn,
    IdouOut,
    JutogaiIn,
    JutogaiOut,
    LiftIn,
    MoveInIn,
    MoveInOut,
    MoveOutConfirmIn,
    MoveOutIn,
    RevealOut,
    SearchOut,
    TemporaryLiftIn,
    TenkyoIn,
)

API_PURPOSE = "API照会"
BULK_LIMIT = 1000
api = NinjaAPI(
    docs_url=None,  # the interactive page loads assets from a CDN; the schema is enough
    title="Kyodo 住民記録 API",
    version="1",
    auth=django_auth,
    urls_namespace="api",
    description="宛名検索・住民票照会・異動・証明書発行。画面と同じ権限と監査ログ。",
)
errors.register(api)
persons = Router(tags=["宛名・住民票"])
idou = Router(tags=["異動"])
certificates = Router(tags=["証明書"])
protection = Router(tags=["抑止・支援措置"])


def _may_see_protected(request: HttpRequest) -> bool:
    return can(request.user, "shien", "view")


def _may_change(request: HttpRequest, atena_nos: list[int]) -> None:
    """The 異動 blocks (抑止・支援措置) of every person a change touches."""
    for atena_no in atena_nos:
        blocks.check(atena_no, BlockOperation.IDOU, may_see_protected=_may_see_protected(request))


def _outcome(outcome: Any) -> dict[str, Any]:
    return {
        "idou": outcome.idou.pk,
        "kind": outcome.idou.kind,
        "records": [record_json(r) for r in outcome.records],
        "notices": outcome.notices,
    }


@guarded(persons.get, "/persons", "atena", "view", response={200: SearchOut, **ERRORS})
def person_search(
    request: HttpRequest,
    *,
    q: str = "",
    birth: str = "",
    address: str = "",
    partial: bool = False,
    purpose: str = API_PURPOSE,
) -> dict[str, Any]:
    """候補者検索: a name from its start (氏名, 名, past names; fuzzy kana, 異体字), or anywhere
    in it with partial=true (slower); 宛名番号, 住民票コード, birth date, address."""
    query = SearchQuery(
        text=q[:60],
        birth=birth[:20],
        address=address[:100],
        partial=partial,
        my_number_allowed=can(request.user, "juki", "manage"),
    )
    if not (query.text or query.birth or query.address):
        raise ValidationFailed("検索条件を入力してください", field="q")
    try:
        found = person_find(query=query, purpose=purpose)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="birth") from None
    return {"results": [_hit(p) for p in found]}


def _hit(person: Person) -> dict[str, Any]:
    household = person.household
    return {
        "atena_no": person.atena_no,
        "kind": person.kind,
        "name": person.full_name,
        "kana": person.full_kana,
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "address": f"{household.town}{household.banchi}\u3000{household.katagaki}".strip("\u3000")
        if household
        else person.outside_address,
        "household_no": household.household_no if household else None,
        "blocked": bool(getattr(person, "blocked", False)),
    }


@guarded(
    persons.get, "/persons/{atena_no}", "juki", "view", response={200: dict[str, Any], **ERRORS}
)
def person_detail(
    request: HttpRequest, atena_no: int, as_of: str | None = None, purpose: str = API_PURPOSE
) -> dict[str, Any]:
    """A person's 住民票 now, or as of a past date (as_of=YYYY-MM-DD)."""
    alerts = blocks.check(
        atena_no, BlockOperation.SHOKAI, may_see_protected=_may_see_protected(request)
    ).alerts
    record = person_record(atena_no=atena_no, as_of=_date(as_of, "as_of"), purpose=purpose)
    return {**record_json(record), "alerts": alerts}


@guarded(
    persons.get,
    "/persons/{atena_no}/history",
    "juki",
    "view",
    response={200: list[dict[str, Any]], **ERRORS},
)
def person_history(
    request: HttpRequest, atena_no: int, purpose: str = API_PURPOSE
) -> list[dict[str, Any]]:
    """Every snapshot (履歴番号 order), 除票 included."""
    blocks.check(atena_no, BlockOperation.SHOKAI, may_see_protected=_may_see_protected(request))
    rows = history(atena_no)
    if not rows:
        raise NotFound(f"宛名番号 {atena_no} の住民票はありません", field="atena_no")
    audit(
        AuditAction.READ,
        object_type="juki.person",
        object_id=atena_no,
        purpose=purpose,
        detail={"history": True},
    )
    return [record_json(r) for r in rows]


@guarded(
    persons.get,
    "/households/{household_no}",
    "juki",
    "view",
    response={200: list[dict[str, Any]], **ERRORS},
)
def household_detail(
    request: HttpRequest, household_no: int, as_of: str | None = None, purpose: str = API_PURPOSE
) -> list[dict[str, Any]]:
    """A household's members now, or as of a past date."""
    members = household_members(
        household_no=household_no, as_of=_date(as_of, "as_of"), purpose=purpose
    )
    if not members:
        raise NotFound(f"世帯番号 {household_no} の世帯はありません", field="household_no")
    for member in members:
        blocks.check(
            member.atena_no, BlockOperation.SHOKAI, may_see_protected=_may_see_protected(request)
        )
    return [record_json(m) for m in members]


@guarded(
    persons.post,
    "/persons/{atena_no}/my-number",
    "juki",
    "manage",
    response={200: RevealOut, **ERRORS},
)
def my_number_reveal(request: HttpRequest, atena_no: int, purpose: str) -> dict[str, Any]:
    """個人番号 in clear: only with the 管理 role, always with a purpose, always audited."""
    if not purpose.strip():
        raise ValidationFailed("使用目的は必須です", field="purpose")
    person = Person.objects.filter(atena_no=atena_no).first()
    if person is None:
        raise NotFound(f"宛名番号 {atena_no} はありません", field="atena_no")
    blocks.check(atena_no, BlockOperation.SHOKAI, may_see_protected=_may_see_protected(request))
    audit(AuditAction.REVEAL, object_type="atena.person", object_id=atena_no, purpose=purpose)
    return {
        "atena_no": atena_no,
        "my_number": decrypt(person.my_number) if person.my_number else None,
    }


@guarded(persons.post, "/jutogai", "atena", "change", response={201: JutogaiOut, **ERRORS})
def jutogai_create(request: HttpRequest, payload: JutogaiIn) -> Status[dict[str, Any]]:
    """Register a 住登外 person (someone the municipality deals with who lives elsewhere)."""
    created = jutogai_register(
        JutogaiInput(
            family_name=payload.family_name,
            given_name=payload.given_name,
            family_kana=to_katakana(payload.family_kana),
            given_kana=to_katakana(payload.given_kana),
            birth_date=_required_date(payload.birth_date, "birth_date"),
            sex=payload.sex,
            address=payload.address,
            my_number=payload.my_number,
        ),
        source="request",
    )
    return Status(201, {"atena_no": created.atena_no, "kind": created.kind})


@guarded(idou.post, "/move-in", "juki", "change", response={201: MoveInOut, **ERRORS})
def move_in(request: HttpRequest, payload: MoveInIn) -> Status[dict[str, Any]]:
    """転入 of one household (same JSON as ``kyodo juki move-in``)."""
    outcome = tenyu(read_move_in_data(payload.dict(), source="request"), source="request")
    return Status(
        201,
        {
            "household_no": outcome.records[0].household_no,
            "idou": outcome.idou.pk,
            "members": [
                {"atena_no": r.atena_no, "juminhyo_code": r.juminhyo_code} for r in outcome.records
            ],
        },
    )


@guarded(idou.post, "/move-out", "juki", "change", response={201: IdouOut, **ERRORS})
def move_out(request: HttpRequest, payload: MoveOutIn) -> Status[dict[str, Any]]:
    """転出届 (or 国外転出 with abroad=true)."""
    _may_change(request, payload.atena_nos)
    outcome = tenshutsu_yotei(
        atena_nos=payload.atena_nos,
        moved_on=_required_date(payload.moved_on, "moved_on"),
        notified_on=_required_date(payload.notified_on, "notified_on"),
        destination=payload.destination,
        abroad=payload.abroad,
    )
    return Status(201, _outcome(outcome))


@guarded(
    idou.post,
    "/persons/{atena_no}/move-out-confirm",
    "juki",
    "change",
    response={201: IdouOut, **ERRORS},
)
def move_out_confirm(
    request: HttpRequest, atena_no: int, payload: MoveOutConfirmIn
) -> Status[dict[str, Any]]:
    """転出確定 when the new municipality's 転入通知 arrives."""
    _may_change(request, [atena_no])
    outcome = tenshutsu_kakutei(
        atena_no=atena_no, moved_in_on=_required_date(payload.moved_in_on, "moved_in_on")
    )
    return Status(201, _outcome(outcome))


@guarded(
    idou.post, "/persons/{atena_no}/death", "juki", "change", response={201: IdouOut, **ERRORS}
)
def death(request: HttpRequest, atena_no: int, payload: DeathIn) -> Status[dict[str, Any]]:
    """死亡 (職権消除)."""
    _may_change(request, [atena_no])
    outcome = shibou(
        atena_no=atena_no,
        died_on=_required_date(payload.died_on, "died_on"),
        notified_on=_date(payload.notified_on, "notified_on"),
    )
    return Status(201, _outcome(outcome))


@guarded(idou.post, "/birth", "juki", "change", response={201: IdouOut, **ERRORS})
def birth(request: HttpRequest, payload: BirthIn) -> Status[dict[str, Any]]:
    """出生 (職権記載) into an existing household."""
    child = read_member(Reader(payload.child.dict(), source="request", path="child"))
    outcome = shussei(
        household_no=payload.household_no,
        child=child,
        notified_on=_required_date(payload.notified_on, "notified_on"),
    )
    return Status(201, _outcome(outcome))


@guarded(idou.post, "/tenkyo", "juki", "change", response={201: IdouOut, **ERRORS})
def move_within(request: HttpRequest, payload: TenkyoIn) -> Status[dict[str, Any]]:
    """転居 of a whole household within the municipality."""
    _may_change(request, [m.atena_no for m in household_as_of(payload.household_no)])
    outcome = tenkyo(
        household_no=payload.household_no,
        moved_on=_required_date(payload.moved_on, "moved_on"),
        notified_on=_required_date(payload.notified_on, "notified_on"),
        address=Address(**payload.address.dict()),
    )
    return Status(201, _outcome(outcome))


@guarded(idou.post, "/{idou_id}/cancel", "juki", "change", response={201: IdouOut, **ERRORS})
def cancel(request: HttpRequest, idou_id: int, payload: CancelIn) -> Status[dict[str, Any]]:
    """異動の取消し of a 異動 entered by mistake."""
    _may_change(
        request,
        list(JuminRecord.objects.filter(idou_id=idou_id).values_list("atena_no", flat=True)),
    )
    return Status(201, _outcome(torikeshi(idou_id=idou_id, reason=payload.reason)))


@guarded(certificates.post, "", "juki", "issue", response={200: None, **ERRORS})
def certificate(request: HttpRequest, payload: CertificateIn) -> HttpResponse:
    """Issue a certificate; the response is the PDF (発行番号 in X-Kyodo-Issue-No)."""
    outcome = issue_certificate(
        IssueRequest(
            atena_no=payload.atena_no,
            kind=payload.kind,
            requester=payload.requester,
            purpose=payload.purpose,
            household=payload.household,
            layout=payload.layout,
            with_items=payload.with_items,
            may_see_protected=_may_see_protected(request),
        )
    )
    response = HttpResponse(outcome.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{outcome.issue_no}.pdf"'
    response["X-Kyodo-Issue-No"] = outcome.issue_no
    response["X-Kyodo-Pages"] = str(outcome.pages)
    return response


@guarded(certificates.post, "/bulk", "juki", "issue", response={200: None, **ERRORS})
def certificates_bulk(request: HttpRequest, payload: list[CertificateIn]) -> HttpResponse:
    """Issue many certificates as one print-ready PDF (all or nothing; 発行番号 of each in
    X-Kyodo-Issue-Nos)."""
    if not 1 <= len(payload) <= BULK_LIMIT:
        raise ValidationFailed(f"一度に発行できるのは1〜{BULK_LIMIT}通です", field="requests")
    may_see = _may_see_protected(request)
    outcome = issue_certificates(
        [
            IssueRequest(
                atena_no=c.atena_no,
                kind=c.kind,
                requester=c.requester,
                purpose=c.purpose,
                household=c.household,
                layout=c.layout,
                with_items=c.with_items,
                may_see_protected=may_see,
            )
            for c in payload
        ]
    )
    response = HttpResponse(outcome.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{outcome.issue_nos[0]}-bulk.pdf"'
    response["X-Kyodo-Issue-Nos"] = ",".join(outcome.issue_nos)
    response["X-Kyodo-Pages"] = str(outcome.pages)
    return response


def _block_json(block: Block) -> dict[str, Any]:
    return {
        "id": block.pk,
        "atena_no": block.atena_no,
        "kind": block.kind,
        "operations": block.operations,
        "level": block.level,
        "start_date": block.start_date.isoformat(),
        "end_date": block.end_date.isoformat() if block.end_date else None,
        "ended_on": block.ended_on.isoformat() if block.ended_on else None,
        "lifted_until": block.lifted_until.isoformat() if block.lifted_until else None,
        "reason": block.reason,
    }


def _block(block_id: int) -> Block:
    block = Block.objects.filter(pk=block_id).first()
    if block is None:
        raise NotFound(f"抑止 {block_id} はありません", field="block")
    return block


@guarded(
    protection.get,
    "/persons/{atena_no}/blocks",
    "shien",
    "view",
    response={200: list[BlockOut], **ERRORS},
)
def block_list(request: HttpRequest, atena_no: int) -> list[dict[str, Any]]:
    """抑止・支援措置 on a person, lifted ones included."""
    audit(AuditAction.READ, object_type="atena.block", object_id=atena_no)
    return [_block_json(b) for b in Block.objects.filter(atena_no=atena_no).order_by("pk")]


@guarded(
    protection.post,
    "/persons/{atena_no}/blocks",
    "shien",
    "manage",
    response={201: BlockOut, **ERRORS},
)
def block_create(request: HttpRequest, atena_no: int, payload: BlockIn) -> Status[dict[str, Any]]:
    """Set a 抑止 or (仮)支援措置 on a person."""
    if not Person.objects.filter(atena_no=atena_no).exists():
        raise NotFound(f"宛名番号 {atena_no} はありません", field="atena_no")
    block = blocks.block_set(
        atena_no=atena_no,
        kind=payload.kind,
        operations=payload.operations,
        level=payload.level,
        start=_required_date(payload.start, "start"),
        end=_date(payload.end, "end"),
        reason=payload.reason,
        by=request.user.get_username(),
    )
    return Status(201, _block_json(block))


@guarded(
    protection.post,
    "/blocks/{block_id}/extend",
    "shien",
    "manage",
    response={200: BlockOut, **ERRORS},
)
def block_extend(request: HttpRequest, block_id: int) -> dict[str, Any]:
    """Extend a 支援措置 by one year (from one month before its end)."""
    return _block_json(blocks.block_extend(_block(block_id)))


@guarded(
    protection.post,
    "/blocks/{block_id}/lift",
    "shien",
    "manage",
    response={200: BlockOut, **ERRORS},
)
def block_lift(request: HttpRequest, block_id: int, payload: LiftIn) -> dict[str, Any]:
    """End a block (解除)."""
    on = _date(payload.on, "on") or timezone.localdate()
    return _block_json(blocks.block_lift(_block(block_id), on=on, by=request.user.get_username()))


@guarded(
    protection.post,
    "/blocks/{block_id}/lift-temporarily",
    "shien",
    "manage",
    response={200: BlockOut, **ERRORS},
)
def block_lift_temporarily(
    request: HttpRequest, block_id: int, payload: TemporaryLiftIn
) -> dict[str, Any]:
    """一時解除: the block is in force again by itself after ``minutes``."""
    return _block_json(
        blocks.block_lift_temporarily(
            _block(block_id), minutes=payload.minutes, by=request.user.get_username()
        )
    )


api.add_router("/", persons)
api.add_router("/protection", protection)
api.add_router("/idou", idou)
api.add_router("/certificates", certificates)
api.add_router("/kokuho", kokuho.router)
api.add_router("/linkage", linkage.router)


def operations() -> list[tuple[str, list[str], Any]]:
    """(path, methods, view) of every API operation, for the authorization-matrix test."""
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            route = "/".join(part.strip("/") for part in (prefix, path) if part.strip("/"))
            for operation in path_view.operations:
                found.append(("/api/v1/" + route, list(operation.methods), operation.view_func))
    return found
