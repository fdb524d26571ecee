"""Tenant parameters: units declare the keys they read, with a validator, a default and a label;
a municipality sets values from a date on (``kyodo params set``); calculations read the values
in force on a date (for a fiscal year: its first day, 1 April).

Declaring is code (the unit knows what its calculation needs); the values are data, per
municipality. An undeclared key, or a value its validator refuses, is an error that names the
key and the reason — nothing is stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.models.parameters import TenantParameter
from kyodo.platform.tenancy.context import current_scope

Validator = Callable[[Any], Any]  # returns the clean value or raises ValueError(reason)


@dataclass(frozen=True)
class ParameterSpec:
    key: str
    label: str  # Japanese, for screens and errors
    validate: Validator
    default: Any  # the value when a municipality has set none (the standard, by law)
    basis: str = ""  # where the default comes from


_SPECS: dict[str, ParameterSpec] = {}


def declare(key: str, *, label: str, validate: Validator, default: Any, basis: str = "") -> None:
    """Declare a parameter (its unit does this from AppConfig.ready())."""
    unit, dot, name = key.partition(".")
    if not dot or not unit or not name:
        raise ValueError(f"parameter keys are '<unit>.<name>': {key!r}")
    validate(default)  # a default the validator refuses is a programming error
    _SPECS[key] = ParameterSpec(key, label, validate, default, basis)


def spec(key: str) -> ParameterSpec:
    try:
        return _SPECS[key]
    except KeyError:
        raise ValidationFailed(f"宣言されていないパラメータです: {key}", field="key") from None


def declared(prefix: str = "") -> list[ParameterSpec]:
    return [_SPECS[k] for k in sorted(_SPECS) if k.startswith(prefix)]


def fiscal_year_start(fiscal_year: int) -> dt.date:
    """年度の初日 (4月1日): the date whose parameters a fiscal year's assessment uses."""
    return dt.date(fiscal_year, 4, 1)


def parameter_set(*, key: str, value: Any, effective_from: dt.date, source: str) -> TenantParameter:
    """Record that ``key`` takes ``value`` in this municipality from ``effective_from``."""
    declared_spec = spec(key)
    if not source.strip():
        raise ValidationFailed("根拠（条例の条項など）を入力してください", field="source")
    try:
        clean = declared_spec.validate(value)
    except (ValueError, TypeError) as exc:
        raise ValidationFailed(f"{declared_spec.label}: {exc}", field=key) from None
    scope = current_scope()
    with transaction.atomic():
        row = TenantParameter.objects.create(
            key=key,
            value=clean,
            effective_from=effective_from,
            source=source.strip(),
            recorded_by=scope.actor.username if scope else "system",
        )
        record(
            AuditAction.MANAGE,
            object_type="platform.parameter",
            object_id=key,
            detail={"value": clean, "effective_from": effective_from.isoformat(), "source": source},
        )
    return row


def parameters_as_of(on: dt.date, *, prefix: str) -> dict[str, Any]:
    """Every declared parameter under ``prefix`` with the value in force on ``on`` (the
    municipality's latest row dated on or before it, else the declared default), keyed by
    the name after the prefix's unit (``zei_kojin.city_rate`` → ``city_rate``)."""
    values = {s.key: s.default for s in declared(prefix)}
    rows = (
        TenantParameter.objects.filter(key__startswith=prefix, effective_from__lte=on)
        .order_by("key", "effective_from", "id")
        .values_list("key", "value")
    )
    for key, value in rows:  # later rows overwrite earlier ones
        if key in values:
            values[key] = value
    return {key.partition(".")[2]: value for key, value in values.items()}


def parameter_history(key: str) -> list[TenantParameter]:
    spec(key)
    return list(TenantParameter.objects.filter(key=key).order_by("effective_from", "id"))


# --- validators ------------------------------------------------------------------------------


def rate(low: float, high: float) -> Validator:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"数値で指定してください (got {value!r})")
        if not low <= value <= high:
            raise ValueError(f"{low}〜{high} の範囲で指定してください (got {value})")
        return float(value)

    return check


def yen(low: int = 0, high: int = 10_000_000) -> Validator:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"円単位の整数で指定してください (got {value!r})")
        if not low <= value <= high:
            raise ValueError(f"{low:,}〜{high:,}円 の範囲で指定してください (got {value:,})")
        return value

    return check


def choice(*allowed: Any) -> Validator:
    def check(value: Any) -> Any:
        if value not in allowed or isinstance(value, bool) != isinstance(allowed[0], bool):
            shown = "、".join(str(a) for a in allowed)
            raise ValueError(f"{shown} のいずれかです (got {value!r})")
        return value

    return check


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"true か false です (got {value!r})")
    return value


def month_days(value: Any) -> list[str]:
    """納期: a list of "MM-DD" in order (e.g. ["06-30", "08-31", "10-31", "01-31"])."""
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValueError('"MM-DD" の一覧で指定してください (例: ["06-30", "08-31"])')
    for text in value:
        try:
            dt.date.fromisoformat(f"2024-{text}")  # a leap year accepts 02-29
        except ValueError:
            raise ValueError(f"日付 {text!r} は MM-DD ではありません") from None
    return list(value)
