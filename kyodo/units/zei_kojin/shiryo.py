"""Receiving 課税資料: 給与支払報告書 and 公的年金等支払報告書 files, and 申告書 (JSON).

Validate everything first — the layout, every item, the person each row is about (by 個人番号,
else by 氏名 and 生年月日 in 宛名), duplicates within the file, the same file received twice —
and report every problem with file, line, item and reason. Only a file with no problem is
stored, in one transaction; a dry run stores nothing either way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from kyodo.atena.models import Person
from kyodo.atena.mynumber import is_valid_my_number
from kyodo.atena.selectors import person_by_my_number
from kyodo.layouts.csvfile import Problem, read
from kyodo.platform.audit import record
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import current_scope, require_tenant_code
from kyodo.rules import juminzei
from kyodo.rules.inputs import InputError
from kyodo.units.zei_kojin.layouts import LAYOUTS
from kyodo.units.zei_kojin.models import KazeiShiryo, ShiryoKind

SPACES = re.compile(r"[\s\u3000]+")


@dataclass
class ImportReport:
    file: str
    kind: str
    fiscal_year: int
    rows: int = 0
    imported: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "kind": self.kind,
            "fiscal_year": self.fiscal_year,
            "rows": self.rows,
            "imported": self.imported,
            "dry_run": self.dry_run,
            "problems": [p.as_json() for p in self.problems],
        }


def _who() -> str:
    scope = current_scope()
    return scope.actor.username if scope else "system"


def _by_my_number(
    number: str, birth: dt.date, name: str, line: int
) -> tuple[int | None, Problem | None]:
    if not is_valid_my_number(number):
        return None, Problem(name, line, "個人番号", "個人番号の検査用数字が一致しません")
    person = person_by_my_number(number)
    if person is None:
        return None, Problem(name, line, "個人番号", "この個人番号の宛名がありません")
    if person.birth_date != birth:
        return None, Problem(name, line, "生年月日", "宛名の生年月日と一致しません")
    return person.atena_no, None


def _person(values: dict[str, Any], name: str, line: int) -> tuple[int | None, Problem | None]:
    """The 宛名番号 a row is about: by 個人番号, else by 氏名 and 生年月日 (exactly one)."""
    birth = dt.date.fromisoformat(values["birth_date"])
    if values.get("my_number"):
        return _by_my_number(values["my_number"], birth, name, line)
    wanted = SPACES.sub("", values["name"])
    found = [
        p.atena_no
        for p in Person.objects.filter(birth_date=birth).only(
            "atena_no", "family_name", "given_name"
        )
        if f"{p.family_name}{p.given_name}" == wanted
    ]
    if len(found) == 1:
        return found[0], None
    if not found:
        return None, Problem(name, line, "氏名", "氏名と生年月日に一致する宛名がありません")
    reason = f"氏名と生年月日に一致する宛名が{len(found)}件あります（個人番号で特定してください）"
    return None, Problem(name, line, "氏名", reason)


def import_file(
    path: Path, *, kind: str, fiscal_year: int, encoding: str = "utf-8", dry_run: bool = False
) -> ImportReport:
    """Receive one 給与支払報告書 (``kind="kyuyo"``) or 公的年金等支払報告書 (``"nenkin"``) file."""
    name = str(path)
    report = ImportReport(file=name, kind=kind, fiscal_year=fiscal_year, dry_run=dry_run)
    rows, report.problems = read(path, LAYOUTS[kind], encoding=encoding)
    report.rows = len(rows)
    bad_lines = {p.line for p in report.problems}
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    source = f"{path.name}#{digest[:16]}"
    if digest and KazeiShiryo.objects.filter(source=source, fiscal_year=fiscal_year).exists():
        report.problems.append(Problem(name, 0, "", "このファイルは受付済みです（同じ内容）"))
    seen: dict[tuple[str, int], int] = {}
    ready = []
    tenant = require_tenant_code()  # bulk_create does not call save(), which stamps it
    for line, values in rows:
        if line in bad_lines:
            continue
        atena_no, problem = _person(values, name, line)
        if problem is not None:
            report.problems.append(problem)
            continue
        assert atena_no is not None
        key = (values["payer_no"], atena_no)
        if key in seen:
            report.problems.append(
                Problem(name, line, "個人番号", f"{seen[key]}行目と同じ人・同じ支払者です")
            )
            continue
        seen[key] = line
        data = {
            k: v
            for k, v in values.items()
            if k not in ("my_number", "payer_no", "payer_name", "futsu_reason")
        }
        ready.append(
            KazeiShiryo(
                tenant_id=tenant,
                fiscal_year=fiscal_year,
                atena_no=atena_no,
                kind=kind,
                payer_no=values["payer_no"],
                payer_name=values.get("payer_name", ""),
                data=data,
                futsu_reason=values.get("futsu_reason", ""),
                source=source,
                line=line,
                received_by=_who(),
            )
        )
    report.problems.sort(key=lambda p: (p.line, p.field))
    if report.problems or dry_run:
        return report
    with transaction.atomic():
        KazeiShiryo.objects.bulk_create(ready, batch_size=2000)
        record(
            AuditAction.CHANGE,
            object_type="zei_kojin.shiryo",
            object_id=source,
            detail={"kind": kind, "fiscal_year": fiscal_year, "rows": len(ready)},
        )
    report.imported = len(ready)
    return report


SHINKOKU_KEYS = {"atena_no", "taxpayer", "spouse", "dependents"}


def register_shinkoku(path: Path, *, fiscal_year: int, dry_run: bool = False) -> ImportReport:
    """住民税申告書 as JSON: a list of ``{"atena_no", "taxpayer": {items it states},
    "spouse": {"birth_date", "income"} | null, "dependents": [...]}``. Each statement is checked
    by running the calculator on it; every problem names the list index and the field."""
    name = str(path)
    report = ImportReport(
        file=name, kind=ShiryoKind.SHINKOKU, fiscal_year=fiscal_year, dry_run=dry_run
    )
    try:
        statements = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.problems.append(
            Problem(name, getattr(exc, "lineno", 0), "", f"JSON として読めません: {exc}")
        )
        return report
    if not isinstance(statements, list):
        report.problems.append(
            Problem(name, 1, "", "申告書の一覧（JSON の配列）を指定してください")
        )
        return report
    report.rows = len(statements)
    ready = []
    tenant = require_tenant_code()
    for index, statement in enumerate(statements):
        where = f"[{index}]"
        if not isinstance(statement, dict) or not isinstance(statement.get("atena_no"), int):
            report.problems.append(
                Problem(name, 0, f"{where}.atena_no", "宛名番号（整数）が必要です")
            )
            continue
        unknown = sorted(set(statement) - SHINKOKU_KEYS)
        if unknown:
            report.problems.append(
                Problem(name, 0, f"{where}.{unknown[0]}", "申告書にない項目です")
            )
            continue
        person = Person.objects.filter(atena_no=statement["atena_no"]).first()
        if person is None:
            report.problems.append(
                Problem(name, 0, f"{where}.atena_no", "この宛名番号の宛名がありません")
            )
            continue
        problem = _check_statement(statement, fiscal_year, name, where)
        if problem is not None:
            report.problems.append(problem)
            continue
        data = {k: v for k, v in statement.items() if k != "atena_no"}
        ready.append(
            KazeiShiryo(
                tenant_id=tenant,
                fiscal_year=fiscal_year,
                atena_no=person.atena_no,
                kind=ShiryoKind.SHINKOKU,
                data=data,
                source=path.name,
                line=index + 1,
                received_by=_who(),
            )
        )
    if report.problems or dry_run:
        return report
    with transaction.atomic():
        KazeiShiryo.objects.bulk_create(ready)
        record(
            AuditAction.CHANGE,
            object_type="zei_kojin.shinkoku",
            object_id=path.name,
            detail={"fiscal_year": fiscal_year, "atena_nos": [r.atena_no for r in ready]},
        )
    report.imported = len(ready)
    return report


def _check_statement(
    statement: dict[str, Any], fiscal_year: int, name: str, where: str
) -> Problem | None:
    """Run the calculator on the statement alone (standard municipality): its own errors,
    with their JSON paths, are the statement's."""
    taxpayer = {
        "age": 40,
        "salary_income": 0,
        "pension_income": 0,
        "other_income": 0,
        "social_insurance": 0,
        **statement.get("taxpayer", {}),
    }
    relatives: dict[str, Any] = {}
    try:
        if statement.get("spouse"):
            relatives["spouse"] = {"age": 40, "income": statement["spouse"]["income"]}
        relatives["dependents"] = [
            {"age": 10, "income": d["income"]} for d in statement.get("dependents", [])
        ]
        for d in [statement.get("spouse"), *statement.get("dependents", [])]:
            if d:
                dt.date.fromisoformat(d["birth_date"])
    except (KeyError, TypeError, ValueError) as exc:
        return Problem(
            name, 0, f"{where}.spouse/dependents", f"生年月日（YYYY-MM-DD）と所得が必要です: {exc}"
        )
    try:
        juminzei.calculate(
            {
                "fiscal_year": fiscal_year,
                "municipality": {
                    "designated_city": False,
                    "kyuchi": 1,
                    "city_rate": 0.06,
                    "pref_rate": 0.04,
                    "city_kintouwari": 3000,
                    "pref_kintouwari": 1000,
                },
                "taxpayer": taxpayer,
                "spouse": relatives.get("spouse"),
                "dependents": relatives.get("dependents", []),
            }
        )
    except InputError as exc:
        first = exc.problems[0] if getattr(exc, "problems", None) else None
        field = f"{where}.{first.path}" if first is not None else where
        reason = first.reason if first is not None else str(exc)
        return Problem(name, 0, field, reason)
    return None
