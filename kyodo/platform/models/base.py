"""The base every tenant-owned model derives from.

Isolation in depth (ADR 0002):
1. the default manager filters every query by the current tenant and refuses to run without one;
2. ``save()`` stamps the current tenant and refuses to write another tenant's row;
3. on PostgreSQL, the schema guard (``tenancy/guard.py``) enables and FORCEs row-level security
   on every table derived from this base, makes (tenant_id, id) the primary key, and turns each
   ``TenantForeignKey`` into a composite (tenant_id, <fk>) foreign key.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.db import models

from kyodo.platform.errors import ValidationFailed
from kyodo.platform.tenancy.context import require_tenant_code, require_transaction_scope

_Row = TypeVar("_Row", bound="TenantOwned")


class TenantScopedManager(models.Manager[_Row]):
    """Default manager: only the current tenant's rows, and only inside a tenant scope."""

    def get_queryset(self) -> models.QuerySet[_Row]:
        return super().get_queryset().filter(tenant_id=require_transaction_scope())


class TenantOwned(models.Model):
    """Abstract base for every row that belongs to one municipality."""

    id = models.BigAutoField(primary_key=True)
    tenant = models.ForeignKey(
        "platform.Tenant",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,  # every table leads its own indexes with tenant_id instead
    )

    objects: ClassVar[TenantScopedManager[Any]] = TenantScopedManager()
    unscoped: ClassVar[models.Manager[Any]] = models.Manager()

    # "strict": rows visible only with their tenant selected.
    rls_policy: ClassVar[str] = "strict"

    class Meta:
        abstract = True
        default_manager_name = "objects"
        base_manager_name = "unscoped"

    def save(self, *args: Any, **kwargs: Any) -> None:
        current = require_tenant_code()
        if self.tenant_id is None:
            self.tenant_id = current
        elif self.tenant_id != current:
            raise ValidationFailed(
                "他団体のデータは変更できません (row belongs to another municipality)",
                field="tenant",
            )
        super().save(*args, **kwargs)


class TenantForeignKey(models.ForeignKey):  # type: ignore[type-arg]  # generic in stubs only
    """A reference between two tenant-owned tables.

    Django's single-column constraint is left out; the schema guard adds the composite
    (tenant_id, <column>) → (tenant_id, id) constraint instead, so a row can never point at
    another municipality's row, and the schema can be distributed by tenant as it is.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["db_constraint"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("db_constraint", None)
        return name, "kyodo.platform.models.base.TenantForeignKey", args, kwargs
