"""The 国民健康保険 資格 counter: the worklist of pending 取得 (from 転入・出生 on the hub), a
person's 資格 with its history and 世帯主 (擬制世帯主 shown), and the clerk's acts — confirm,
取得, 喪失 — through the same services, blocks and audit as the API."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kyodo.atena import blocks
from kyodo.atena.models import BlockOperation, Person
from kyodo.platform.accounts.access import can, unit_required
from kyodo.platform.errors import PermissionDenied, ValidationFailed
from kyodo.units.kokuho.selectors import pending_list, shikaku_show
from kyodo.units.kokuho.services import shikaku_acquire, shikaku_confirm, shikaku_lose
from kyodo.web.forms_kokuho import AcquireForm, LookupForm, LoseForm

PURPOSE = "国保資格照会"


def _may_see_protected(request: HttpRequest) -> bool:
    return can(request.user, "shien", "view")


def _person(request: HttpRequest, atena_no: int, operation: str) -> Person:
    person = Person.objects.select_related("household").filter(atena_no=atena_no).first()
    if person is None:
        raise Http404(gettext("宛名番号 %(no)s の宛名がありません") % {"no": atena_no})
    blocks.check(atena_no, operation, may_see_protected=_may_see_protected(request))
    return person


def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return render(request, "kyodo/error.html", {"status": 403, "message": exc.reason}, status=403)


@unit_required("kokuho", "view")
def worklist(request: HttpRequest) -> HttpResponse:
    lookup = LookupForm(request.GET or None)
    if request.GET and lookup.is_valid():
        return redirect("kokuho_person", atena_no=lookup.cleaned_data["atena_no"])
    rows = pending_list(purpose=PURPOSE)
    names = {
        p.atena_no: p for p in Person.objects.filter(atena_no__in=[r["atena_no"] for r in rows])
    }
    return render(
        request,
        "kyodo/kokuho/worklist.html",
        {"lookup": lookup, "rows": [(r, names.get(r["atena_no"])) for r in rows]},
    )


@unit_required("kokuho", "view")
def person(request: HttpRequest, atena_no: int) -> HttpResponse:
    try:
        subject = _person(request, atena_no, BlockOperation.SHOKAI)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    return _render_person(request, subject, AcquireForm(prefix="acquire"), LoseForm(prefix="lose"))


def _render_person(
    request: HttpRequest, subject: Person, acquire: AcquireForm, lose: LoseForm, status: int = 200
) -> HttpResponse:
    shown = shikaku_show(atena_no=subject.atena_no, purpose=PURPOSE)
    head = shown["setainushi"]
    head_person = (
        Person.objects.filter(atena_no=head["atena_no"]).first() if head is not None else None
    )
    return render(
        request,
        "kyodo/kokuho/person.html",
        {
            "subject": subject,
            "shown": shown,
            "head_person": head_person,
            "acquire_form": acquire,
            "lose_form": lose,
            "can_change": can(request.user, "kokuho", "change"),
        },
        status=status,
    )


def _act(request: HttpRequest, atena_no: int, run: Any, done: str, **forms: Any) -> HttpResponse:
    try:
        subject = _person(request, atena_no, BlockOperation.IDOU)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    form = next(iter(forms.values()), None)
    if form is None or form.is_valid():
        try:
            with transaction.atomic():
                run(subject, form.cleaned_data if form is not None else {})
        except ValidationFailed as exc:
            if form is None:
                messages.error(request, exc.reason)
                return redirect("kokuho_person", atena_no=atena_no)
            form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
        else:
            messages.success(request, done)
            return redirect("kokuho_person", atena_no=atena_no)
    acquire = forms.get("acquire", AcquireForm(prefix="acquire"))
    lose = forms.get("lose", LoseForm(prefix="lose"))
    return _render_person(request, subject, acquire, lose, status=422)


@unit_required("kokuho", "change")
@require_POST
def confirm(request: HttpRequest, atena_no: int) -> HttpResponse:
    return _act(
        request,
        atena_no,
        lambda s, _d: shikaku_confirm(atena_no=s.atena_no, by=request.user.get_username()),
        gettext("資格取得を確認しました。"),
    )


@unit_required("kokuho", "change")
@require_POST
def acquire(request: HttpRequest, atena_no: int) -> HttpResponse:
    def run(subject: Person, data: dict[str, Any]) -> None:
        if subject.household is None:
            raise ValidationFailed(gettext("世帯に属していない宛名です"), field="on")
        shikaku_acquire(
            atena_no=subject.atena_no,
            household_no=subject.household.household_no,
            on=data["on"],
            reason=data["reason"],
        )

    return _act(
        request,
        atena_no,
        run,
        gettext("資格取得を記録しました。"),
        acquire=AcquireForm(request.POST, prefix="acquire"),
    )


@unit_required("kokuho", "change")
@require_POST
def lose(request: HttpRequest, atena_no: int) -> HttpResponse:
    return _act(
        request,
        atena_no,
        lambda s, d: shikaku_lose(atena_no=s.atena_no, on=d["on"], reason=d["reason"]),
        gettext("資格喪失を記録しました。"),
        lose=LoseForm(request.POST, prefix="lose"),
    )
