"""総合窓口 (one-stop counter): after an 異動, or on demand, the household's PUSH list — every
procedure it likely needs, each with the rule that fired on which member — then the clerk ticks
procedures and gets one PDF of pre-filled applications. For procedures Kyodo runs itself
(国保 today) the same acceptance applies them: a pending 資格取得 is confirmed, or the 取得 is
recorded when the hub has not created it yet.

The flow is three screens: the household with the questions only the resident can answer
(被用者保険, 厚生年金, ひとり親) and the PUSH list to tick → accepted (what was applied) → the
PDF. The web layer composes the units here; the units themselves never import each other.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.http import require_POST

from kyodo.atena import blocks
from kyodo.atena.models import BlockOperation
from kyodo.madoguchi.applications import Applicant, Application, HouseholdSheet, render_applications
from kyodo.madoguchi.push import Member, Suggestion, push_list
from kyodo.platform.accounts.access import can, unit_required
from kyodo.platform.audit import record as audit
from kyodo.platform.errors import PermissionDenied, ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import require_tenant_code
from kyodo.units.juki.models import JuminRecord
from kyodo.units.juki.selectors import household_members
from kyodo.units.kokuho.models import AcquireReason, Shikaku, ShikakuStatus
from kyodo.units.kokuho.services import history as kokuho_history
from kyodo.units.kokuho.services import is_koki, shikaku_acquire, shikaku_confirm

PURPOSE = "総合窓口"
EVENTS = {"moved_in": "転入", "born": "出生", "moved_out": "転出", "on_demand": "世帯照会"}
# The 取得事由 a 国保 acceptance records when the hub has not created the pending 取得 yet.
KOKUHO_REASONS = {"moved_in": AcquireReason.TENNYU, "born": AcquireReason.SHUSSEI}
HOUSEHOLD = "household"
INTERNAL_REFERENCE = re.compile(r"[、,]\s*rules\.md\s*§[\d.]+")
KOKUHO_RECORDED = gettext_noop(
    "国保の資格取得は窓口で記録済みです。保険証等の交付をご確認ください。"
)


@dataclass(frozen=True)
class Answers:
    """The event and what only the resident can tell the clerk, carried in the query."""

    event: str
    date: dt.date
    single_parent: bool
    employee_insurance: frozenset[int]  # atena_nos
    employee_pension: frozenset[int]

    @classmethod
    def read(cls, data: QueryDict) -> Answers:
        event = data.get("event") or "on_demand"
        if event not in EVENTS:
            raise ValidationFailed(gettext("異動の種類が不正です"), field="event")
        text = data.get("date") or timezone.localdate().isoformat()
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationFailed(gettext("日付は YYYY-MM-DD です"), field="date") from None
        return cls(
            event=event,
            date=date,
            single_parent=data.get("single_parent") == "on",
            employee_insurance=_numbers(data.getlist("ei")),
            employee_pension=_numbers(data.getlist("ep")),
        )

    def query(self) -> list[tuple[str, str]]:
        pairs = [("event", self.event), ("date", self.date.isoformat())]
        if self.single_parent:
            pairs.append(("single_parent", "on"))
        pairs += [("ei", str(n)) for n in sorted(self.employee_insurance)]
        pairs += [("ep", str(n)) for n in sorted(self.employee_pension)]
        return pairs


def _numbers(values: list[str]) -> frozenset[int]:
    return frozenset(int(v) for v in values if v.isdigit())


def _key(suggestion: Suggestion, members: list[JuminRecord]) -> str:
    """A suggestion's tick value: ``procedure:atena_no`` (or ``procedure:household``)."""
    who = HOUSEHOLD if suggestion.member is None else str(members[suggestion.member].atena_no)
    return f"{suggestion.procedure}:{who}"


def _household(request: HttpRequest, household_no: int) -> list[JuminRecord]:
    members = household_members(household_no=household_no, purpose=PURPOSE)
    if not members:
        raise Http404(gettext("世帯番号 %(no)s の世帯はありません") % {"no": household_no})
    for member in members:
        blocks.check(
            member.atena_no,
            BlockOperation.SHOKAI,
            may_see_protected=can(request.user, "shien", "view"),
        )
    return members


def _suggest(members: list[JuminRecord], answers: Answers) -> list[Suggestion]:
    return push_list(
        event=answers.event,
        date=answers.date,
        members=[
            Member(
                birth_date=m.birth_date,
                nationality=m.nationality,
                relationship=m.zokugara,
                flags={
                    "employee_insurance": m.atena_no in answers.employee_insurance,
                    "employee_pension": m.atena_no in answers.employee_pension,
                },
            )
            for m in members
        ],
        single_parent=answers.single_parent,
        municipality=require_tenant_code(),
    )


def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return render(request, "kyodo/error.html", {"status": 403, "message": exc.reason}, status=403)


@unit_required("madoguchi", "view")
def household(request: HttpRequest, household_no: int) -> HttpResponse:
    try:
        answers = Answers.read(request.GET)
        members = _household(request, household_no)
        suggestions = _suggest(members, answers)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    except ValidationFailed as exc:
        return render(
            request, "kyodo/error.html", {"status": 422, "message": exc.reason}, status=422
        )
    kokuho = {m.atena_no: _kokuho_status(m.atena_no) for m in members}
    rows = [
        {
            "key": _key(s, members),
            "suggestion": s,
            "member": members[s.member] if s.member is not None else None,
            "kokuho": kokuho.get(members[s.member].atena_no) if s.member is not None else None,
        }
        for s in suggestions
    ]
    return render(
        request,
        "kyodo/madoguchi/household.html",
        {
            "household_no": household_no,
            "members": members,
            "answers": answers,
            "answer_pairs": answers.query(),
            "events": EVENTS,
            "rows": rows,
            "can_apply": can(request.user, "madoguchi", "change"),
        },
    )


def _kokuho_current(atena_no: int) -> Shikaku | None:
    return next((r for r in kokuho_history(atena_no) if r.status != ShikakuStatus.ENDED), None)


def _kokuho_status(atena_no: int) -> str | None:
    current = _kokuho_current(atena_no)
    return ShikakuStatus(current.status).label if current else None


@unit_required("madoguchi", "change")
@require_POST
def accept(request: HttpRequest, household_no: int) -> HttpResponse:
    """The clerk's ticks: apply what Kyodo runs itself, then offer the PDF."""
    try:
        answers = Answers.read(request.POST)
        members = _household(request, household_no)
        suggestions = _suggest(members, answers)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    except ValidationFailed as exc:
        messages.error(request, exc.reason)
        return redirect(reverse("madoguchi_household", args=[household_no]))
    offered = {_key(s, members) for s in suggestions}
    ticked = [k for k in request.POST.getlist("p") if k in offered]
    back = reverse("madoguchi_household", args=[household_no]) + "?" + urlencode(answers.query())
    if not ticked:
        messages.error(request, gettext("手続きを1つ以上選んでください。"))
        return redirect(back)
    try:
        with transaction.atomic():
            applied = _apply_kokuho(request, members, ticked, answers)
            audit(
                AuditAction.CHANGE,
                object_type="madoguchi.accept",
                object_id=household_no,
                detail={"event": answers.event, "date": answers.date.isoformat(), "ticked": ticked},
            )
    except (ValidationFailed, PermissionDenied) as exc:
        messages.error(request, exc.reason)
        return redirect(back)
    for line in applied:
        messages.success(request, line)
    query = urlencode(answers.query() + [("p", k) for k in ticked])
    return redirect(reverse("madoguchi_accepted", args=[household_no]) + "?" + query)


def _apply_kokuho(
    request: HttpRequest, members: list[JuminRecord], ticked: list[str], answers: Answers
) -> list[str]:
    """国保 資格取得 for each ticked member: confirm the pending 取得 the hub created, or record
    it now (the hub's later event finds a current 資格 and does nothing)."""
    wanted = [int(k.split(":")[1]) for k in ticked if k.startswith("kokuho.enroll:")]
    if not wanted:
        return []
    if not can(request.user, "kokuho", "change"):
        return [gettext("国保の更新権限がないため、国保の届書のみ作成します。")]
    by_no = {m.atena_no: m for m in members}
    may_see_protected = can(request.user, "shien", "view")
    done = []
    for atena_no in wanted:
        member = by_no[atena_no]
        blocks.check(atena_no, BlockOperation.IDOU, may_see_protected=may_see_protected)
        current = _kokuho_current(atena_no)
        name = f"{member.family_name}　{member.given_name}"
        if current is not None and current.status == ShikakuStatus.PENDING:
            shikaku_confirm(atena_no=atena_no, by=request.user.get_username())
        elif current is None and answers.event in KOKUHO_REASONS:
            if is_koki(member.birth_date, answers.date):
                continue
            shikaku_acquire(
                atena_no=atena_no,
                household_no=member.household_no,
                on=answers.date,
                reason=KOKUHO_REASONS[answers.event],
            )
        else:
            continue
        done.append(gettext("%(name)s さんの国保の資格取得を記録しました。") % {"name": name})
    return done


@unit_required("madoguchi", "view")
def accepted(request: HttpRequest, household_no: int) -> HttpResponse:
    try:
        answers = Answers.read(request.GET)
    except ValidationFailed as exc:
        raise Http404(exc.reason) from exc
    pdf = reverse("madoguchi_applications", args=[household_no]) + "?" + request.GET.urlencode()
    back = reverse("madoguchi_household", args=[household_no]) + "?" + urlencode(answers.query())
    return render(
        request,
        "kyodo/madoguchi/accepted.html",
        {
            "household_no": household_no,
            "ticked": len(request.GET.getlist("p")),
            "pdf_url": pdf,
            "back_url": back,
            "can_print": can(request.user, "madoguchi", "issue"),
        },
    )


@unit_required("madoguchi", "issue")
def applications(request: HttpRequest, household_no: int) -> HttpResponse:
    """The ticked procedures as one PDF of pre-filled applications (audited as an issue)."""
    try:
        answers = Answers.read(request.GET)
        members = _household(request, household_no)
        suggestions = _suggest(members, answers)
    except PermissionDenied as exc:
        return _forbidden(request, exc)
    except ValidationFailed as exc:
        raise Http404(exc.reason) from exc
    ticked = set(request.GET.getlist("p"))
    chosen = [s for s in suggestions if _key(s, members) in ticked]
    if not chosen:
        raise Http404(gettext("選ばれた手続きがありません"))
    sheet = _sheet(request, members, answers, household_no)
    pdf = render_applications(sheet, _applications(chosen, members))
    audit(
        AuditAction.ISSUE,
        object_type="madoguchi.applications",
        object_id=household_no,
        purpose=PURPOSE,
        detail={"procedures": sorted(_key(s, members) for s in chosen), "pages": len(chosen)},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="applications-{household_no}.pdf"'
    return response


def _sheet(
    request: HttpRequest, members: list[JuminRecord], answers: Answers, household_no: int
) -> HouseholdSheet:
    head = members[0]
    tenant: Any = request.user.tenant  # type: ignore[union-attr]  # staff of one municipality
    return HouseholdSheet(
        municipality=f"{tenant.prefecture}{tenant.name}",
        household_no=household_no,
        head_name=head.setainushi_name,
        postal_code=head.postal_code,
        address=f"{tenant.prefecture}{tenant.name}{head.address}",
        event=EVENTS[answers.event],
        event_date=answers.date,
        prepared_on=timezone.localdate(),
    )


def _applications(chosen: list[Suggestion], members: list[JuminRecord]) -> list[Application]:
    """One application per procedure, listing every member it was ticked for."""
    grouped: dict[str, list[Suggestion]] = {}
    for s in chosen:
        grouped.setdefault(s.procedure, []).append(s)
    out = []
    for procedure, items in grouped.items():
        applicants = [_applicant(members[s.member]) for s in items if s.member is not None]
        note = ""
        if procedure == "kokuho.enroll":
            statuses = {
                _kokuho_status(members[s.member].atena_no) for s in items if s.member is not None
            }
            if statuses == {ShikakuStatus.ACTIVE.label}:
                note = gettext(
                    "国保の資格取得は窓口で記録済みです。保険証等の交付をご確認ください。"
                )
        out.append(
            Application(
                procedure=procedure,
                title=items[0].name,
                kind=items[0].kind,
                applicants=applicants,
                reasons=[_for_residents(s.reason) for s in items],
                note=note,
            )
        )
    return out


def _for_residents(reason: str) -> str:
    """The reason without the pointers to our own notes (``rules.md §2``), which mean nothing
    to a resident; the statute references stay."""
    return INTERNAL_REFERENCE.sub("", reason)


def _applicant(m: JuminRecord) -> Applicant:
    return Applicant(
        name=f"{m.family_name}　{m.given_name}".strip() or m.alpha_name,
        kana=f"{m.family_kana}　{m.given_kana}".strip(),
        birth_date=m.birth_date,
        sex="男" if m.sex == 1 else "女",
        relationship=m.zokugara,
    )
