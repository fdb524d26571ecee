"""当初課税: the annual 固定資産税・都市計画税 batch of one 年度 for one municipality.

1. The ledger of the 年度 (the latest 履歴番号 of each 土地 and 家屋), and who owned each 物件 on
   the 賦課期日, 1 January (地方税法 第359条; the owner registered that day, 第343条第2項).
2. Each 物件 goes to its 納税義務者: an owner alone, or a group of co-owners (jointly liable,
   第10条の2). A 納税義務者's 物件 are assessed together, so the 免税点 applies per person
   (第351条), in 納税義務者 order, a chunk per transaction.
3. Nothing is assessed silently wrong; the run's ``flagged`` list tells the clerk:
   * a 物件 with no owner on record on the 賦課期日;
   * an owner the hub reported dead before the 賦課期日 — the tax falls on the heirs who own
     the 物件 on that day (第343条第2項後段, 第9条), and a 相続人代表者 must be named (第9条の2):
     「相続人代表者の指定が必要」, not assessed;
   * an owner who died on or after the 賦課期日: assessed (the obligation passes to the heirs,
     第9条), flagged so that the notice goes to the 相続人代表者;
   * a 納税義務者 whose ledger values the calculator refuses, with its reasons.
4. Each assessment is stored with its full trail and announced on the hub (zei_kotei.assessed).
   The run records how far it got, so a stopped run resumes after the last committed chunk
   (``resume``) and never assesses anyone twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone

from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import current_scope, require_tenant_code, tenant_scope
from kyodo.rules.inputs import InputError
from kyodo.units.zei_kotei.assessment import assess
from kyodo.units.zei_kotei.events import publish_assessed
from kyodo.units.zei_kotei.handlers import deaths
from kyodo.units.zei_kotei.models import (
    Bukken,
    BukkenKind,
    KaokuDaicho,
    Kazei,
    KazeiRun,
    TochiDaicho,
)
from kyodo.units.zei_kotei.owners import Ownership, atena_nos_of, owners_on
from kyodo.units.zei_kotei.parameters import for_year

CHUNK = 500
ALREADY_DONE = "{year}年度の当初課税は実施済みです（{finished}）。更正で直してください"
RUNNING = (
    "{year}年度の当初課税は途中で止まっています（{done}/{total}件）。--resume で再開してください"
)
NO_LEDGER = "{year}年度の課税台帳（土地・家屋）がありません"
HEIRS = (
    "所有者（宛名番号 {atena_no}）は賦課期日（{day}）より前の {died_on} に死亡しています: "
    "相続人代表者の指定が必要です。賦課期日に現に所有する相続人を所有者として登録し、"
    "相続人代表者を指定してから課税してください（地方税法 第9条・第9条の2・第343条第2項）"
)
SUCCESSION = (
    "納税義務者（宛名番号 {atena_no}）は {died_on} に死亡: 納税義務は相続人が承継します"
    "（地方税法 第9条）。通知書は相続人代表者に送付してください（第9条の2）"
)
NO_OWNER = "賦課期日（{day}）に所有者の登録がありません（地方税法 第343条）"


def fuka_kijitsu(fiscal_year: int) -> dt.date:
    """賦課期日: 1 January of the 年度 (地方税法 第359条)."""
    return dt.date(fiscal_year, 1, 1)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.done / self.total if self.total else 100.0


@dataclass
class Ledger:
    """The 年度's ledger, its owners on the 賦課期日 and the 納税義務者 they form."""

    land: dict[int, TochiDaicho]
    houses: dict[int, KaokuDaicho]
    bukken: dict[int, Bukken]
    ownership: dict[int, Ownership]
    groups: dict[str, list[int]]  # owner key → 物件 ids
    unowned: list[int]


def _latest(model: type[TochiDaicho] | type[KaokuDaicho], fiscal_year: int) -> dict[int, Any]:
    rows = model.objects.filter(fiscal_year=fiscal_year).order_by("bukken_id", "revision")
    return {row.bukken_id: row for row in rows}  # the latest revision wins


def ledger(fiscal_year: int) -> Ledger:
    land, houses = _latest(TochiDaicho, fiscal_year), _latest(KaokuDaicho, fiscal_year)
    ids = sorted(set(land) | set(houses))
    ownership = owners_on(fuka_kijitsu(fiscal_year), ids)
    groups: dict[str, list[int]] = defaultdict(list)
    unowned = []
    for bukken_id in ids:
        owned = ownership.get(bukken_id)
        if owned is None or not owned.holders:
            unowned.append(bukken_id)
        else:
            groups[owned.key].append(bukken_id)
    return Ledger(land, houses, Bukken.objects.in_bulk(ids), ownership, dict(groups), unowned)


def _label(b: Bukken) -> str:
    return f"{BukkenKind(b.kind).label} {b.shozai} {b.bango}"


def start_or_resume(fiscal_year: int, *, resume: bool, book: Ledger) -> KazeiRun:
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
        if not book.land and not book.houses:
            raise ValidationFailed(NO_LEDGER.format(year=fiscal_year), field="fiscal_year")
        scope = current_scope()
        day = fuka_kijitsu(fiscal_year)
        run = KazeiRun.objects.create(
            fiscal_year=fiscal_year,
            total=len(book.groups),
            started_by=scope.actor.username if scope else "system",
            flagged=[
                {
                    "owners": [],
                    "assets": [_label(book.bukken[i])],
                    "reason": NO_OWNER.format(day=day),
                    "assessed": False,
                }
                for i in book.unowned
            ],
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
    """Run (or resume) the 当初課税 of ``fiscal_year``. ``stop_after`` chunks is for tests
    and operators who want to run it in slices."""
    code = require_tenant_code()  # a transaction per chunk under a tenant_session
    with tenant_scope(code):
        book = ledger(fiscal_year)
        run = start_or_resume(fiscal_year, resume=resume, book=book)
        params = for_year(fiscal_year)
    remaining = sorted(k for k in book.groups if k > run.last_key)
    for chunks, start in enumerate(range(0, len(remaining), chunk)):
        if stop_after is not None and chunks >= stop_after:
            return run
        keys = remaining[start : start + chunk]
        with tenant_scope(code):
            run = KazeiRun.objects.select_for_update().get(pk=run.pk)
            flagged = _assess_chunk(run, keys, book, params)
            run.flagged = [*run.flagged, *flagged]
            run.done += len(keys)
            run.last_key = keys[-1]
            run.save(update_fields=["done", "last_key", "flagged"])
        if progress is not None:
            progress(Progress(run.done, run.total))
    with tenant_scope(code):
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        record(
            AuditAction.CHANGE,
            object_type="zei_kotei.toshokazei",
            object_id=fiscal_year,
            detail={"run": run.pk, "processed": run.done, "flagged": len(run.flagged)},
        )
    return run


def _notice_numbers(fiscal_year: int, keys: list[str]) -> tuple[dict[str, tuple[int, int]], int]:
    """(owner key → (last revision, its 通知書番号)) and the last 通知書番号 of the 年度.
    通知書番号 count from 1 in each 年度 (収納 prints them in 9 digits on the barcode)."""
    prior: dict[str, tuple[int, int]] = {}
    for key, revision, notice_no in (
        Kazei.objects.filter(fiscal_year=fiscal_year, owner_key__in=keys)
        .order_by("owner_key", "revision")
        .values_list("owner_key", "revision", "notice_no")
    ):
        prior[key] = (revision, notice_no)
    last = Kazei.objects.filter(fiscal_year=fiscal_year).aggregate(m=Max("notice_no"))["m"]
    return prior, last or 0


def _assess_chunk(
    run: KazeiRun, keys: list[str], book: Ledger, params: dict[str, Any]
) -> list[dict[str, Any]]:
    year = run.fiscal_year
    day = fuka_kijitsu(year)
    died = deaths(sorted({n for key in keys for n in atena_nos_of(key)}))
    prior, last_no = _notice_numbers(year, keys)
    tenant = require_tenant_code()  # bulk_create does not call save(), which stamps it
    rows: list[Kazei] = []
    flagged: list[dict[str, Any]] = []
    for key in keys:
        members = atena_nos_of(key)
        ids = book.groups[key]
        labels = [_label(book.bukken[i]) for i in ids]
        before = [(n, died[n]) for n in members if n in died and died[n] < day]
        if before:
            flagged += [
                {
                    "owners": members,
                    "assets": labels,
                    "reason": HEIRS.format(atena_no=n, day=day, died_on=d),
                    "assessed": False,
                }
                for n, d in before
            ]
            continue
        try:
            outcome = assess(
                fiscal_year=year,
                land=[book.land[i] for i in ids if i in book.land],
                houses=[book.houses[i] for i in ids if i in book.houses],
                bukken=book.bukken,
                ownership=book.ownership,
                rate=params["rate"],
                city_planning_rate=params["city_planning_rate"],
                noki=params["noki"],
            )
        except InputError as error:
            reason = "計算できません: " + "; ".join(f"{p.path}: {p.reason}" for p in error.problems)
            flagged.append(
                {"owners": members, "assets": labels, "reason": reason, "assessed": False}
            )
            continue
        notes = list(outcome.notes)
        for n in members:
            if n in died:
                notes.append(SUCCESSION.format(atena_no=n, died_on=died[n]))
                flagged.append(
                    {"owners": members, "assets": labels, "reason": notes[-1], "assessed": True}
                )
        first = book.ownership[ids[0]].holders[0].atena_no  # the 代表者 of the first 物件
        revision, notice_no = prior.get(key, (0, 0))
        if not notice_no:
            last_no += 1
            notice_no = last_no
        result = outcome.result
        rows.append(
            Kazei(
                tenant_id=tenant,
                fiscal_year=year,
                notice_no=notice_no,
                owner_key=key,
                atena_no=first,
                owners=[
                    {"atena_no": n, "representative": n == first} for n in _ordered(first, members)
                ],
                revision=revision + 1,
                run=run,
                land_tax_base=result["tax_base"]["land"],
                house_tax_base=result["tax_base"]["houses"],
                tax=result["tax"],
                city_planning_tax=result["city_planning_tax"],
                total=result["total"],
                installments=[i.as_json() for i in outcome.installments],
                assets=outcome.assets,
                unconfirmed=result.get("unconfirmed", []),
                calc_input=outcome.calc_input,
                result=result,
                notes=notes,
            )
        )
    Kazei.objects.bulk_create(rows)
    publish_assessed(rows)
    if rows:
        record(
            AuditAction.CHANGE,
            object_type="zei_kotei.kazei",
            object_id=run.pk,
            detail={
                "fiscal_year": year,
                "atena_nos": sorted({n for r in rows for n in atena_nos_of(r.owner_key)}),
            },
        )
    return flagged


def _ordered(first: int, members: list[int]) -> list[int]:
    return [first, *(n for n in members if n != first)]
