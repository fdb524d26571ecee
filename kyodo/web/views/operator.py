"""Consortium operators (協議会運用者): municipalities and their accounts — never residents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from kyodo.linkage.catalogue import catalogue
from kyodo.linkage.models import ExternalSystem
from kyodo.platform.accounts.access import operator_only
from kyodo.platform.accounts.services import account_create
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Account, Tenant
from kyodo.platform.tenancy.context import Actor, tenant_scope
from kyodo.web.forms import AccountCreateForm

MANAGED_TENANT = "managed_tenant"


def _tenants_of(user: Account) -> QuerySet[Tenant]:
    tenants = Tenant.objects.order_by("code")
    return tenants.filter(consortium=user.consortium) if user.consortium_id else tenants


def _managed(request: HttpRequest) -> Tenant | None:
    code = request.session.get(MANAGED_TENANT)
    return _tenants_of(request.user).filter(code=code).first() if code else None


@operator_only
def tenants(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "kyodo/operator_tenants.html",
        {"tenants": _tenants_of(request.user), "managed": _managed(request)},
    )


@operator_only
@require_POST
def tenant_switch(request: HttpRequest) -> HttpResponse:
    tenant = _tenants_of(request.user).filter(code=request.POST.get("code", "")).first()
    if tenant is None:
        raise PermissionDenied
    request.session[MANAGED_TENANT] = tenant.code
    messages.success(request, gettext("%(name)s の管理に切り替えました。") % {"name": tenant.name})
    return redirect("operator_accounts")


@operator_only
def accounts(request: HttpRequest) -> HttpResponse:
    tenant = _managed(request)
    if tenant is None:
        messages.info(request, gettext("先に管理する団体を選んでください。"))
        return redirect("operator_tenants")
    form = AccountCreateForm(request.POST or None)
    form.fields["roles"].choices = [(g.name, g.name) for g in Group.objects.order_by("name")]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actor = Actor(
            account_id=request.user.pk,
            username=request.user.get_username(),
            ip=request.META.get("REMOTE_ADDR"),
        )
        try:
            account_create(
                username=data["username"],
                password=data["password"],
                tenant=tenant,
                roles=data["roles"],
                display_name=data["display_name"],
                actor=actor,
            )
        except ValidationFailed as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
        else:
            messages.success(
                request,
                gettext("アカウント %(username)s を作成しました。")
                % {"username": data["username"]},
            )
            return redirect("operator_accounts")
    staff = Account.objects.filter(tenant=tenant).prefetch_related("groups").order_by("username")
    return render(
        request, "kyodo/operator_accounts.html", {"tenant": tenant, "staff": staff, "form": form}
    )


@operator_only
def linkage_catalog(request: HttpRequest) -> HttpResponse:
    """The map of every data flow: event types, publishers, subscribers, data items; and the
    external systems registered by the municipality being managed (names and grants only)."""
    tenant = _managed(request)
    systems: list[ExternalSystem] = []
    if tenant is not None:
        with tenant_scope(tenant.code):
            systems = list(ExternalSystem.objects.order_by("name"))
    return render(
        request,
        "kyodo/operator_linkage.html",
        {"events": catalogue(), "tenant": tenant, "systems": systems},
    )
