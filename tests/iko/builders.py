"""A municipality with data in every unit, for the standard-layout tests: residents (names
with IVS and characters outside the BMP, 個人番号), a 転出 and a 死亡 in the history, an
ordinance parameter, a block (支援措置), 国保 資格, 課税資料 and the 当初課税, and what the hub
delivered to 国保 and 収納 (所得, 調定)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from kyodo.linkage.dispatch import dispatch_once
from kyodo.platform.parameters import parameter_set
from kyodo.platform.tenancy.context import tenant_scope
from kyodo.units.juki.services.tenshutsu import tenshutsu_yotei
from kyodo.units.kokuho.koki import is_koki
from kyodo.units.kokuho.services import shikaku_acquire
from kyodo.units.zei_kojin.models import KazeiShiryo
from kyodo.units.zei_kojin.toshokazei import toshokazei
from tests.juki.helpers import member, move_in, my_number

IVS_KATSURAGI = "葛\U000e0100城"  # 葛 with the variation selector of its 葛城 glyph
KICHI = "\U00020bb7田"  # 𠮷 (つちよし), outside the BMP


@dataclass(frozen=True)
class Resident:
    family: str
    given: str
    birth: dt.date


def build(code: str, residents: list[Resident] | None = None) -> None:
    """Fill the municipality ``code`` (committed: each step its own transaction)."""
    people = residents or [
        Resident(IVS_KATSURAGI, "太郎", dt.date(1960, 5, 1)),
        Resident(KICHI, "花子", dt.date(1990, 2, 28)),
        Resident("髙橋", "一郎", dt.date(2015, 12, 31)),
    ]
    with tenant_scope(code):
        parameter_set(
            key="zei_kojin.city_kintouwari",
            value=3500,
            effective_from=dt.date(2026, 4, 1),
            source="試験市市税条例 第33条",
        )
        outcome = move_in(
            [
                member(
                    p.family,
                    p.given,
                    birth=p.birth,
                    relationship="世帯主" if n == 0 else "子",
                    my_number=my_number(f"{12345678900 + n:011d}"),
                )
                for n, p in enumerate(people)
            ],
            moved_on=dt.date(2025, 6, 1),
        )
        records = outcome.records
        household_no = records[0].household_no
        joined = dt.date(2025, 6, 1)
        for r, p in zip(records, people, strict=True):
            if not is_koki(p.birth, joined):  # 75 or over: 後期高齢者医療, not 国保
                shikaku_acquire(
                    atena_no=r.atena_no, household_no=household_no, on=joined, reason="tennyu"
                )
        for n, r in enumerate(records):
            KazeiShiryo.objects.create(
                fiscal_year=2026, atena_no=r.atena_no, kind="kyuyo", payer_no="1001",
                payer_name="株式会社 試験", source="test", line=n + 2,
                received_by="test", futsu_reason="" if n == 0 else "退職",
                data={"name": "", "birth_date": people[n].birth.isoformat(),
                      "salary_income": 3_000_000 + 500_000 * n, "social_insurance": 450_000,
                      "dependents": []},
            )  # fmt: skip
    with tenant_scope(code):
        toshokazei(2026, chunk=2)
    if len(records) > 1:
        today = timezone.localdate()
        with tenant_scope(code):
            tenshutsu_yotei(
                atena_nos=[records[-1].atena_no],
                moved_on=today + dt.timedelta(days=10),
                notified_on=today,
                destination="東京都千代田区丸の内1-1",
            )
    dispatch_once()  # 国保 receives the 所得, 収納 the 調定
