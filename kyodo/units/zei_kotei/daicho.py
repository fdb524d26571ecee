"""Receiving the 課税台帳: 土地 and 家屋 of a 年度, 所有権の移転, and 住登外 owners (CSV,
docs/formats/kotei-daicho.md).

Validate everything first — the layout, every item, each row through the calculator (a 住宅用地
without its 戸数, a house built after the 賦課期日 …), every owner against 宛名, duplicates within
the file, the same file received twice — and report every problem with file, line, item and
reason. Only a file with no problem is stored, in one transaction; a dry run stores nothing
either way. A row for a 物件 already on the ledger for the 年度 is a correction: its values are
stored as the next 履歴番号, the earlier ones stay.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max

from kyodo.atena.models import Person, PersonKind
from kyodo.atena.services import JutogaiInput, jutogai_register
from kyodo.layouts.csvfile import Problem, header_of, read
from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import current_scope, require_tenant_code
from kyodo.rules import kotei
from kyodo.rules.inputs import InputError
from kyodo.units.zei_kotei.layouts import LAYOUTS, Owner
from kyodo.units.zei_kotei.models import (
    Bukken,
    BukkenKind,
    KaokuDaicho,
    Shoyu,
    Shoyusha,
    TochiDaicho,
)

DAICHO = {BukkenKind.TOCHI: TochiDaicho, BukkenKind.KAOKU: KaokuDaicho}
NUMBER_HEADER = {"tochi": "地番", "kaoku": "家屋番号", "shoyu": "地番・家屋番号"}


@dataclass
class ImportReport:
    file: str
    kind: str
    fiscal_year: int | None
    rows: int = 0
    imported: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    registered: list[dict[str, int]] = field(default_factory=list)  # 住登外: line → 宛名番号

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": self.file,
            "kind": self.kind,
            "fiscal_year": self.fiscal_year,
            "rows": self.rows,
            "imported": self.imported,
            "dry_run": self.dry_run,
            "problems": [p.as_json() for p in self.problems],
        }
        if self.kind == "jutogai":
            out["registered"] = self.registered
        return out


def _who() -> str:
    scope = current_scope()
    return scope.actor.username if scope else "system"


def _source(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    return f"{path.name}#{digest[:16]}"


def _known_owners(rows: list[tuple[int, dict[str, Any]]]) -> set[int]:
    """The 宛名番号 among the file's owners that 宛名 knows (residents and 住登外 alike)."""
    wanted = {o.atena_no for _line, v in rows for o in v.get("owners", [])}
    return set(
        Person.objects.filter(atena_no__in=wanted)
        .exclude(kind=PersonKind.VOID)
        .values_list("atena_no", flat=True)
    )


def _owner_problems(name: str, line: int, owners: list[Owner], known: set[int]) -> list[Problem]:
    return [
        Problem(name, line, "所有者", f"宛名番号 {n} の宛名がありません（住登外は先に登録）")
        for n in sorted({o.atena_no for o in owners} - known)
    ]


def _calculator_input(kind: str, values: dict[str, Any], fiscal_year: int) -> dict[str, Any]:
    """One 物件 alone as the calculator's input, to let it check the row."""
    keys = (
        ("area", "valuation", "use", "dwelling_units", "prev_tax_base")
        if kind == "tochi"
        else ("valuation", "floor_area", "built_year", "fire_resistant", "stories")
    )
    item: dict[str, Any] = {k: values[k] for k in keys if k in values}
    for k in ("rental", "prev_city_planning_tax_base"):
        if k in values:
            item[k] = values[k]
    for k in ("area", "floor_area", "residential_floor_area"):
        if k in values:
            item[k] = float(values[k])
    return {
        "fiscal_year": fiscal_year,
        "rate": 0.014,
        # 都市計画税 is checked when its previous base is given (a parcel in the 市街化区域).
        "city_planning_rate": 0.003 if "prev_city_planning_tax_base" in values else None,
        "land" if kind == "tochi" else "houses": [item],
    }


def _calculator_problems(
    name: str, line: int, kind: str, values: dict[str, Any], fiscal_year: int
) -> list[Problem]:
    try:
        kotei.calculate(_calculator_input(kind, values, fiscal_year))
    except InputError as error:
        columns = LAYOUTS[kind]
        out = []
        for problem in error.problems:
            key = problem.path.split(".")[-1]
            try:
                header = header_of(columns, key)
            except StopIteration:
                header = "" if key != "fiscal_year" else "--fiscal-year"
            out.append(Problem(name, line, header, problem.reason))
        return out
    return []


def import_file(
    path: Path,
    *,
    kind: str,
    fiscal_year: int | None,
    encoding: str = "utf-8",
    dry_run: bool = False,
) -> ImportReport:
    """Receive one 土地 (``kind="tochi"``) or 家屋 (``"kaoku"``) file of a 年度, or a file of
    所有権の移転 (``"shoyu"``, no 年度)."""
    name = str(path)
    report = ImportReport(file=name, kind=kind, fiscal_year=fiscal_year, dry_run=dry_run)
    if kind not in ("tochi", "kaoku", "shoyu"):
        raise ValueError(f"unknown kind {kind!r}")
    if kind != "shoyu" and fiscal_year is None:
        raise ValidationFailed("土地・家屋の台帳には年度が必要です", source="--fiscal-year")
    rows, report.problems = read(path, LAYOUTS[kind], encoding=encoding)
    report.rows = len(rows)
    source = _source(path)
    model = Shoyu if kind == "shoyu" else DAICHO[BukkenKind(kind)]
    if model.objects.filter(source=source).exists():
        report.problems.append(Problem(name, 0, "", "このファイルは受付済みです（同じ内容）"))
    bad_lines = {p.line for p in report.problems}
    number = NUMBER_HEADER[kind]
    seen: dict[tuple[str, str, str, str], int] = {}
    clean: list[tuple[int, dict[str, Any]]] = []
    existing = _bukken_of(kind, rows)
    known = _known_owners(rows)
    for line, values in rows:
        if line in bad_lines:
            continue
        item_kind = values["kind"] if kind == "shoyu" else kind
        found = _owner_problems(name, line, values["owners"], known)
        key = (item_kind, values["shozai"], values["bango"], values.get("effective_from", ""))
        if kind != "shoyu":
            key = (*key[:3], "")
        if key in seen:
            found.append(Problem(name, line, number, f"{seen[key]}行目と同じ物件です"))
        else:
            seen[key] = line
        if kind == "shoyu" and (item_kind, values["shozai"], values["bango"]) not in existing:
            found.append(Problem(name, line, number, "課税台帳にない物件です（先に台帳を登録）"))
        if kind != "shoyu":
            assert fiscal_year is not None
            found += _calculator_problems(name, line, kind, values, fiscal_year)
        report.problems += found
        if not found:
            clean.append((line, values))
    report.problems.sort(key=lambda p: (p.line, p.field))
    if report.problems or dry_run:
        return report
    with transaction.atomic():
        _store(kind, fiscal_year, clean, source, existing)
        record(
            AuditAction.CHANGE,
            object_type=f"zei_kotei.{kind}",
            object_id=source,
            detail={
                "fiscal_year": fiscal_year,
                "rows": len(clean),
                "owners": sorted({o.atena_no for _l, v in clean for o in v["owners"]}),
            },
        )
    report.imported = len(clean)
    return report


def _bukken_of(
    kind: str, rows: list[tuple[int, dict[str, Any]]]
) -> dict[tuple[str, str, str], Bukken]:
    places = {v["shozai"] for _line, v in rows if "shozai" in v}
    query = Bukken.objects.filter(shozai__in=places)
    if kind != "shoyu":
        query = query.filter(kind=kind)
    return {(b.kind, b.shozai, b.bango): b for b in query}


def _store(
    kind: str,
    fiscal_year: int | None,
    rows: list[tuple[int, dict[str, Any]]],
    source: str,
    existing: dict[tuple[str, str, str], Bukken],
) -> None:
    tenant = require_tenant_code()  # bulk_create does not call save(), which stamps it
    who = _who()
    if kind != "shoyu":
        new = [
            Bukken(tenant_id=tenant, kind=kind, shozai=v["shozai"], bango=v["bango"])
            for _line, v in rows
            if (kind, v["shozai"], v["bango"]) not in existing
        ]
        for b in Bukken.objects.bulk_create(new):
            existing[(b.kind, b.shozai, b.bango)] = b
        _store_daicho(
            kind,
            fiscal_year=fiscal_year,
            rows=rows,
            source=source,
            bukken=existing,
            tenant=tenant,
            who=who,
        )
    owned = [
        (line, existing[(v.get("kind", kind), v["shozai"], v["bango"])], v) for line, v in rows
    ]
    _store_owners(owned, source, tenant, who)


def _store_daicho(
    kind: str,
    *,
    fiscal_year: int | None,
    rows: list[tuple[int, dict[str, Any]]],
    source: str,
    bukken: dict[tuple[str, str, str], Bukken],
    tenant: str,
    who: str,
) -> None:
    model = DAICHO[BukkenKind(kind)]
    ids = [bukken[(kind, v["shozai"], v["bango"])].pk for _line, v in rows]
    revisions = dict(
        model.objects.filter(fiscal_year=fiscal_year, bukken_id__in=ids)
        .values("bukken_id")
        .annotate(last=Max("revision"))
        .values_list("bukken_id", "last")
    )
    items: tuple[str, ...] = ("chimoku", "use", "area", "dwelling_units", "valuation")
    items += ("prev_tax_base",)
    items += ("prev_city_planning_tax_base",)
    if kind == "kaoku":
        items = ("shurui", "kozo", "fire_resistant", "stories", "floor_area")
        items += ("residential_floor_area", "rental", "built_year", "valuation")
    model.objects.bulk_create(
        [
            model(
                tenant_id=tenant,
                bukken=bukken[(kind, v["shozai"], v["bango"])],
                fiscal_year=fiscal_year,
                revision=revisions.get(bukken[(kind, v["shozai"], v["bango"])].pk, 0) + 1,
                source=source,
                line=line,
                recorded_by=who,
                **{k: v[k] for k in items if k in v},
            )
            for line, v in rows
        ]
    )


def _store_owners(
    owned: list[tuple[int, Bukken, dict[str, Any]]], source: str, tenant: str, who: str
) -> None:
    """A new owner set per row, unless the same owners are already on record from that date."""
    current = _sets_from(
        [(b.pk, dt.date.fromisoformat(v["effective_from"])) for _line, b, v in owned]
    )
    fresh = []
    for line, bukken, values in owned:
        effective = dt.date.fromisoformat(values["effective_from"])
        wanted = [(o.atena_no, o.share) for o in values["owners"]]
        if current.get((bukken.pk, effective)) == wanted:
            continue
        fresh.append((line, bukken, effective, values["owners"]))
    sets = Shoyu.objects.bulk_create(
        [
            Shoyu(
                tenant_id=tenant,
                bukken=bukken,
                effective_from=effective,
                source=source,
                line=line,
                recorded_by=who,
            )
            for line, bukken, effective, _owners in fresh
        ]
    )
    Shoyusha.objects.bulk_create(
        [
            Shoyusha(
                tenant_id=tenant,
                shoyu=row,
                atena_no=owner.atena_no,
                share_numerator=owner.share.numerator,
                share_denominator=owner.share.denominator,
                order=order,
            )
            for row, (_line, _bukken, _effective, owners) in zip(sets, fresh, strict=True)
            for order, owner in enumerate(owners, start=1)
        ]
    )


def _sets_from(
    keys: list[tuple[int, dt.date]],
) -> dict[tuple[int, dt.date], list[tuple[int, Fraction]]]:
    """The latest owner set recorded from exactly each (物件, date)."""
    if not keys:
        return {}
    latest: dict[tuple[int, dt.date], int] = {}
    for row in Shoyu.objects.filter(bukken_id__in={k[0] for k in keys}).order_by("id"):
        latest[(row.bukken_id, row.effective_from)] = row.pk
    wanted = {latest[k] for k in keys if k in latest}
    owners: dict[int, list[tuple[int, Fraction]]] = {}
    for o in Shoyusha.objects.filter(shoyu_id__in=wanted).order_by("shoyu_id", "order"):
        owners.setdefault(o.shoyu_id, []).append(
            (o.atena_no, Fraction(o.share_numerator, o.share_denominator))
        )
    return {k: owners.get(pk, []) for k, pk in latest.items()}


def register_jutogai(path: Path, *, encoding: str = "utf-8", dry_run: bool = False) -> ImportReport:
    """住登外 owners (living elsewhere) from a CSV: each gets a new 宛名番号 in 宛名
    (kyodo.atena.services.jutogai_register). All rows or none; the report lists each row's
    宛名番号 for the 課税台帳 files."""
    name = str(path)
    report = ImportReport(file=name, kind="jutogai", fiscal_year=None, dry_run=dry_run)
    columns = LAYOUTS["jutogai"]
    rows, report.problems = read(path, columns, encoding=encoding)
    report.rows = len(rows)
    bad_lines = {p.line for p in report.problems}
    try:
        with transaction.atomic():
            for line, values in rows:
                if line in bad_lines:
                    continue
                try:
                    person = jutogai_register(
                        JutogaiInput(
                            family_name=values["family_name"],
                            given_name=values.get("given_name", ""),
                            family_kana=values["family_kana"],
                            given_kana=values.get("given_kana", ""),
                            birth_date=dt.date.fromisoformat(values["birth_date"]),
                            sex=values["sex"],
                            address=values["address"],
                            my_number=values.get("my_number") or None,
                        ),
                        source=f"{name}, line {line}",
                    )
                except ValidationFailed as exc:
                    try:
                        header = header_of(columns, exc.field or "")
                    except StopIteration:
                        header = exc.field or ""
                    report.problems.append(Problem(name, line, header, exc.reason))
                    continue
                report.registered.append({"line": line, "atena_no": person.atena_no})
            if report.problems or dry_run:
                raise _RollBack
    except _RollBack:
        report.registered = []  # rolled back: those numbers were never given out
        report.problems.sort(key=lambda p: (p.line, p.field))
        return report
    report.imported = len(report.registered)
    return report


class _RollBack(Exception):
    """Undo every registration of a file with a problem (or of a dry run)."""
