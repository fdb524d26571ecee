"""API v1, 国民健康保険 資格: a person's 資格, the worklist of pending 取得, and the clerk's
acts (confirm, 取得, 喪失) — the same services, blocks and audit as the kokuho screens.

No ``from __future__ import annotations`` here: django-ninja reads the real annotations.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Schema, Status

from kyodo.atena import blocks
from kyodo.atena.models import BlockOperation, Person
from kyodo.platform.accounts.access import can
from kyodo.platform.errors import NotFound, ValidationFailed
from kyodo.units.kokuho.selectors import pending_list, shikaku_show
from kyodo.units.kokuho.services import shikaku_acquire, shikaku_confirm, shikaku_json, shikaku_lose
from kyodo.web.api.guard import ERRORS, guarded

PURPOSE = "国保資格照会"
router = Router(tags=["国民健康保険"])


class ShikakuOut(Schema):
    id: int
    atena_no: int
    household_no: int
    status: str
    status_label: str
    acquired_on: dt.date
    acquire_reason: str
    acquire_reason_label: str
    lost_on: dt.date | None
    lose_reason: str | None
    lose_reason_label: str | None
    confirmed_by: str | None
    source_event: int | None


class SetainushiOut(Schema):
    atena_no: int
    gisei: bool  # 擬制世帯主: the head has no 資格 while members do
    insured: list[int]


class PersonShikakuOut(Schema):
    atena_no: int
    current: ShikakuOut | None
    history: list[ShikakuOut]
    setainushi: SetainushiOut | None


class AcquireIn(Schema):
    on: dt.date  # 資格取得日
    reason: str  # AcquireReason: tennyu, shaho_ridatsu, shussei, seiho_haishi, other


class LoseIn(Schema):
    on: dt.date  # 資格喪失日
    reason: str  # LoseReason: tenshutsu, shibou, shaho_kanyu, koki_75, other


def _may_see_protected(request: HttpRequest) -> bool:
    return can(request.user, "shien", "view")


def _checked(request: HttpRequest, atena_no: int, operation: str) -> int:
    """The person exists here and no 抑止・支援措置 block stops this operation; their 世帯."""
    household = (
        Person.objects.filter(atena_no=atena_no)
        .values_list("household__household_no", flat=True)
        .first()
    )
    if household is None and not Person.objects.filter(atena_no=atena_no).exists():
        raise NotFound(f"宛名番号 {atena_no} の宛名がありません", field="atena_no")
    blocks.check(atena_no, operation, may_see_protected=_may_see_protected(request))
    return household or 0


@guarded(router.get, "/pending", "kokuho", "view", response={200: list[ShikakuOut], **ERRORS})
def kokuho_pending(request: HttpRequest) -> list[dict[str, Any]]:
    """取得確認待ち: 資格 created from 転入・出生 awaiting the clerk's confirmation."""
    return pending_list(purpose=PURPOSE)


@guarded(
    router.get, "/persons/{atena_no}", "kokuho", "view", response={200: PersonShikakuOut, **ERRORS}
)
def kokuho_person(request: HttpRequest, atena_no: int) -> dict[str, Any]:
    """A person's 資格, current and past (newest first), and their 世帯's 国保 世帯主."""
    _checked(request, atena_no, BlockOperation.SHOKAI)
    return shikaku_show(atena_no=atena_no, purpose=PURPOSE)


@guarded(
    router.post,
    "/persons/{atena_no}/confirm",
    "kokuho",
    "change",
    response={200: ShikakuOut, **ERRORS},
)
def kokuho_confirm(request: HttpRequest, atena_no: int) -> dict[str, Any]:
    """Confirm a pending 取得 (the 届出 was received): pending → active."""
    _checked(request, atena_no, BlockOperation.IDOU)
    return shikaku_json(shikaku_confirm(atena_no=atena_no, by=request.user.get_username()))


@guarded(
    router.post,
    "/persons/{atena_no}/acquire",
    "kokuho",
    "change",
    response={201: ShikakuOut, **ERRORS},
)
def kokuho_acquire(
    request: HttpRequest, atena_no: int, payload: AcquireIn
) -> Status[dict[str, Any]]:
    """A 取得 entered directly (社保離脱, 生保廃止, …): active at once, in the person's 世帯."""
    with transaction.atomic():
        household_no = _checked(request, atena_no, BlockOperation.IDOU)
        if not household_no:
            raise ValidationFailed("世帯に属していない宛名です", field="atena_no")
        row = shikaku_acquire(
            atena_no=atena_no, household_no=household_no, on=payload.on, reason=payload.reason
        )
    return Status(201, shikaku_json(row))


@guarded(
    router.post,
    "/persons/{atena_no}/lose",
    "kokuho",
    "change",
    response={200: ShikakuOut, **ERRORS},
)
def kokuho_lose(request: HttpRequest, atena_no: int, payload: LoseIn) -> dict[str, Any]:
    """A 喪失 entered by the clerk (社保加入, …); ``on`` is the 資格喪失日."""
    _checked(request, atena_no, BlockOperation.IDOU)
    return shikaku_json(shikaku_lose(atena_no=atena_no, on=payload.on, reason=payload.reason))
