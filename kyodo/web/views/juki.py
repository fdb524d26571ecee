"""The resident-registry counter (住民記録 窓口): search → person and household (with history
and as-of views) → 異動 forms → certificate preview and issue. Keyboard-first; every read and
change goes through the same services, blocks and audit as the API."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop, ngettext

from kyodo.atena import blocks
from kyodo.atena.models import BlockOperation
from kyodo.atena.search import Query
from kyodo.atena.selectors import person_find
from kyodo.platform.accounts.access import can, unit_required
from kyodo.platform.errors import KyodoError, NotFound, PermissionDenied, ValidationFailed
from kyodo.rules.wareki import parse_date, to_wareki
from kyodo.units.juki.issue import IssueRequest, issue_certificate
from kyodo.units.juki.models import CURRENT_STATUSES, Idou, IdouKind
from kyodo.units.juki.selectors import history, household_members, person_record
from kyodo.units.juki.services.shussei_shibou import shibou
from kyodo.units.juki.services.tenshutsu import tenshutsu_yotei
from kyodo.units.juki.services.tenyu import read_move_in_data, tenyu
from kyodo.web.forms_juki import (
    ZOKUGARA_HINTS,
    CertificateForm,
    DeathForm,
    MemberFormSet,
    MoveInForm,
    MoveOutForm,
    SearchForm,
)

PURPOSE = "窓口照会"
NO_CONDITIONS = gettext_noop("検索条件を1つ以上入力してください。")


def _may_see_protected(request: HttpRequest) -> bool:
    return can(request.user, "shien", "view")


def _blocked(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return render(request, "kyodo/error.html", {"status": 403, "message": exc.reason}, status=403)


@unit_required("juki", "view")
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results: list[Any] = []
    searched = False
    if form.is_valid() and any(form.cleaned_data.values()):
        searched = True
        query = Query(
            text=form.cleaned_data["q"],
            birth=form.cleaned_data["birth"],
            address=form.cleaned_data["address"],
            partial=form.cleaned_data["partial"],
            my_number_allowed=can(request.user, "juki", "manage"),
        )
        try:
            results = person_find(query=query, purpose=PURPOSE)
        except ValueError as exc:
            form.add_error("birth", str(exc))
    elif request.GET:
        form.add_error(None, gettext(NO_CONDITIONS))
    return render(
        request, "kyodo/juki/search.html", {"form": form, "results": results, "searched": searched}
    )


@unit_required("juki", "view")
def person(request: HttpRequest, atena_no: int) -> HttpResponse:
    tab = request.GET.get("tab", "current")
    as_of_text = request.GET.get("as_of", "").strip()
    as_of = None
    error = ""
    if as_of_text:
        try:
            as_of = parse_date(as_of_text)
        except ValueError as exc:
            error = str(exc)
    try:
        alerts = blocks.check(
            atena_no, BlockOperation.SHOKAI, may_see_protected=_may_see_protected(request)
        ).alerts
        record = person_record(atena_no=atena_no, as_of=as_of, purpose=PURPOSE)
    except PermissionDenied as exc:
        return _blocked(request, exc)
    except NotFound as exc:
        if as_of is None:
            raise Http404(exc.reason) from exc
        return render(
            request, "kyodo/error.html", {"status": 404, "message": exc.reason}, status=404
        )
    members: list[Any] = []
    if record.status in CURRENT_STATUSES:
        for member in household_members(
            household_no=record.household_no, as_of=as_of, purpose=PURPOSE
        ):
            try:
                blocks.check(
                    member.atena_no,
                    BlockOperation.SHOKAI,
                    may_see_protected=_may_see_protected(request),
                )
            except PermissionDenied:
                members.append(None)  # withheld: a protected member's items stay hidden
            else:
                members.append(member)
    rows = history(atena_no) if tab == "history" else []
    latest_idou = Idou.objects.filter(records__atena_no=atena_no).order_by("-pk").first()
    return render(
        request,
        "kyodo/juki/person.html",
        {
            "record": record,
            "members": members,
            "history": rows,
            "tab": tab,
            "as_of": as_of,
            "as_of_text": as_of_text,
            "as_of_error": error,
            "alerts": alerts,
            "is_current": record.status in CURRENT_STATUSES,
            "latest_idou": latest_idou,
            "can_change": can(request.user, "juki", "change"),
            "can_issue": can(request.user, "juki", "issue"),
            "can_madoguchi": can(request.user, "madoguchi", "view"),
            "wareki": to_wareki,
        },
    )


def _apply_errors(exc: ValidationFailed, form: Any, formset: Any = None) -> None:
    """Put a service error on the field it names (``members[1].birth_date`` → member 2)."""
    field = exc.field or ""
    if field.startswith("members[") and formset is not None:
        index = int(field[8 : field.index("]")])
        name = field.split(".", 1)[1] if "." in field else None
        target = formset.forms[index] if index < len(formset.forms) else None
        if target is not None:
            target.add_error(name if name in target.fields else None, exc.reason)
            return
    form.add_error(field if field in form.fields else None, exc.reason)


@unit_required("juki", "change")
def move_in(request: HttpRequest) -> HttpResponse:
    form = MoveInForm(request.POST or None)
    formset = MemberFormSet(request.POST or None, prefix="m")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        members = [f.cleaned_data for f in formset.forms if f.has_changed() and f.cleaned_data]
        data = form.cleaned_data
        payload = {
            "moved_on": data["moved_on"].isoformat(),
            "notified_on": data["notified_on"].isoformat(),
            "address": {k: data[k] for k in ("town", "banchi", "katagaki", "postal_code")},
            "previous_address": data["previous_address"],
            "members": [
                {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in m.items()}
                for m in members
            ],
        }
        try:
            if not members:
                raise ValidationFailed(gettext("世帯員を1人以上入力してください"), field="members")
            outcome = tenyu(read_move_in_data(payload, source="転入届"), source="転入届")
        except ValidationFailed as exc:
            _apply_errors(exc, form, formset)
        else:
            head = outcome.records[0]
            messages.success(
                request,
                ngettext(
                    "転入を記録しました（世帯番号 %(household_no)s、%(count)d人）。",
                    "転入を記録しました（世帯番号 %(household_no)s、%(count)d人）。",
                    len(outcome.records),
                )
                % {"household_no": head.household_no, "count": len(outcome.records)},
            )
            if can(request.user, "madoguchi", "view"):
                # The one-stop counter: on to every procedure this household now needs.
                query = urlencode({"event": "moved_in", "date": data["moved_on"].isoformat()})
                url = reverse("madoguchi_household", args=[head.household_no])
                return redirect(f"{url}?{query}")
            return redirect("juki_person", atena_no=head.atena_no)
    return render(
        request,
        "kyodo/juki/move_in.html",
        {"form": form, "formset": formset, "zokugara_hints": ZOKUGARA_HINTS},
    )


def _person_action(
    request: HttpRequest, atena_no: int, form: Any, *, template: str, run: Any, done: str
) -> HttpResponse:
    try:
        blocks.check(atena_no, BlockOperation.IDOU, may_see_protected=_may_see_protected(request))
        record = person_record(atena_no=atena_no, purpose=PURPOSE)
    except PermissionDenied as exc:
        return _blocked(request, exc)
    except NotFound as exc:
        raise Http404(exc.reason) from exc
    if request.method == "POST" and form.is_valid():
        try:
            outcome = run(form.cleaned_data)
        except ValidationFailed as exc:
            _apply_errors(exc, form)
        else:
            messages.success(request, done)
            for notice in outcome.notices:
                messages.warning(request, notice)
            return redirect("juki_person", atena_no=atena_no)
    return render(request, template, {"form": form, "record": record})


@unit_required("juki", "change")
def move_out(request: HttpRequest, atena_no: int) -> HttpResponse:
    form = MoveOutForm(
        request.POST or None, initial={"notified_on": timezone.localdate().isoformat()}
    )
    return _person_action(
        request,
        atena_no,
        form,
        template="kyodo/juki/move_out.html",
        run=lambda d: tenshutsu_yotei(
            atena_nos=[atena_no],
            moved_on=d["moved_on"],
            notified_on=d["notified_on"],
            destination=d["destination"],
            abroad=d["abroad"],
        ),
        done=gettext("転出届を記録しました。"),
    )


@unit_required("juki", "change")
def death(request: HttpRequest, atena_no: int) -> HttpResponse:
    form = DeathForm(request.POST or None)
    return _person_action(
        request,
        atena_no,
        form,
        template="kyodo/juki/death.html",
        run=lambda d: shibou(atena_no=atena_no, died_on=d["died_on"], notified_on=d["notified_on"]),
        done=gettext("死亡による消除を記録しました。"),
    )


@unit_required("juki", "issue")
def certificate(request: HttpRequest, atena_no: int) -> HttpResponse:
    try:
        record = person_record(atena_no=atena_no, purpose=PURPOSE)
    except NotFound as exc:
        raise Http404(exc.reason) from exc
    default_kind = "juminhyo" if record.status in CURRENT_STATUSES else "josho"
    form = CertificateForm(request.POST or None, initial={"kind": default_kind})
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issue = IssueRequest(
            atena_no=atena_no,
            kind=data["kind"],
            requester=data["requester"],
            purpose=data["purpose"],
            household=data["household"],
            layout=data["layout"],
            with_items=data["with_items"],
            may_see_protected=_may_see_protected(request),
        )
        if request.POST.get("action") == "issue":
            try:
                outcome = issue_certificate(issue)
            except PermissionDenied as exc:
                return _blocked(request, exc)
            except KyodoError as exc:
                form.add_error(None, exc.reason)
            else:
                response = HttpResponse(outcome.pdf, content_type="application/pdf")
                response["Content-Disposition"] = f'inline; filename="{outcome.issue_no}.pdf"'
                response["X-Kyodo-Issue-No"] = outcome.issue_no
                return response
        else:
            preview = _preview(request, issue, form)
    return render(
        request, "kyodo/juki/certificate.html", {"form": form, "record": record, "preview": preview}
    )


def _preview(request: HttpRequest, issue: IssueRequest, form: Any) -> dict[str, Any] | None:
    """What the certificate will show (no 発行番号 yet, nothing recorded as issued)."""
    try:
        for_household = issue.household and issue.kind in ("juminhyo", "kisaijiko")
        record = person_record(atena_no=issue.atena_no, purpose=issue.purpose)
        persons = (
            household_members(household_no=record.household_no, purpose=issue.purpose)
            if for_household
            else [record]
        )
        for p in persons:
            blocks.check(
                p.atena_no, BlockOperation.HAKKO, may_see_protected=issue.may_see_protected
            )
    except KyodoError as exc:
        form.add_error(None, exc.reason)
        return None
    items = set(issue.with_items)
    return {
        "persons": persons,
        "items": items,
        "kind": dict(CertificateForm.KINDS)[issue.kind],
        "layout": issue.layout,
        "today": dt.date.today(),  # noqa: DTZ011
        "kinds": {k.value: k.label for k in IdouKind},
    }
