"""Receiving vehicles: 登録 (取得・名義変更) and 廃車 of 軽自動車等 from a CSV
(docs/formats/kei-sharyo.md), and the vehicles as they stood on a day.

Validate everything first — the layout, every item, each 登録 through the calculator's own
checks (a 四輪 without its 用途 or 初度検査年月, an unknown fuel …), the owner against 宛名, a
廃車 of a vehicle not on record, duplicates within the file, the same file received twice — and
report every problem with file, line, item and reason. Only a file with no problem is stored,
in one transaction; a dry run stores nothing either way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from kyodo.atena.models import Person, PersonKind
from kyodo.layouts.csvfile import Problem, header_of, read
from kyodo.platform.audit import record
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import current_scope, require_tenant_code
from kyodo.rules import lawdata
from kyodo.rules.inputs import Checker
from kyodo.rules.keiji import TOPIC
from kyodo.rules.keiji import vehicle as keiji_vehicle
from kyodo.units.zei_kei.layouts import KINDS, SHARYO
from kyodo.units.zei_kei.models import Idou, Sharyo

KIND_NAMES = {code: name for name, code in KINDS.items()}  # 車種 as the notice prints it
VEHICLE_ITEMS = ("kind", "use", "first_inspection", "fuel", "fuel_economy_2030_90")
CALCULATOR_KEYS = {
    "class": "kind",
    "use": "use",
    "first_inspection": "first_inspection",
    "fuel": "fuel",
    "fuel_economy_2030_90": "fuel_economy_2030_90",
}


@dataclass
class ImportReport:
    file: str
    rows: int = 0
    imported: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "rows": self.rows,
            "imported": self.imported,
            "dry_run": self.dry_run,
            "problems": [p.as_json() for p in self.problems],
        }


def _who() -> str:
    scope = current_scope()
    return scope.actor.username if scope else "system"


def _fuels() -> tuple[str, ...]:
    """The fuel kinds of the newest law data (the calculator checks them per 年度 again)."""
    newest = max(lawdata.available_years(TOPIC))
    return tuple(lawdata.load(TOPIC, newest).figure("jukazei.exempt_fuels").value)


def calculator_input(values: dict[str, Any], fiscal_year: int) -> dict[str, Any]:
    data: dict[str, Any] = {"fiscal_year": fiscal_year, "class": values.get("kind")}
    for key in ("use", "first_inspection", "fuel"):
        if values.get(key):
            data[key] = values[key]
    if values.get("fuel_economy_2030_90"):
        data["fuel_economy_2030_90"] = True
    return data


def _vehicle_problems(
    name: str, line: int, values: dict[str, Any], fuels: tuple[str, ...]
) -> list[Problem]:
    if not values.get("kind"):
        return [Problem(name, line, "車種", "登録には必須です")]
    check = Checker()
    # 年度 0: the calculator leaves out the 賦課期日 test; the batch applies it for its 年度.
    keiji_vehicle.parse(calculator_input(values, 0), check=check, fuels=fuels, fiscal_year=0)
    out = []
    for problem in check.problems:
        key = CALCULATOR_KEYS.get(problem.path.split(".")[0], "")
        out.append(Problem(name, line, header_of(SHARYO, key) if key else "", problem.reason))
    first = values.get("first_inspection", "")
    if len(first) == 7 and first > values["on"][:7]:
        out.append(Problem(name, line, "初度検査年月", f"異動日 {values['on']} より後の月です"))
    return out


def _registered(hyoshiki: set[str]) -> dict[str, list[tuple[str, str]]]:
    """(date, idou) of the rows already on record for these 標識番号."""
    out: dict[str, list[tuple[str, str]]] = {}
    rows = Sharyo.objects.filter(hyoshiki_no__in=hyoshiki).values_list("hyoshiki_no", "on", "idou")
    for number, on, idou in rows:
        out.setdefault(number, []).append((on.isoformat(), idou))
    return out


def import_file(path: Path, *, encoding: str = "utf-8", dry_run: bool = False) -> ImportReport:
    name = str(path)
    report = ImportReport(file=name, dry_run=dry_run)
    rows, report.problems = read(path, SHARYO, encoding=encoding)
    report.rows = len(rows)
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    source = f"{path.name}#{digest[:16]}"
    if Sharyo.objects.filter(source=source).exists():
        report.problems.append(Problem(name, 0, "", "このファイルは受付済みです（同じ内容）"))
    bad_lines = {p.line for p in report.problems}
    fuels = _fuels()
    owners = {v["atena_no"] for _line, v in rows if "atena_no" in v}
    known = set(
        Person.objects.filter(atena_no__in=owners)
        .exclude(kind=PersonKind.VOID)
        .values_list("atena_no", flat=True)
    )
    history = _registered({v["hyoshiki_no"] for _line, v in rows if "hyoshiki_no" in v})
    seen: dict[tuple[str, str, str], int] = {}
    ready = []
    tenant = require_tenant_code()  # bulk_create does not call save(), which stamps it
    for line, values in sorted(rows, key=lambda r: (r[1].get("on", ""), r[0])):
        if line in bad_lines:
            continue
        found: list[Problem] = []
        key = (values["hyoshiki_no"], values["on"], values["idou"])
        if key in seen:
            found.append(Problem(name, line, "標識番号", f"{seen[key]}行目と同じ異動です"))
        seen.setdefault(key, line)
        if values["idou"] == Idou.TOROKU:
            if "atena_no" not in values:
                found.append(Problem(name, line, "所有者", "登録には必須です"))
            elif values["atena_no"] not in known:
                found.append(
                    Problem(
                        name, line, "所有者", f"宛名番号 {values['atena_no']} の宛名がありません"
                    )
                )
            found += _vehicle_problems(name, line, values, fuels)
        else:
            before = [i for d, i in history.get(values["hyoshiki_no"], []) if d <= values["on"]]
            if Idou.TOROKU not in before:
                found.append(
                    Problem(name, line, "標識番号", "登録のない車両の廃車です（先に登録が必要）")
                )
        if not found:
            history.setdefault(values["hyoshiki_no"], []).append((values["on"], values["idou"]))
            ready.append(_row(values, tenant=tenant, source=source, line=line))
        report.problems += found
    report.problems.sort(key=lambda p: (p.line, p.field))
    if report.problems or dry_run:
        return report
    with transaction.atomic():
        Sharyo.objects.bulk_create(ready, batch_size=2000)
        record(
            AuditAction.CHANGE,
            object_type="zei_kei.sharyo",
            object_id=source,
            detail={
                "rows": len(ready),
                "atena_nos": sorted({r.atena_no for r in ready if r.atena_no}),
            },
        )
    report.imported = len(ready)
    return report


def _row(values: dict[str, Any], *, tenant: str, source: str, line: int) -> Sharyo:
    toroku = values["idou"] == Idou.TOROKU
    return Sharyo(
        tenant_id=tenant,
        hyoshiki_no=values["hyoshiki_no"],
        idou=values["idou"],
        on=dt.date.fromisoformat(values["on"]),
        atena_no=values.get("atena_no") if toroku else None,
        source=source,
        line=line,
        recorded_by=_who(),
        **{
            k: values.get(k, False if k == "fuel_economy_2030_90" else "")
            for k in VEHICLE_ITEMS
            if toroku
        },
    )


def vehicles_on(day: dt.date, after: str = "") -> dict[str, Sharyo]:
    """Every vehicle registered on ``day`` (its latest row dated on or before it is a 登録),
    by 標識番号, those after ``after`` only. A vehicle 廃車 on or before ``day`` is not there."""
    latest: dict[str, Sharyo] = {}
    rows = Sharyo.objects.filter(on__lte=day, hyoshiki_no__gt=after).order_by(
        "hyoshiki_no", "on", "id"
    )
    for row in rows:
        latest[row.hyoshiki_no] = row
    return {n: r for n, r in latest.items() if r.idou == Idou.TOROKU}
