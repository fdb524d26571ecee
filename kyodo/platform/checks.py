"""System checks that keep every model inside the isolation rules (ADR 0002).

import-linter cannot see string references between models, so the model graph is checked here.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.checks import Error, register
from django.db.models import Model, UniqueConstraint

from kyodo.platform.models.base import TenantForeignKey, TenantOwned


@register()
def check_tenant_models(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors: list[Error] = []
    for model in apps.get_models():
        owned = issubclass(model, TenantOwned)
        for field in model._meta.get_fields():
            if not (field.is_relation and field.concrete and field.related_model):
                continue
            target_owned = isinstance(field.related_model, type) and issubclass(
                field.related_model, TenantOwned
            )
            if owned and target_owned and not isinstance(field, TenantForeignKey):
                errors.append(
                    Error(
                        f"{model.__name__}.{field.name} links two tenant-owned models",
                        hint="use kyodo.platform.models.TenantForeignKey (composite key)",
                        obj=model,
                        id="kyodo.E001",
                    )
                )
            if target_owned and not owned:
                errors.append(
                    Error(
                        f"{model.__name__}.{field.name} points into tenant-owned data from a "
                        "model that is not tenant-owned",
                        obj=model,
                        id="kyodo.E002",
                    )
                )
            if isinstance(field, TenantForeignKey) and not target_owned:
                errors.append(
                    Error(
                        f"{model.__name__}.{field.name}: TenantForeignKey must target a "
                        "tenant-owned model",
                        obj=model,
                        id="kyodo.E003",
                    )
                )
        if owned:
            errors.extend(_unique_keys_include_tenant(model))
    return errors


def _unique_keys_include_tenant(model: type[Model]) -> list[Error]:
    errors = []
    groups: list[tuple[str, ...]] = [tuple(u) for u in model._meta.unique_together]
    groups += [tuple(c.fields) for c in model._meta.constraints if isinstance(c, UniqueConstraint)]
    groups += [(f.name,) for f in model._meta.local_fields if f.unique and not f.primary_key]
    for fields in groups:
        if "tenant" not in fields and "tenant_id" not in fields:
            errors.append(
                Error(
                    f"{model.__name__}: unique key {fields} does not include the tenant",
                    obj=model,
                    id="kyodo.E004",
                )
            )
    return errors
