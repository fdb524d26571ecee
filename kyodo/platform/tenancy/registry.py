"""Which tables belong to tenants, derived from the models (never listed by hand)."""

from __future__ import annotations

from collections.abc import Iterator

from django.apps import apps
from django.db import models

from kyodo.platform.models.base import TenantForeignKey, TenantOwned


def rls_models() -> Iterator[type[models.Model]]:
    """Every concrete, managed model whose rows are filtered by row-level security."""
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy and hasattr(model, "rls_policy"):
            yield model


def tenant_owned_models() -> Iterator[type[TenantOwned]]:
    for model in rls_models():
        if issubclass(model, TenantOwned):
            yield model


def tenant_foreign_keys(model: type[models.Model]) -> Iterator[TenantForeignKey]:
    for field in model._meta.get_fields():
        if isinstance(field, TenantForeignKey) and field.concrete:
            yield field
