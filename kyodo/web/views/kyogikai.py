"""The secretariat's (事務局) screens: members and their units (別表), cost formulas with a
what-if comparison, billing periods and invoices. For consortium operators only; an operator
tied to a consortium sees that one alone. Joining with data and leaving with a purge are
long, server-side operations: they are run with ``kyodo kyogikai member join|leave``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kyodo.kyogikai import billing, members, pdf
from kyodo.kyogikai.models import BillingPeriod, Formula, Invoice, Member
from kyodo.platform.accounts.access import operator_only
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Consortium
from kyodo.platform.tenancy.context import Actor
from kyodo.web.forms_kyogikai import FormulaForm, PeriodForm, UnitsForm, WhatIfForm

CHOSEN = "kyogikai_consortium"


def _actor(request: HttpRequest) -> Actor:
    return Actor(
        account_id=request.user.pk,
        username=request.user.get_username(),
        ip=request.META.get("REMOTE_ADDR"),
    )


def _consortia(request: HttpRequest) -> list[Consortium]:
    found = Consortium.objects.order_by("slug")
    if request.user.consortium_id:
        found = found.filter(pk=request.user.consortium_id)
    return list(found)


def _consortium(request: HttpRequest) -> Consortium:
    """The consortium the screens show: the operator's own, or the one chosen."""
    available = _consortia(request)
    if not available:
        raise Http404("no consortium")
    wanted = request.GET.get("c") or request.session.get(CHOSEN)
    chosen = next((c for c in available if c.slug == wanted), available[0])
    request.session[CHOSEN] = chosen.slug
    return chosen


def _page(request: HttpRequest, template: str, **context: Any) -> HttpResponse:
    context.setdefault("consortium", _consortium(request))
    context["consortia"] = _consortia(request)
    return render(request, f"kyodo/kyogikai/{template}", context)


@operator_only
def member_list(request: HttpRequest) -> HttpResponse:
    consortium = _consortium(request)
    rows = Member.objects.filter(consortium=consortium).prefetch_related("units")
    return _page(
        request,
        "members.html",
        current=[m for m in rows if m.is_current],
        former=[m for m in rows if not m.is_current],
    )


@operator_only
def member_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    member = get_object_or_404(Member, pk=member_id, consortium=_consortium(request))
    form = UnitsForm(request.POST or None, member=member)
    if request.method == "POST" and member.is_current and form.is_valid():
        terms = form.terms()
        if form.is_valid():  # terms() may add errors
            try:
                members.set_units(member, terms, actor=_actor(request))
            except ValidationFailed as error:
                form.add_error(None, error.reason)
            else:
                messages.success(request, gettext("実施業務（別表）を更新しました。"))
                return redirect("kyogikai_member", member.pk)
    return _page(request, "member.html", member=member, form=form)


@operator_only
def formulas(request: HttpRequest) -> HttpResponse:
    consortium = _consortium(request)
    form = FormulaForm(request.POST or None, instance=Formula(consortium=consortium))
    if request.method == "POST" and form.is_valid():
        formula = form.save(commit=False)
        formula.unit_weights = form.cleaned_data["weights"]
        formula.save()
        messages.success(request, gettext("負担割合を登録しました。"))
        return redirect("kyogikai_formulas")
    what_if = WhatIfForm(request.GET or None, consortium_id=consortium.pk)
    comparison, error = None, None
    if "period" in request.GET and what_if.is_valid():
        data = what_if.cleaned_data
        try:
            comparison = billing.compare(data["period"], data["first"], data["second"])
        except ValidationFailed as failed:
            error = failed.reason
    return _page(
        request,
        "formulas.html",
        formulas=Formula.objects.filter(consortium=consortium).order_by("name"),
        form=form,
        what_if=what_if,
        comparison=comparison,
        error=error,
    )


@operator_only
def periods(request: HttpRequest) -> HttpResponse:
    consortium = _consortium(request)
    form = PeriodForm(
        request.POST or None,
        instance=BillingPeriod(consortium=consortium),
        consortium_id=consortium.pk,
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                period = form.save(commit=False)
                period.one_off = form.cleaned_data["one_off_json"]
                period.save()
                billing.preview(period)  # a period the formula cannot split is refused
        except ValidationFailed as error:
            form.add_error(None, f"{error.field}: {error.reason}" if error.field else error.reason)
        else:
            return redirect("kyogikai_period", period.pk)
    return _page(
        request,
        "periods.html",
        periods=BillingPeriod.objects.filter(consortium=consortium).select_related("formula"),
        form=form,
    )


@operator_only
def period_detail(request: HttpRequest, period_id: int) -> HttpResponse:
    period = get_object_or_404(BillingPeriod, pk=period_id, consortium=_consortium(request))
    preview, error = None, None
    if period.issued_at is None:
        try:
            preview = billing.preview(period)
        except ValidationFailed as failed:
            error = failed.reason
    invoices = period.invoices.select_related("member").order_by("member__tenant_code")
    return _page(
        request, "period.html", period=period, preview=preview, error=error, invoices=invoices
    )


@operator_only
@require_POST
def period_issue(request: HttpRequest, period_id: int) -> HttpResponse:
    period = get_object_or_404(BillingPeriod, pk=period_id, consortium=_consortium(request))
    try:
        invoices = billing.issue(period, actor=_actor(request))
    except ValidationFailed as error:
        messages.error(request, error.reason)
    else:
        messages.success(
            request, gettext("請求を確定しました（%(n)d 団体）。") % {"n": len(invoices)}
        )
    return redirect("kyogikai_period", period.pk)


def _issued(request: HttpRequest, period_id: int) -> BillingPeriod:
    period = get_object_or_404(BillingPeriod, pk=period_id, consortium=_consortium(request))
    if period.issued_at is None:
        raise Http404("not issued")
    return period


@operator_only
def period_csv(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _issued(request, period_id)
    invoices = list(
        period.invoices.select_related("member", "period").order_by("member__tenant_code")
    )
    response = HttpResponse(billing.invoice_csv(invoices), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="invoices-{period.pk}.csv"'
    return response


@operator_only
def period_pdf(request: HttpRequest, period_id: int) -> HttpResponse:
    period = _issued(request, period_id)
    invoices = list(
        period.invoices.select_related("member", "period__consortium").order_by(
            "member__tenant_code"
        )
    )
    return HttpResponse(pdf.render(invoices), content_type="application/pdf")


@operator_only
def invoice_pdf(request: HttpRequest, invoice_id: int) -> HttpResponse:
    invoice = get_object_or_404(
        Invoice.objects.select_related("member", "period__consortium"),
        pk=invoice_id,
        period__consortium=_consortium(request),
    )
    response = HttpResponse(pdf.render([invoice]), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{invoice.number}.pdf"'
    return response
