"""A municipality's PUSH rules: the catalogue's procedures with its overrides, compiled.

A municipality switches procedures off, replaces them, adds its own, or sets parameters (e.g.
``iryo_kodomo_until``) in ``municipalities.json`` or in the ``overrides`` argument of
:func:`kyodo.madoguchi.push.push_list` — without code changes::

    {"162116": {"disabled": ["iryo.hitorioya"],
                "params": {"iryo_kodomo_until": "kokosei_nendai"},
                "extra": [{"id": "city.keirou", "name": "敬老祝金", "kind": "information",
                           "scope": "member", "events": ["moved_in"],
                           "condition": {"age_at_least": {"years": 88, "rule": "reaches"}},
                           "basis": "市敬老祝金条例"}]}}

An ``extra`` procedure whose id is already in the catalogue replaces it.

Each procedure definition is validated here (required keys, kind, scope, events) and its
condition compiled by :mod:`kyodo.madoguchi.conditions`; errors name the file and the JSON path.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kyodo.madoguchi.catalogue import (
    CATALOGUE_FILE,
    OVERRIDES_FILE,
    load_catalogue,
    load_overrides,
)
from kyodo.madoguchi.conditions import Check, Compiler
from kyodo.platform.errors import ValidationFailed

__all__ = ["KINDS", "SCOPES", "Rule", "compile_rule", "default_rules", "rules_for"]

KINDS = ("procedure", "information")
SCOPES = ("member", "household")


@dataclass(frozen=True)
class Rule:
    """One compiled procedure."""

    id: str
    name: str
    kind: str
    scope: str
    events: frozenset[str]
    check: Check
    basis: str


def compile_rule(proc: Any, path: str, compiler: Compiler, events: Iterable[str]) -> Rule:
    bad = compiler.bad
    if not isinstance(proc, dict):
        raise bad(path, "手続の定義はオブジェクトです")
    required = ("id", "name", "events", "condition", "basis")
    missing = [k for k in required if k not in proc]
    if missing:
        raise bad(path, f"項目 {', '.join(missing)} がありません")
    unknown = set(proc) - {*required, "kind", "scope", "note"}
    if unknown:
        raise bad(path, f"未知の項目 {', '.join(sorted(unknown))} があります")
    for key in ("id", "name", "basis"):
        if not isinstance(proc[key], str) or not proc[key].strip():
            raise bad(f"{path}.{key}", "空でない文字列です")
    kind, scope = proc.get("kind", "procedure"), proc.get("scope", "member")
    if kind not in KINDS:
        raise bad(f"{path}.kind", f"kind は {' / '.join(KINDS)} です (got {kind!r})")
    if scope not in SCOPES:
        raise bad(f"{path}.scope", f"scope は {' / '.join(SCOPES)} です (got {scope!r})")
    known_events = set(events)
    evs = proc["events"]
    if not isinstance(evs, list) or not evs or not set(evs) <= known_events:
        raise bad(
            f"{path}.events", f"events は {', '.join(known_events)} のリストです (got {evs!r})"
        )
    return Rule(
        id=proc["id"],
        name=proc["name"],
        kind=kind,
        scope=scope,
        events=frozenset(evs),
        check=compiler.compile(proc["condition"], f"{path}.condition", scope),
        basis=proc["basis"],
    )


def rules_for(municipality: str, entry: Any, source: str) -> tuple[Rule, ...]:
    """The rules of ``municipality`` given its overrides ``entry`` (None: the catalogue's).

    ``source`` names where ``entry`` came from, for errors.
    """
    cat = load_catalogue()
    entry = {} if entry is None else entry
    base = municipality
    if not isinstance(entry, dict) or set(entry) - {"disabled", "extra", "params", "description"}:
        raise ValidationFailed(
            "disabled / extra / params を持つオブジェクトです", field=base, source=source
        )
    params = dict(cat.params)
    new_params = entry.get("params") or {}
    if not isinstance(new_params, dict):
        raise ValidationFailed("オブジェクトです", field=f"{base}.params", source=source)
    for name, value in new_params.items():
        if name not in params:
            raise ValidationFailed(
                f"未知のパラメータです（{', '.join(params)}）",
                field=f"{base}.params.{name}",
                source=source,
            )
        if params[name] in cat.periods and value not in cat.periods:
            raise ValidationFailed(
                f"期間 {value!r} は未定義です（{', '.join(cat.periods)}）",
                field=f"{base}.params.{name}",
                source=source,
            )
        params[name] = value
    compiler = Compiler(cat, params, source)
    procs: dict[str, Rule] = {}
    # The catalogue's own procedures are compiled with the municipality's params (they may
    # refer to them), but their errors name procedures.json, not the overrides.
    catalogue_compiler = Compiler(cat, params, CATALOGUE_FILE.name)
    for i, proc in enumerate(cat.procedures):
        rule = compile_rule(proc, f"procedures[{i}]", catalogue_compiler, cat.events)
        procs[rule.id] = rule
    disabled = entry.get("disabled") or []
    if not isinstance(disabled, list):
        raise ValidationFailed("手続IDのリストです", field=f"{base}.disabled", source=source)
    for i, proc_id in enumerate(disabled):
        if proc_id not in procs:
            raise ValidationFailed(
                f"手続 {proc_id!r} はカタログにありません",
                field=f"{base}.disabled[{i}]",
                source=source,
            )
    extra = entry.get("extra") or []
    if not isinstance(extra, list):
        raise ValidationFailed("手続定義のリストです", field=f"{base}.extra", source=source)
    for i, proc in enumerate(extra):
        rule = compile_rule(proc, f"{base}.extra[{i}]", compiler, cat.events)
        procs[rule.id] = rule  # the same id replaces the catalogue's definition
    return tuple(rule for rule in procs.values() if rule.id not in disabled)


@functools.lru_cache(maxsize=256)
def default_rules(municipality: str) -> tuple[Rule, ...]:
    """The rules from ``municipalities.json``, compiled once per municipality and process."""
    return rules_for(municipality, load_overrides().get(municipality), str(OVERRIDES_FILE))
