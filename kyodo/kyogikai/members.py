"""参加と脱退: a municipality joins the consortium (後乗り included) or leaves it.

- :func:`join` registers the municipality, its membership and its units (別表), and — for a
  municipality joining later — loads its data from a standard-layout folder, all in one
  transaction: a refused file leaves neither the municipality nor its membership behind.
- :func:`leave` exports everything of it (with its audit trail) to a new folder, purges it
  (:mod:`kyodo.kyogikai.purge`), deletes its own backups, and keeps the purge check's report
  on the membership. It refuses to purge unless the export is complete.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.utils import timezone

from kyodo.iko.export import export_tenant
from kyodo.iko.load import ImportResult, import_tenant
from kyodo.kyogikai import purge as purging
from kyodo.kyogikai.models import Member, MemberUnit
from kyodo.platform.accounts.units import BUSINESS_UNITS
from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models import Account, Consortium, Tenant
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import Actor, no_tenant_scope, tenant_session
from kyodo.platform.tenancy.services import tenant_create

__all__ = ["ImportRefused", "UnitTerm", "join", "leave", "parse_units", "set_units"]

PURPOSE_JOIN = "協議会への参加（後乗り）に伴うデータ移行"
PURPOSE_LEAVE = "協議会からの脱退に伴う全データの出力"


@dataclass(frozen=True)
class UnitTerm:
    unit: str
    start_fy: int
    end_fy: int | None = None


class ImportRefused(ValidationFailed):
    """The newcomer's files were refused; ``result`` holds every problem."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        super().__init__(
            f"移行データに問題が {result.problems.count:,} 件あるため、参加を登録していません",
            field="folder",
        )


def parse_units(text: str, *, default_start: int, field: str = "units") -> list[UnitTerm]:
    """``"juki,zei_kojin:2027,kokuho:2026-2030"`` → unit terms (start year defaults)."""
    terms = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        unit, _, years = item.partition(":")
        start, _, end = years.partition("-")
        try:
            term = UnitTerm(unit, int(start) if start else default_start, int(end) if end else None)
        except ValueError:
            raise ValidationFailed(f"年度は数字です（{item!r}）", field=field) from None
        terms.append(term)
    return terms


def _check_units(units: Sequence[UnitTerm]) -> None:
    seen: set[str] = set()
    for term in units:
        if term.unit not in BUSINESS_UNITS:
            raise ValidationFailed(
                f"業務 {term.unit!r} はありません（使える業務: {', '.join(BUSINESS_UNITS)}）",
                field="units",
            )
        if term.end_fy is not None and term.end_fy < term.start_fy:
            raise ValidationFailed(
                f"業務 {term.unit} の運用終了年度 {term.end_fy} が"
                f"開始年度 {term.start_fy} より前です",
                field="units",
            )
        if term.unit in seen:
            raise ValidationFailed(f"業務 {term.unit} が2回あります", field="units")
        seen.add(term.unit)


def set_units(member: Member, units: Sequence[UnitTerm], *, actor: Actor | None = None) -> None:
    """Replace the member's 別表 (the units it runs, with their years)."""
    _check_units(units)
    with transaction.atomic():
        member.units.all().delete()
        MemberUnit.objects.bulk_create(
            MemberUnit(member=member, unit=t.unit, start_fy=t.start_fy, end_fy=t.end_fy)
            for t in units
        )
        record(
            AuditAction.MANAGE,
            object_type="kyogikai.member",
            object_id=member.tenant_code,
            tenant_code=None,
            actor=actor,
            detail={"op": "units", "units": [t.__dict__ for t in units]},
        )


def join(
    *,
    consortium: Consortium,
    code: str,
    name: str,
    population: int,
    joined_on: dt.date,
    units: Sequence[UnitTerm],
    current_cost: int | None = None,
    folder: Path | None = None,
    actor: Actor | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> Member:
    """Register a municipality as a member; with ``folder``, load its data (standard layouts)."""
    _check_units(units)
    if folder is not None and not folder.is_dir():
        raise ValidationFailed(f"{folder} はフォルダーではありません", field="folder")
    with transaction.atomic():
        if Member.objects.filter(tenant_code=code, left_on__isnull=True).exists():
            raise ValidationFailed(f"団体 {code} は既に参加しています", field="code")
        tenant = Tenant.objects.filter(code=code).first()
        if tenant is None:
            tenant = tenant_create(
                code=code, name=name, population=population, consortium=consortium, actor=actor
            )
        elif tenant.consortium_id not in (None, consortium.pk):
            raise ValidationFailed(f"団体 {code} は別の協議会に属しています", field="code")
        else:
            tenant.consortium = consortium
            tenant.save(update_fields=["consortium"])
        member = Member.objects.create(
            consortium=consortium,
            tenant_code=code,
            name=tenant.name,
            population=population,
            current_cost=current_cost,
            joined_on=joined_on,
        )
        set_units(member, units, actor=actor)
        loaded: dict[str, Any] = {}
        if folder is not None:
            with tenant_session(code, actor=actor, purpose=PURPOSE_JOIN):
                result = import_tenant(code, folder, progress=progress)
            if result.problems.count or not result.loaded:
                raise ImportRefused(result)
            loaded = {f["file"]: f["rows"] for f in result.as_json().get("files", [])}
        record(
            AuditAction.MANAGE,
            object_type="kyogikai.member",
            object_id=code,
            tenant_code=None,
            actor=actor,
            detail={"op": "join", "consortium": consortium.slug, "loaded": loaded},
        )
    return member


def leave(
    member: Member,
    *,
    export_to: Path,
    left_on: dt.date,
    actor: Actor | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> purging.PurgeReport:
    """Export the member's data, purge it, and return the purge check (kept on the member)."""
    if connection.in_atomic_block:
        # The purge commits on its own (owner) connection; rows this transaction holds
        # would block it, and its rollback could not undo the purge.
        raise RuntimeError("leave() must run outside a transaction")
    if not member.is_current:
        raise ValidationFailed(f"{member.name} は既に脱退しています", field="code")
    code = member.tenant_code
    with tenant_session(code, actor=actor, purpose=PURPOSE_LEAVE):
        manifest = export_tenant(code, export_to, with_audit=True, progress=progress)
    exported = {f["file"]: f["rows"] for f in manifest.get("files", [])}
    left_at = timezone.now()
    staff = {str(pk) for pk in Account.objects.filter(tenant_id=code).values_list("pk", flat=True)}
    deleted = purging.purge(code)
    ended = _end_sessions(staff)
    removed = purging.delete_own_backups(code)
    report = purging.check(code, left_at=left_at)
    with no_tenant_scope():
        member.left_on = left_on
        member.export_path = str(export_to)
        member.purged_at = left_at
        member.purge_report = report.as_json() | {
            "deleted": deleted,
            "backups_deleted": removed,
            "sessions_ended": ended,
        }
        member.save()
        record(
            AuditAction.MANAGE,
            object_type="kyogikai.member",
            object_id=code,
            tenant_code=None,
            actor=actor,
            detail={
                "op": "leave",
                "export": str(export_to),
                "exported_rows": sum(exported.values()),
                "deleted_rows": sum(deleted.values()),
                "clean": report.clean,
            },
        )
    return report


def _end_sessions(account_ids: set[str]) -> int:
    """Log out the purged staff: their sessions would name accounts that no longer exist."""
    if not account_ids:
        return 0
    stale = [
        s.pk
        for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if s.get_decoded().get("_auth_user_id") in account_ids
    ]
    Session.objects.filter(pk__in=stale).delete()
    return len(stale)
