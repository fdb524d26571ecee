"""Creating staff accounts and the standard roles (groups of per-unit operations)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from kyodo.platform.accounts.units import BUSINESS_UNITS, ROLE_OPERATIONS, role_name
from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.accounts import Account
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.models.tenants import Consortium, Tenant
from kyodo.platform.tenancy.context import Actor

UNKNOWN_ROLE = "ロール {role} はありません (例: juki.change)"


def roles_sync() -> int:
    """Create or refresh the standard role groups, e.g. ``juki.issue``; returns their count."""
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="platform")}
    count = 0
    for unit in BUSINESS_UNITS:
        for role, operations in ROLE_OPERATIONS.items():
            group, _ = Group.objects.get_or_create(name=role_name(unit, role))
            group.permissions.set([perms[f"{unit}_{op}"] for op in operations])
            count += 1
    return count


def account_create(
    *,
    username: str,
    password: str,
    tenant: Tenant | None,
    roles: Iterable[str] = (),
    display_name: str = "",
    is_operator: bool = False,
    consortium: Consortium | None = None,
    actor: Actor | None = None,
    check_password_strength: bool = True,
) -> Account:
    """Create an account of one municipality (or an operator, with no municipality)."""
    if is_operator == (tenant is not None):
        raise ValidationFailed(
            "職員は1団体に所属し、協議会運用者はどの団体にも所属しません", field="tenant"
        )
    try:
        Account.username_validator(username)
    except ValidationError:
        raise ValidationFailed(
            "ユーザーIDは英数字と @ . + - _ の150文字以内です", field="username"
        ) from None
    if not username or len(username) > 150 or Account.objects.filter(username=username).exists():
        raise ValidationFailed(
            f"ユーザーID {username!r} は使えません (空または重複)", field="username"
        )
    roles = list(roles)
    groups = list(Group.objects.filter(name__in=roles))
    missing = set(roles) - {g.name for g in groups}
    if missing:
        raise ValidationFailed(UNKNOWN_ROLE.format(role=sorted(missing)[0]), field="roles")
    if is_operator and roles:
        raise ValidationFailed("協議会運用者には業務ロールを付与できません", field="roles")
    account = Account(
        username=username,
        tenant=tenant,
        display_name=display_name,
        is_operator=is_operator,
        consortium=consortium,
    )
    if check_password_strength:
        try:
            validate_password(password, account)
        except ValidationError as exc:
            raise ValidationFailed(" ".join(exc.messages), field="password") from exc
    account.set_password(password)
    with transaction.atomic():
        account.save()
        account.groups.set(groups)
        record(
            AuditAction.MANAGE,
            object_type="account",
            object_id=username,
            tenant_code=tenant.code if tenant else None,
            actor=actor,
            detail={"op": "create", "roles": sorted(roles), "operator": is_operator},
        )
    return account
