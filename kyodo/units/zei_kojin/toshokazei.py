"""当初課税: the annual assessment batch of one 年度 for one municipality.

Everyone with 課税資料 for the 年度 is assessed, in 宛名番号 order, a chunk per transaction;
each assessment is stored with its full trail and announced on the hub (zei_kojin.assessed,
for the 調定 of collection). The run records how far it got, so a run that was stopped —
killed, or failed on one chunk — resumes after the last committed chunk (``resume``) and never
assesses anyone twice. Progress is reported after each chunk.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import connection, connections
from django.db.models import Max
from django.utils import timezone

from kyodo.atena.models import Person
from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.parameters import fiscal_year_start, parameters_as_of
from kyodo.platform.tenancy.context import (
    Actor,
    current_scope,
    require_tenant_code,
    tenant_scope,
)
from kyodo.units.zei_kojin import fast
from kyodo.units.zei_kojin.assessment import assess
from kyodo.units.zei_kojin.events import publish_assessed
from kyodo.units.zei_kojin.handlers import not_resident_on
from kyodo.units.zei_kojin.models import Choshu, Kazei, KazeiRun, KazeiShiryo
from kyodo.units.zei_kojin.parameters import PREFIX, municipality_for

CHUNK = 500
ALREADY_DONE = "{year}年度の当初課税は実施済みです（{finished}）。更正で直してください"
PARALLEL_NEEDS_SESSION = (
    "並列実行（workers > 1）は PostgreSQL で、トランザクションの外（tenant_session）でのみ使えます"
)
RUNNING = (
    "{year}年度の当初課税は途中で止まっています（{done}/{total}人）。--resume で再開してください"
)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.done / self.total if self.total else 100.0


def _candidates(fiscal_year: int) -> list[int]:
    return list(
        KazeiShiryo.objects.filter(fiscal_year=fiscal_year)
        .values_list("atena_no", flat=True)
        .distinct()
        .order_by("atena_no")
    )


def _remaining(run: KazeiRun, candidates: list[int]) -> list[int]:
    """Who of ``candidates`` is still to be assessed in ``run``: chunks commit on their own
    (and, with several workers, out of order), so it is everyone with 課税資料 not yet
    assessed or excluded."""
    if run.done == 0:
        return candidates  # a new run (a million rows: not worth asking which are done)
    done = set(Kazei.objects.filter(run=run).values_list("atena_no", flat=True))
    done.update(e["atena_no"] for e in run.excluded)
    return [n for n in candidates if n not in done]


def start_or_resume(fiscal_year: int, *, resume: bool, candidates: list[int]) -> KazeiRun:
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
            total=len(candidates),
            started_by=scope.actor.username if scope else "system",
        )
    return run


@dataclass(frozen=True)
class _Job:
    """What a chunk needs, picklable for a worker process."""

    tenant_code: str
    actor: Actor
    purpose: str
    run_pk: int
    fiscal_year: int
    municipality: dict[str, object]
    noki: list[str]
    vectorised: bool


def toshokazei(
    fiscal_year: int,
    *,
    resume: bool = False,
    chunk: int = CHUNK,
    vectorised: bool = True,
    workers: int = 1,
    progress: Callable[[Progress], None] | None = None,
    stop_after: int | None = None,
) -> KazeiRun:
    """Run (or resume) the 当初課税 of ``fiscal_year``. Each chunk is its own transaction when
    the caller is not inside one (``tenant_session``), so a stopped run keeps what it finished.
    ``stop_after`` chunks is for tests and operators who want to run it in slices.
    ``vectorised`` (the default) computes each chunk at once and writes it with COPY; ``False``
    runs the scalar calculator per taxpayer and stores its whole trail (both give the same
    assessments). ``workers`` > 1 assesses chunks in that many processes at once (PostgreSQL,
    outside a transaction): the database writes of one overlap the computing of another."""
    code = require_tenant_code()
    if workers > 1 and (connection.in_atomic_block or connection.vendor != "postgresql"):
        raise ValidationFailed(PARALLEL_NEEDS_SESSION, field="workers")
    with tenant_scope(code):
        candidates = _candidates(fiscal_year)
        run = start_or_resume(fiscal_year, resume=resume, candidates=candidates)
        municipality = municipality_for(fiscal_year)
        noki = parameters_as_of(fiscal_year_start(fiscal_year), prefix=PREFIX)["futsu_noki"]
        remaining = _remaining(run, candidates)
    scope = current_scope()
    assert scope is not None  # require_tenant_code() above
    job = _Job(
        code, scope.actor, scope.purpose, run.pk, fiscal_year, municipality, noki, vectorised
    )
    done = run.done
    batches = [remaining[start : start + chunk] for start in range(0, len(remaining), chunk)]
    if stop_after is not None:
        batches = batches[:stop_after]
    if workers > 1:
        done_counts: Iterable[int] = _in_processes(job, batches, workers)
    else:
        done_counts = (_run_chunk(job, batch) for batch in batches)
    for count in done_counts:
        done += count
        if progress is not None:
            progress(Progress(done, run.total))
    with tenant_scope(code):
        run.refresh_from_db()
        if stop_after is not None and len(batches) < -(-len(remaining) // chunk):
            return run
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        record(
            AuditAction.CHANGE,
            object_type="zei_kojin.toshokazei",
            object_id=fiscal_year,
            detail={"run": run.pk, "processed": run.done, "excluded": run.excluded},
        )
    return run


def _run_chunk(job: _Job, batch: list[int]) -> int:
    """Assess one chunk in its own transaction and count it on the run."""
    fuka_kijitsu = dt.date(job.fiscal_year, 1, 1)  # 賦課期日 (地方税法 第318条)
    with tenant_scope(job.tenant_code, actor=job.actor, purpose=job.purpose):
        run = KazeiRun.objects.get(pk=job.run_pk)
        away = not_resident_on(fuka_kijitsu, batch)
        taxed = [n for n in batch if n not in away]
        if taxed and job.vectorised:
            fast.assess_chunk(
                run, taxed, municipality=job.municipality, noki=job.noki, **_context(run, taxed)
            )
        elif taxed:
            _assess_chunk(run, taxed, municipality=job.municipality, noki=job.noki)
        # Locked only now, at the end: parallel chunks wait for each other a moment, not
        # for a whole chunk. FOR NO KEY UPDATE (only counts change): a plain FOR UPDATE
        # would also wait for the other worker's commit, whose foreign-key checks hold
        # FOR KEY SHARE on this row for every assessment it wrote.
        run = KazeiRun.objects.select_for_update(no_key=True).get(pk=job.run_pk)
        run.excluded = [*run.excluded, *({"atena_no": n, "reason": r} for n, r in away.items())]
        run.done += len(batch)
        run.last_atena_no = max(run.last_atena_no, batch[-1])
        run.save(update_fields=["done", "last_atena_no", "excluded"])
    return len(batch)


def _in_processes(job: _Job, batches: list[list[int]], workers: int) -> Iterator[int]:
    """Chunks in ``workers`` forked processes, each with its own database connection."""
    connections.close_all()  # a forked child must never use its parent's connection
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        yield from pool.imap_unordered(partial(_run_chunk, job), batches)


def _context(run: KazeiRun, atena_nos: list[int]) -> dict[str, Any]:
    """What assessing ``atena_nos`` reads besides their 課税資料."""
    year = run.fiscal_year
    # Ranges, not IN lists: a chunk is a run of consecutive 宛名番号 (index range scans).
    span = {"atena_no__gte": atena_nos[0], "atena_no__lte": atena_nos[-1]}
    wanted = set(atena_nos)
    births = Person.objects.filter(**span).values_list("atena_no", "birth_date")
    revisions = (
        Kazei.objects.filter(fiscal_year=year, **span)
        .values("atena_no")
        .annotate(last=Max("revision"))
        .values_list("atena_no", "last")
    )
    return {
        "births": {n: b for n, b in births if n in wanted},
        "previous": _previous_nenkin(year, atena_nos),
        "revisions": {n: r for n, r in revisions if n in wanted},
    }


def _assess_chunk(
    run: KazeiRun, atena_nos: list[int], *, municipality: dict[str, object], noki: list[str]
) -> None:
    year = run.fiscal_year
    materials: dict[int, list[KazeiShiryo]] = defaultdict(list)
    for row in KazeiShiryo.objects.filter(fiscal_year=year, atena_no__in=atena_nos).order_by("id"):
        materials[row.atena_no].append(row)
    births: dict[int, dt.date] = dict(
        Person.objects.filter(atena_no__in=atena_nos).values_list("atena_no", "birth_date")
    )
    previous = _previous_nenkin(year, atena_nos)
    revisions = dict(
        Kazei.objects.filter(fiscal_year=year, atena_no__in=atena_nos)
        .values("atena_no")
        .annotate(last=Max("revision"))
        .values_list("atena_no", "last")
    )
    rows = []
    tenant = require_tenant_code()  # bulk_create does not call save(), which stamps it
    for atena_no in atena_nos:
        outcome = assess(
            fiscal_year=year,
            birth_date=births[atena_no],
            materials=materials[atena_no],
            municipality=municipality,
            futsu_noki=noki,
            previous_nenkin=previous.get(atena_no),
        )
        result = outcome.result
        rows.append(
            Kazei(
                tenant_id=tenant,
                fiscal_year=year,
                atena_no=atena_no,
                revision=revisions.get(atena_no, 0) + 1,
                run=run,
                city_shotokuwari=result["city"]["shotokuwari"],
                city_kintouwari=result["city"]["kintouwari"],
                pref_shotokuwari=result["pref"]["shotokuwari"],
                pref_kintouwari=result["pref"]["kintouwari"],
                forest_env_tax=result["forest_env_tax"],
                total=result["total"],
                tokucho_payer_no=outcome.tokucho_payer_no,
                choshu=outcome.choshu,
                installments=[i.as_json() for i in outcome.installments],
                unconfirmed=result.get("unconfirmed", []),
                calc_input=outcome.calc_input,
                result={**result, "notes": outcome.notes},
            )
        )
    Kazei.objects.bulk_create(rows)
    for row in rows:
        publish_assessed(row)
    record(
        AuditAction.CHANGE,
        object_type="zei_kojin.kazei",
        object_id=run.pk,
        detail={"fiscal_year": year, "atena_nos": atena_nos},
    )


def _previous_nenkin(fiscal_year: int, atena_nos: list[int]) -> dict[int, int]:
    """Last 年度's 年金特別徴収 amount per person (its latest revision), for 仮徴収."""
    out: dict[int, int] = {}
    rows = (
        Kazei.objects.filter(
            fiscal_year=fiscal_year - 1, atena_no__gte=atena_nos[0], atena_no__lte=atena_nos[-1]
        )
        .order_by("atena_no", "revision")
        .values_list("atena_no", "choshu")
    )
    wanted = set(atena_nos)
    for atena_no, choshu in rows:
        if atena_no in wanted:
            out[atena_no] = int(choshu.get(Choshu.NENKIN_TOKUCHO, 0))
    return {k: v for k, v in out.items() if v}
