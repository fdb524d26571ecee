"""当初課税: the annual 軽自動車税 種別割 batch of one 年度 for one municipality.

The 賦課期日 is 1 April: whoever owns a vehicle on record that day pays the whole year, with
no pro-rating (地方税法 種別割の賦課期日, before the 令和元年 reform 第445条; rules.md §4). A
vehicle 廃車 on or before 1 April is not taxed for the 年度, one registered on 2 April or later
neither. The rate — 新税率, 旧税率, 重課 after 13 years (第463条の15第2項), グリーン化特例 — is
the calculator's (kyodo.rules.keiji). The tax is due at the municipality's 納期 (tenant
parameter ``zei_kei.noki``, May by default).

An owner the hub reported as moved out (after the vehicle was registered here) or dead on or
before 1 April is not assessed: the vehicle is flagged for the clerk, because its 主たる定置場
may have moved, or its owner is now an heir. Vehicles are assessed in 標識番号 order, a chunk
per transaction, each assessment stored with its trail and announced on the hub
(zei_kei.assessed). A stopped run resumes after the last committed chunk (``resume``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone

from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import current_scope, require_tenant_code, tenant_scope
from kyodo.rules import keiji
from kyodo.rules.choshu import futsu_installments
from kyodo.rules.inputs import InputError
from kyodo.units.zei_kei.events import publish_assessed
from kyodo.units.zei_kei.handlers import left_by
from kyodo.units.zei_kei.models import Kazei, KazeiRun, KyojuKind, Sharyo
from kyodo.units.zei_kei.parameters import for_year
from kyodo.units.zei_kei.sharyo import calculator_input, vehicles_on

CHUNK = 1000
ALREADY_DONE = "{year}年度の当初課税は実施済みです（{finished}）。更正で直してください"
RUNNING = (
    "{year}年度の当初課税は途中で止まっています（{done}/{total}台）。--resume で再開してください"
)
MOVED_OUT = (
    "所有者（宛名番号 {atena_no}）が賦課期日（{day}）より前の {on} に転出しています（転出先: "
    "{destination}）: 主たる定置場が移った可能性があります。定置場を確認してから課税してください"
)
DIED = (
    "所有者（宛名番号 {atena_no}）が賦課期日（{day}）より前の {on} に死亡しています: "
    "賦課期日の所有者（相続人）を確認し、名義を登録してから課税してください（地方税法 第9条）"
)


def fuka_kijitsu(fiscal_year: int) -> dt.date:
    """賦課期日: 1 April of the 年度."""
    return dt.date(fiscal_year, 4, 1)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.done / self.total if self.total else 100.0


def start_or_resume(fiscal_year: int, *, resume: bool) -> KazeiRun:
    run = KazeiRun.objects.filter(fiscal_year=fiscal_year).order_by("-id").first()
    if run is not None and run.finished_at is not None:
        raise ValidationFailed(
            ALREADY_DONE.format(year=fiscal_year, finished=run.finished_at.date()),
            field="fiscal_year",
        )
    if run is not None and not resume:
        raise ValidationFailed(
            RUNNING.format(year=fiscal_year, done=run.done, total=run.total), field="resume"
        )
    if run is None:
        scope = current_scope()
        run = KazeiRun.objects.create(
            fiscal_year=fiscal_year,
            total=len(vehicles_on(fuka_kijitsu(fiscal_year))),
            started_by=scope.actor.username if scope else "system",
        )
    return run


def toshokazei(
    fiscal_year: int,
    *,
    resume: bool = False,
    chunk: int = CHUNK,
    progress: Callable[[Progress], None] | None = None,
    stop_after: int | None = None,
) -> KazeiRun:
    """Run (or resume) the 当初課税 of ``fiscal_year``."""
    code = require_tenant_code()  # a transaction per chunk under a tenant_session
    with tenant_scope(code):
        run = start_or_resume(fiscal_year, resume=resume)
        noki = for_year(fiscal_year)["noki"]
        vehicles = vehicles_on(fuka_kijitsu(fiscal_year), after=run.last_hyoshiki_no)
    remaining = sorted(vehicles)
    for chunks, start in enumerate(range(0, len(remaining), chunk)):
        if stop_after is not None and chunks >= stop_after:
            return run
        numbers = remaining[start : start + chunk]
        with tenant_scope(code):
            run = KazeiRun.objects.select_for_update().get(pk=run.pk)
            flagged = _assess_chunk(run, [vehicles[n] for n in numbers], noki)
            run.flagged = [*run.flagged, *flagged]
            run.done += len(numbers)
            run.last_hyoshiki_no = numbers[-1]
            run.save(update_fields=["done", "last_hyoshiki_no", "flagged"])
        if progress is not None:
            progress(Progress(run.done, run.total))
    with tenant_scope(code):
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        record(
            AuditAction.CHANGE,
            object_type="zei_kei.toshokazei",
            object_id=fiscal_year,
            detail={"run": run.pk, "processed": run.done, "flagged": len(run.flagged)},
        )
    return run


def _flag(vehicle: Sharyo, day: dt.date, left: dict[int, Any]) -> str | None:
    """Why this vehicle must not be assessed without a look, if it must not."""
    assert vehicle.atena_no is not None
    change = left.get(vehicle.atena_no)
    if change is None:
        return None
    if change.kind == KyojuKind.DIED:
        return DIED.format(atena_no=vehicle.atena_no, day=day, on=change.on)
    if change.on < vehicle.on:
        return None  # moved out before this vehicle was registered to them here
    return MOVED_OUT.format(
        atena_no=vehicle.atena_no, day=day, on=change.on, destination=change.destination or "不明"
    )


def _vehicle(row: Sharyo) -> dict[str, Any]:
    return {
        "hyoshiki_no": row.hyoshiki_no,
        "kind": row.kind,
        "use": row.use,
        "first_inspection": row.first_inspection,
        "fuel": row.fuel,
        "registered_on": row.on.isoformat(),
    }


def _assess_chunk(run: KazeiRun, vehicles: list[Sharyo], noki: list[str]) -> list[dict[str, Any]]:
    year = run.fiscal_year
    day = fuka_kijitsu(year)
    left = left_by(day, sorted({v.atena_no for v in vehicles if v.atena_no is not None}))
    numbers = [v.hyoshiki_no for v in vehicles]
    prior: dict[str, tuple[int, int]] = {}
    for number, revision, notice_no in (
        Kazei.objects.filter(fiscal_year=year, hyoshiki_no__in=numbers)
        .order_by("hyoshiki_no", "revision")
        .values_list("hyoshiki_no", "revision", "notice_no")
    ):
        prior[number] = (revision, notice_no)
    last_no = Kazei.objects.filter(fiscal_year=year).aggregate(m=Max("notice_no"))["m"]
    last_no = last_no or 0  # 通知書番号 count from 1 in each 年度 (9 digits on the barcode)
    tenant = require_tenant_code()  # bulk_create does not call save(), which stamps it
    rows: list[Kazei] = []
    flagged: list[dict[str, Any]] = []
    for vehicle in vehicles:
        reason = _flag(vehicle, day, left)
        if reason is not None:
            flagged.append(
                {"hyoshiki_no": vehicle.hyoshiki_no, "atena_no": vehicle.atena_no, "reason": reason}
            )
            continue
        data = calculator_input(_vehicle(vehicle), year)
        try:
            result = keiji.calculate(data)
        except InputError as error:
            reason = "計算できません: " + "; ".join(f"{p.path}: {p.reason}" for p in error.problems)
            flagged.append(
                {"hyoshiki_no": vehicle.hyoshiki_no, "atena_no": vehicle.atena_no, "reason": reason}
            )
            continue
        revision, notice_no = prior.get(vehicle.hyoshiki_no, (0, 0))
        if not notice_no:
            last_no += 1
            notice_no = last_no
        total = int(result["tax"])
        assert vehicle.atena_no is not None
        rows.append(
            Kazei(
                tenant_id=tenant,
                fiscal_year=year,
                notice_no=notice_no,
                hyoshiki_no=vehicle.hyoshiki_no,
                atena_no=vehicle.atena_no,
                revision=revision + 1,
                run=run,
                kind=vehicle.kind,
                rate_kind=result["rate_kind"],
                total=total,
                installments=[
                    i.as_json() for i in futsu_installments(total, fiscal_year=year, noki=noki)
                ],
                vehicle=_vehicle(vehicle),
                unconfirmed=result.get("unconfirmed", []),
                calc_input=data,
                result=result,
            )
        )
    Kazei.objects.bulk_create(rows)
    publish_assessed(rows)
    if rows:
        record(
            AuditAction.CHANGE,
            object_type="zei_kei.kazei",
            object_id=run.pk,
            detail={"fiscal_year": year, "atena_nos": sorted({r.atena_no for r in rows})},
        )
    return flagged
