"""Creating and listing municipalities (団体)."""

from __future__ import annotations

from django.db import transaction

from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction, AuditChainHead
from kyodo.platform.models.tenants import Consortium, Tenant
from kyodo.platform.tenancy.codes import prefecture_of, validate_lg_code
from kyodo.platform.tenancy.context import Actor, tenant_scope

MAX_POPULATION = 50_000_000  # far above Japan's largest municipality (横浜市, about 3.8 million)
TENANT_EXISTS = "団体コード {code} は既に登録されています"


def tenant_create(
    *,
    code: str,
    name: str,
    population: int,
    consortium: Consortium | None = None,
    actor: Actor | None = None,
    source: str | None = None,
) -> Tenant:
    """Register a municipality; its prefecture follows from the code."""
    validate_lg_code(code, field="code", source=source)
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise ValidationFailed("団体名は1〜50文字です", field="name", source=source)
    if (
        isinstance(population, bool)
        or not isinstance(population, int)
        or not (0 <= population <= MAX_POPULATION)
    ):
        raise ValidationFailed(
            f"人口は0〜{MAX_POPULATION:,}の整数です", field="population", source=source
        )
    with transaction.atomic():
        if Tenant.objects.filter(code=code).exists():
            raise ValidationFailed(TENANT_EXISTS.format(code=code), field="code", source=source)
        tenant = Tenant.objects.create(
            code=code,
            name=name,
            prefecture=prefecture_of(code),
            population=population,
            consortium=consortium,
        )
        with tenant_scope(code, actor=actor):
            AuditChainHead.objects.create(chain=code, tenant=tenant)
        record(
            AuditAction.MANAGE,
            object_type="tenant",
            object_id=code,
            tenant_code=None,
            actor=actor,
            detail={"op": "create", "name": name, "population": population},
        )
    return tenant


def tenant_list() -> list[Tenant]:
    return list(Tenant.objects.order_by("code"))
