"""国民健康保険税の賦課: the annual assessment of a 世帯 and its 月割 when members join or
leave during the year.

* 賦課期日 1 April (地方税法 第703条の4第1項・第10項の準用); a 資格 gained or lost during the
  year is assessed by month (第703条の4第8項・第9項 [memory]: from the month of 取得 to the
  month before the month of 喪失). A member counts for month M when their 資格 began on or
  before M's last day and had not been lost by M's end (a loss on the 1st of M+1 still counts
  M).
* Ages reached during the year are counted by month too: 介護分 from the month one reaches 40
  until the month before one reaches 65 (``kaigo_in``), and a 75th birthday ahead ends the
  member's months in advance (後期高齢者医療 from that day; the 75歳 batch ends the 資格 then).
* Each month's tax is 1/12 of the annual tax the calculator gives for that month's members
  (incomes, ages on 1 April, the 世帯主 — an 擬制世帯主 when not insured); each component's
  12 months are summed and truncated to 100 yen. The 法定軽減 is judged per composition with the
  same incomes (an approximation: the statute judges on 1 April, or on the day a new 世帯 joins).
* Incomes come from 個人住民税 (Shotoku, from the hub); a member with none is 未申告 and the
  household gets no 軽減.
* Installments over the municipality's 納期 (tenant parameter ``kokuho.noki``), the remainder
  in the first.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max

from kyodo.atena.models import Person
from kyodo.linkage.outbox import publish
from kyodo.platform.audit import record
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.models.audit import AuditAction
from kyodo.platform.parameters import fiscal_year_start, parameters_as_of
from kyodo.platform.tenancy.context import require_tenant_code, tenant_scope
from kyodo.rules import kokuho as kokuho_calc
from kyodo.rules import lawdata
from kyodo.rules.age import age_on
from kyodo.rules.choshu import futsu_installments
from kyodo.units.kokuho.events import ASSESSED
from kyodo.units.kokuho.koki import seventy_fifth_birthday
from kyodo.units.kokuho.models import Fuka, Shikaku, Shotoku

MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)
HEAD = "世帯主"
NO_RATES = "国保税の税率（kokuho.rates）が {day} 時点で設定されていません（kyodo params set）"


def _month_span(fiscal_year: int, month: int) -> tuple[dt.date, dt.date]:
    year = fiscal_year if month >= 4 else fiscal_year + 1
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def insured_in(
    rows: list[Shikaku],
    fiscal_year: int,
    month: int,
    births: dict[int, dt.date] | None = None,
) -> list[int]:
    """The 宛名番号 of those insured for ``month`` (月割: 取得月 counts, 喪失月 does not). With
    ``births``, a 75th birthday still ahead when the 賦課 runs ends the 資格 in advance (the
    daily 75歳 batch will end it on that day: 高確法 第52条), so its month is not assessed."""
    _start, end = _month_span(fiscal_year, month)
    return sorted(
        {
            r.atena_no
            for r in rows
            if r.status in ("active", "ended")
            and r.acquired_on <= end
            and (r.lost_on is None or r.lost_on > end)
            and (births is None or seventy_fifth_birthday(births[r.atena_no]) > end)
        }
    )


def kaigo_in(birth: dt.date, fiscal_year: int, month: int) -> bool:
    """A 介護納付金課税被保険者 (40 to 64) for ``month``: from the month in which one reaches 40
    to the month before the one in which one reaches 65 (介護保険法 第9条第2号; 年齢到達日 is the
    day before the birthday, 年齢計算ニ関スル法律), i.e. by the age at the end of the month."""
    law = lawdata.load("kokuho", fiscal_year)
    low = int(law.figure("kaigo.age_from").value)
    below = int(law.figure("kaigo.age_below").value)
    _start, end = _month_span(fiscal_year, month)
    return low <= age_on(birth, end) < below


def _person_input(
    atena_no: int,
    fiscal_year: int,
    incomes: dict[int, Shotoku],
    births: dict[int, dt.date],
    *,
    month: int | None = None,
) -> dict[str, Any]:
    """The calculator's person; for a member (``month`` given) with 介護分 decided by month."""
    income = incomes.get(atena_no)
    person: dict[str, Any] = {
        "age": age_on(births[atena_no], fiscal_year_start(fiscal_year)),
        "income": income.so_shotoku if income else 0,
    }
    if month is not None:
        person["kaigo"] = kaigo_in(births[atena_no], fiscal_year, month)
    if income is None:
        person["declared"] = False
    else:
        person["salary_income"] = income.salary_income
        person["pension_income"] = income.pension_income
    return person


def assess_household(household_no: int, fiscal_year: int, *, reason: str) -> Fuka | None:
    """Assess (or re-assess) one 世帯 for the 年度; None when nobody in it is insured in any
    month. Stores a new revision only when the amounts changed."""
    rows = list(Shikaku.objects.filter(household_no=household_no).exclude(status="pending"))
    params = parameters_as_of(fiscal_year_start(fiscal_year), prefix="kokuho.")
    rates = params["rates"]
    if not rates:
        raise ValidationFailed(
            NO_RATES.format(day=fiscal_year_start(fiscal_year)), field="kokuho.rates"
        )
    head = Person.objects.filter(household__household_no=household_no, relationship=HEAD).first()
    everyone = {r.atena_no for r in rows} | ({head.atena_no} if head else set())
    births = dict(
        Person.objects.filter(atena_no__in=everyone).values_list("atena_no", "birth_date")
    )
    incomes = {}
    for s in Shotoku.objects.filter(fiscal_year=fiscal_year, atena_no__in=everyone).order_by(
        "revision", "id"
    ):
        incomes[s.atena_no] = s  # the latest revision wins
    cache: dict[tuple[int, ...], dict[str, Any]] = {}
    months = []
    # Σ over the months of each component's annual amount; ÷ 12 and the 100-yen truncation
    # come once, at the end, in integers (no rounding drift).
    sums = dict.fromkeys(("medical", "support", "care", "child"), 0)
    unconfirmed: set[str] = set()
    for month in MONTHS:
        members = tuple(insured_in(rows, fiscal_year, month, births))
        if not members:
            months.append({"month": month, "members": [], "total": 0})
            continue
        kaigo = tuple(n for n in members if kaigo_in(births[n], fiscal_year, month))
        if (members, kaigo) not in cache:
            household: dict[str, Any] = {
                "head_is_member": head is not None and head.atena_no in members,
                "members": [
                    _person_input(n, fiscal_year, incomes, births, month=month) for n in members
                ],
            }
            if head is not None and head.atena_no not in members:
                household["head"] = _person_input(head.atena_no, fiscal_year, incomes, births)
            cache[members, kaigo] = kokuho_calc.calculate(
                {"fiscal_year": fiscal_year, "rates": rates, "household": household}
            )
        result = cache[members, kaigo]
        unconfirmed.update(result.get("unconfirmed", []))
        for c in sums:
            sums[c] += int(result["components"].get(c, 0))
        months.append(
            {
                "month": month,
                "members": list(members),
                "reduction": result["reduction"],
                "total": result["total"],
            }
        )
    if not any(m["members"] for m in months):
        return None
    components = {c: v // 1200 * 100 for c, v in sums.items()}  # ÷ 12, 100円未満切捨て
    total = sum(components.values())
    installments = [
        i.as_json() for i in futsu_installments(total, fiscal_year=fiscal_year, noki=params["noki"])
    ]
    last = (
        Fuka.objects.filter(household_no=household_no, fiscal_year=fiscal_year)
        .order_by("-revision")
        .first()
    )
    if last is not None and last.components == components and last.months == months:
        return last
    with transaction.atomic():
        row = Fuka.objects.create(
            household_no=household_no,
            fiscal_year=fiscal_year,
            revision=(last.revision + 1) if last else 1,
            nozei_gimusha=head.atena_no if head else min(everyone),
            components=components,
            total=total,
            months=months,
            installments=installments,
            unconfirmed=sorted(unconfirmed),
            reason=reason,
        )
        record(
            AuditAction.CHANGE,
            object_type="kokuho.fuka",
            object_id=household_no,
            detail={
                "fiscal_year": fiscal_year,
                "notice_no": household_no,
                "revision": row.revision,
                "total": total,
                "reason": reason,
            },
        )
        publish(
            ASSESSED,
            atena_no=row.nozei_gimusha,
            payload={
                "atena_no": row.nozei_gimusha,
                "household_no": household_no,
                "fiscal_year": fiscal_year,
                "notice_no": household_no,
                "revision": row.revision,
                "total": total,
                "installments": installments,
            },
        )
    return row


def toshofuka(fiscal_year: int) -> list[Fuka]:
    """当初賦課: every 世帯 with an insured member in some month of the 年度."""
    code = require_tenant_code()  # a transaction per chunk under a tenant_session
    start, end = fiscal_year_start(fiscal_year), dt.date(fiscal_year + 1, 3, 31)
    with tenant_scope(code):
        households = list(
            Shikaku.objects.exclude(status="pending")
            .filter(acquired_on__lte=end)
            .exclude(lost_on__lt=start)
            .values_list("household_no", flat=True)
            .distinct()
            .order_by("household_no")
        )
    out = []
    for household_no in households:
        with tenant_scope(code):
            row = assess_household(household_no, fiscal_year, reason="当初賦課")
        if row is not None:
            out.append(row)
    return out


def reassess_if_assessed(household_no: int, on: dt.date) -> Fuka | None:
    """After a 資格 change dated ``on``: re-assess the 年度 it falls in, if that 年度 was
    already assessed for the 世帯 (月割)."""
    fiscal_year = on.year if on.month >= 4 else on.year - 1
    if not Fuka.objects.filter(household_no=household_no, fiscal_year=fiscal_year).exists():
        return None
    return assess_household(household_no, fiscal_year, reason=f"資格の異動（{on}）")


def latest(household_no: int, fiscal_year: int) -> Fuka | None:
    top = Fuka.objects.filter(household_no=household_no, fiscal_year=fiscal_year).aggregate(
        m=Max("revision")
    )["m"]
    if top is None:
        return None
    return Fuka.objects.get(household_no=household_no, fiscal_year=fiscal_year, revision=top)
