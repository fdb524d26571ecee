"""The layouts of a municipality's data: every tenant-owned table, shaped by the units'
declarations (``<app>/standard_layout.py``, :class:`kyodo.layouts.standard.Spec`).

A table nobody declared is still exported — a new unit's data is never silently left behind —
under ``<app>_<model>.csv`` with its fields' Japanese names as items. Files come in an order
where every file a row refers to (a foreign key) comes first.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models

from kyodo.layouts.standard import Spec
from kyodo.platform.models import TenantOwned

# The platform's own tenant-owned tables (the platform may not import the layouts package).
PLATFORM = [Spec("platform.TenantParameter", file="00_jorei_parameter", order=0)]


@dataclass(frozen=True)
class Item:
    """One column of a layout file."""

    name: str  # the item name in the header row
    column: str  # the table's column
    kind: str  # int | decimal | text | date | datetime | bool | json
    required: bool
    blank: bool  # text: may be empty
    max_length: int | None
    choices: dict[str, str] | None  # code → label (the code table)
    references: str | None  # the file whose ID this is (a foreign key)
    secret: str | None  # stored encrypted, travels in clear; the kind of check
    check: str | None


@dataclass(frozen=True)
class Layout:
    file: str  # e.g. "03_atena_kojin.csv"
    model: type[models.Model]
    items: tuple[Item, ...]
    index: dict[str, str]  # blind-index column → the secret item's column
    unique: tuple[tuple[str, ...], ...]  # columns of each uniqueness rule (besides ID)

    @property
    def table(self) -> str:
        return str(self.model._meta.db_table)

    @property
    def label(self) -> str:
        return str(self.model._meta.label)

    def item(self, column: str) -> Item:
        return next(i for i in self.items if i.column == column)


@dataclass(frozen=True)
class Registry:
    layouts: tuple[Layout, ...]
    excluded: dict[str, str]  # model label → why it is not a layout

    def by_file(self, file: str) -> Layout | None:
        return next((layout for layout in self.layouts if layout.file == file), None)


# The first matching type decides (DateTimeField is a DateField, so it comes first).
KINDS: tuple[tuple[type[models.Field[Any, Any]], str], ...] = (
    (models.BooleanField, "bool"),
    (models.JSONField, "json"),
    (models.DateTimeField, "datetime"),
    (models.DateField, "date"),
    (models.DecimalField, "decimal"),
    (models.CharField, "text"),
    (models.TextField, "text"),
    (models.IntegerField, "int"),
    (models.BigAutoField, "int"),
    (models.ForeignKey, "int"),
)


def _kind(field: models.Field[Any, Any]) -> str:
    for kind_of, kind in KINDS:
        if isinstance(field, kind_of):
            return kind
    raise TypeError(f"{field} has a type the standard layouts do not know")


def _name(field: models.Field[Any, Any]) -> str:
    if field.primary_key:
        return "ID"
    verbose = str(field.verbose_name)
    explicit = verbose != field.name.replace("_", " ")
    if field.is_relation:
        target = field.related_model._meta.verbose_name  # type: ignore[union-attr]
        return f"{verbose if explicit else target}ID"
    return verbose if explicit else field.name


def _specs() -> dict[str, Spec]:
    specs = {s.model: s for s in PLATFORM}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.standard_layout")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.standard_layout":
                raise
            continue
        for spec in module.LAYOUTS:
            specs[spec.model] = spec
    return specs


def _layout(model: type[models.Model], spec: Spec, files: dict[str, str]) -> Layout:
    items = []
    seen: set[str] = set()
    for field in model._meta.concrete_fields:
        if field.name == "tenant" or field.attname in spec.index:
            continue
        name = spec.items.get(field.name) or _name(field)
        if name in seen:
            name = f"{name}（{field.attname}）"
        seen.add(name)
        target = field.related_model if field.is_relation else None
        items.append(
            Item(
                name=name,
                column=str(field.column),
                kind=_kind(field),
                required=not field.null,
                blank=bool(field.blank),
                max_length=getattr(field, "max_length", None),
                choices={str(k): str(v) for k, v in field.choices} if field.choices else None,
                references=files[target._meta.label] if target is not None else None,  # type: ignore[union-attr]
                secret=spec.secret.get(field.name),
                check=spec.check.get(field.name),
            )
        )
    unique = tuple(
        tuple(
            str(model._meta.get_field(name).column)
            for name in constraint.fields
            if name != "tenant"
        )
        for constraint in model._meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.condition is None
    )
    index = {str(model._meta.get_field(k).column): v for k, v in spec.index.items()}
    return Layout(files[model._meta.label], model, tuple(items), index, unique)


@cache
def registry() -> Registry:
    specs = _specs()
    excluded: dict[str, str] = {}
    chosen: list[tuple[type[models.Model], Spec]] = []
    for model in apps.get_models():
        if not issubclass(model, TenantOwned):
            continue
        label = model._meta.label
        spec = specs.get(label) or Spec(
            label, file=f"{model._meta.app_label}_{model._meta.model_name}"
        )
        if spec.excluded:
            excluded[label] = spec.excluded
        else:
            chosen.append((model, spec))
    files = {
        m._meta.label: (s.file or f"{m._meta.app_label}_{m._meta.model_name}") + ".csv"
        for m, s in chosen
    }
    # Topological: a file after every file it refers to; ties by the declared order.
    ordered: list[tuple[type[models.Model], Spec]] = []
    pending = sorted(chosen, key=lambda ms: (ms[1].order, files[ms[0]._meta.label]))
    while pending:
        for pair in pending:
            model = pair[0]
            targets = {
                f.related_model._meta.label  # type: ignore[union-attr]
                for f in model._meta.concrete_fields
                if f.is_relation and f.name != "tenant" and f.related_model is not model
            }
            missing = targets - {m._meta.label for m, _s in ordered}
            unknown = missing - set(files)
            if unknown:
                raise LookupError(f"{model._meta.label} refers to {unknown}, which are not layouts")
            if not missing:
                ordered.append(pair)
                pending.remove(pair)
                break
        else:
            raise LookupError(f"circular references among {[m._meta.label for m, _ in pending]}")
    return Registry(tuple(_layout(m, s, files) for m, s in ordered), excluded)
