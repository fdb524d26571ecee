"""The vectorised 当初課税 chunk: the same assessments as the scalar path, for many taxpayers
at once (issue 5: 1,000,000 taxpayers end to end in under 120 s).

The same 課税資料 → input (``build_input``) and the same collection plan (``plan_collection``);
only the tax itself comes from :func:`kyodo.rules.juminzei.vector.calculate_columns`, which
equals the scalar calculator to the yen (its tests compare them row by row). Rows are written
with COPY (``platform.bulk``) and announced with ``publish_query``. The vectorised result keeps
the amounts and the main figures but not the trail: ``kyodo zei_kojin show`` recomputes the
steps and the unconfirmed figures from the stored input with the scalar calculator. A row the
vector path leaves to the scalar calculator (amounts near the integer limit) is computed by it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any, NamedTuple

import numpy as np
import orjson
from django.db.models import TextField
from django.db.models.functions import Cast

from kyodo.linkage.outbox import publish_query
from kyodo.platform.audit import record
from kyodo.platform.bulk import copy_insert, copy_lines, document, escaped, uses_copy
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.tenancy.context import require_tenant_code
from kyodo.rules import juminzei
from kyodo.rules.juminzei.household import Municipality
from kyodo.rules.juminzei.vector import DISABILITY_CODES, Columns, calculate_columns
from kyodo.units.zei_kojin.assessment import build_input, plan_collection
from kyodo.units.zei_kojin.events import ASSESSED, assessed_payload
from kyodo.units.zei_kojin.models import Kazei, KazeiRun, KazeiShiryo

LIFE = ("old_general", "old_pension", "new_general", "new_pension", "care_medical")
RECOMPUTE = "steps are recomputed on demand (kyodo zei_kojin show)"


class Material(NamedTuple):
    """The fields of a KazeiShiryo the assessment reads, without building model instances."""

    pk: int
    kind: str
    data: dict[str, Any]
    payer_no: str
    futsu_reason: str


def _municipality(raw: dict[str, Any]) -> Municipality:
    return Municipality(
        designated_city=bool(raw["designated_city"]),
        kyuchi=int(raw["kyuchi"]),
        city_rate=Decimal(str(raw["city_rate"])),
        pref_rate=Decimal(str(raw["pref_rate"])),
        city_kintouwari=int(raw["city_kintouwari"]),
        pref_kintouwari=int(raw["pref_kintouwari"]),
    )


def _columns(inputs: list[dict[str, Any]]) -> Columns:
    width = max((len(i["dependents"]) for i in inputs), default=0)
    c = Columns.zeros(len(inputs), width)
    for n, data in enumerate(inputs):
        tp = data["taxpayer"]
        c.age[n] = tp["age"]
        c.salary_income[n] = tp["salary_income"]
        c.pension_income[n] = tp["pension_income"]
        c.other_income[n] = tp.get("other_income", 0)
        c.social_insurance[n] = tp.get("social_insurance", 0)
        c.small_business_mutual_aid[n] = tp.get("small_business_mutual_aid", 0)
        life = tp.get("life_insurance", {})
        c.life_old_general[n] = life.get("old_general", 0)
        c.life_old_pension[n] = life.get("old_pension", 0)
        c.life_new_general[n] = life.get("new_general", 0)
        c.life_new_pension[n] = life.get("new_pension", 0)
        c.life_care_medical[n] = life.get("care_medical", 0)
        c.disability[n] = DISABILITY_CODES.get(tp.get("disability"), 0)
        c.widow[n] = bool(tp.get("widow"))
        c.single_parent[n] = bool(tp.get("single_parent"))
        c.working_student[n] = bool(tp.get("working_student"))
        c.public_assistance[n] = bool(tp.get("public_assistance"))
        c.male[n] = tp.get("sex") == "M"
        spouse = data["spouse"]
        if spouse:
            c.spouse_present[n] = True
            c.spouse_age[n] = spouse["age"]
            c.spouse_income[n] = spouse["income"]
            c.spouse_disability[n] = DISABILITY_CODES.get(spouse.get("disability"), 0)
        for k, d in enumerate(data["dependents"]):
            c.dependent_present[n, k] = True
            c.dependent_age[n, k] = d["age"]
            c.dependent_income[n, k] = d["income"]
            c.dependent_disability[n, k] = DISABILITY_CODES.get(d.get("disability"), 0)
            c.dependent_cohabiting_parent[n, k] = bool(d.get("cohabiting_parent"))
    return c


def _scalar_amounts(data: dict[str, Any]) -> dict[str, int]:
    result = juminzei.calculate(data)
    steps = {s["id"]: int(s["value"]) for s in result["steps"]}
    return {
        "city_shotokuwari": result["city"]["shotokuwari"],
        "city_kintouwari": result["city"]["kintouwari"],
        "pref_shotokuwari": result["pref"]["shotokuwari"],
        "pref_kintouwari": result["pref"]["kintouwari"],
        "forest_env_tax": result["forest_env_tax"],
        "total": result["total"],
        "so_shotoku": steps.get("so_shotoku", 0),
        "kojo": steps.get("kojo.gokei", 0),
        "kazei_shotoku": steps.get("kazei_shotoku", 0),
        "nenkin_shotoku": steps.get("nenkin_zatsu_shotoku", 0),
    }


# What each assessment row sends; the rest is the same for the whole chunk (``constants``).
COLUMNS = (
    "atena_no", "revision", "city_shotokuwari", "city_kintouwari", "pref_shotokuwari",
    "pref_kintouwari", "forest_env_tax", "total", "tokucho_payer_no", "choshu",
    "installments", "calc_input", "result",
)  # fmt: skip


def _write(rows: list[tuple[Any, ...]], constants: dict[str, Any]) -> None:
    """The chunk's assessments (``COLUMNS``) with COPY, each line formatted at once: the
    generic per-column formatting of ``copy_insert`` is a tenth of a batch's time."""
    if not uses_copy():  # SQLite (the demo)
        copy_insert(Kazei, [dict(zip(COLUMNS, row, strict=True)) | constants for row in rows])
        return
    copy_lines(
        Kazei,
        COLUMNS,
        (
            f"{n}\t{rev}\t{cs}\t{ck}\t{ps}\t{pk}\t{fe}\t{total}\t{escaped(payer)}\t"
            f"{document(choshu)}\t{document(inst)}\t{document(data)}\t{document(result)}\n"
            for n, rev, cs, ck, ps, pk, fe, total, payer, choshu, inst, data, result in rows
        ),
        constants=constants,
    )


def assess_chunk(
    run: KazeiRun,
    atena_nos: list[int],
    *,
    births: dict[int, dt.date],
    previous: dict[int, int],
    revisions: dict[int, int],
    municipality: dict[str, Any],
    noki: list[str],
) -> None:
    """Assess ``atena_nos`` (all resident on the 賦課期日) in one vector call."""
    year = run.fiscal_year
    materials: dict[int, list[Material]] = defaultdict(list)
    rows = (
        # A range, not IN (a chunk is a run of consecutive 宛名番号): an index range scan.
        KazeiShiryo.objects.filter(
            fiscal_year=year, atena_no__gte=atena_nos[0], atena_no__lte=atena_nos[-1]
        )
        .order_by("id")
        # The document as text, parsed with orjson: several times the standard library's json.
        .annotate(text=Cast("data", TextField()))
        .values_list("atena_no", "id", "kind", "text", "payer_no", "futsu_reason")
    )
    wanted = set(atena_nos)
    for atena_no, pk, kind, text, payer_no, futsu_reason in rows:
        if atena_no in wanted:
            data = orjson.loads(text)
            materials[atena_no].append(Material(pk, kind, data, payer_no, futsu_reason))
    inputs = [
        build_input(
            fiscal_year=year,
            birth_date=births[n],
            materials=materials[n],  # type: ignore[arg-type]  # the fields it reads
            municipality=municipality,
        )
        for n in atena_nos
    ]
    v = calculate_columns(_columns(inputs), _municipality(municipality), year)
    names = (
        "city_shotokuwari", "city_kintouwari", "pref_shotokuwari", "pref_kintouwari",
        "forest_env_tax", "total",
    )  # fmt: skip
    amounts = {name: getattr(v, name).tolist() for name in names}
    amounts["so_shotoku"] = v.gokei_shotoku.tolist()
    amounts["kojo"] = v.shotoku_kojo.tolist()
    amounts["kazei_shotoku"] = v.kazei_shotoku.tolist()
    amounts["nenkin_shotoku"] = v.nenkin_shotoku.tolist()
    scalar_rows = set(np.flatnonzero(v.scalar).tolist())
    rows = []
    for i, atena_no in enumerate(atena_nos):
        a = (
            _scalar_amounts(inputs[i])
            if i in scalar_rows
            else {name: values[i] for name, values in amounts.items()}
        )
        plan = plan_collection(
            fiscal_year=year,
            birth_date=births[atena_no],
            materials=materials[atena_no],  # type: ignore[arg-type]
            pension_income=inputs[i]["taxpayer"]["pension_income"],
            total=a["total"],
            shotokuwari=a["city_shotokuwari"] + a["pref_shotokuwari"],
            so_shotoku=a["so_shotoku"],
            nenkin_shotoku=a["nenkin_shotoku"],
            futsu_noki=noki,
            previous_nenkin=previous.get(atena_no),
        )
        rows.append(
            (
                atena_no,
                revisions.get(atena_no, 0) + 1,
                *[a[name] for name in names],
                plan.tokucho_payer_no,
                plan.choshu,
                # Installment objects: orjson writes them as as_json() would, without a dict
                # per 期 (platform.bulk accepts what orjson encodes).
                plan.installments,
                inputs[i],
                # The amounts are the row's columns; the trail is recomputed on demand.
                {
                    "vectorised": True,
                    "trail": RECOMPUTE,
                    "figures": {k: a[k] for k in ("so_shotoku", "kojo", "kazei_shotoku")},
                    "notes": plan.notes,
                },
            )
        )
    _write(
        rows,
        {
            "tenant_id": require_tenant_code(),
            "fiscal_year": year,
            "run_id": run.pk,
            "unconfirmed": [],
            "created_at": dt.datetime.now(dt.UTC),  # one time for the chunk (one transaction)
        },
    )
    # The hub events are built by PostgreSQL from the rows just written (not encoded twice).
    publish_query(
        ASSESSED,
        Kazei.objects.filter(
            run=run, fiscal_year=year, atena_no__gte=atena_nos[0], atena_no__lte=atena_nos[-1]
        )
        .order_by("atena_no")
        .annotate(payload=assessed_payload()),
    )
    record(
        AuditAction.CHANGE,
        object_type="zei_kojin.kazei",
        object_id=run.pk,
        detail={"fiscal_year": year, "atena_nos": atena_nos, "vectorised": True},
    )
