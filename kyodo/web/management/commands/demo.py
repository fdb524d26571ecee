"""``kyodo demo``: load the demo consortium (idempotent) and print its logins."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.management.base import CommandParser
from django.db import transaction

from kyodo.kyogikai.models import BillingPeriod, Formula, Member, MemberUnit
from kyodo.platform.accounts.services import account_create
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.platform.models import Account, Consortium, Tenant
from kyodo.platform.tenancy.services import tenant_create
from kyodo.units.juki.seed import seed_residents

DEMO_PASSWORD = "kyodo-demo-2026"  # noqa: S105  (published demo credentials, demo data only)
CONSORTIUM = ("toyama-demo", "富山県自治体クラウド協議会（デモ）")
# (code, name, population, residents to seed, login prefix)
MUNICIPALITIES = [
    ("162116", "射水市", 90_742, 3_000, "imizu"),
    ("162086", "滑川市", 32_755, 1_500, "namerikawa"),
    ("163210", "舟橋村", 3_131, 500, "funahashi"),
]
# 現行経費 (a year, yen) for the cost split's 3割 guarantee, and the units each runs (別表).
CURRENT_COSTS = {"162116": 184_000_000, "162086": 80_000_000, "163210": 22_000_000}
DEMO_UNITS = ["juki", "zei_kojin", "zei_kotei", "zei_kei", "shuno", "kokuho"]
CLERK_ROLES = ["atena.view", "juki.change", "juki.issue"]
ADMIN_ROLES = ["system.manage", "atena.manage"]


class Command(KyodoCommand):
    help = "Load the demo consortium of three municipalities with synthetic residents."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=float, default=1.0, help="multiply the number of seeded residents"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            consortium, _ = Consortium.objects.get_or_create(
                slug=CONSORTIUM[0], defaults={"name": CONSORTIUM[1]}
            )
            for code, name, population, residents, login in MUNICIPALITIES:
                if Tenant.objects.filter(code=code).exists():
                    continue
                tenant = tenant_create(
                    code=code, name=name, population=population, consortium=consortium
                )
                seed_residents(
                    tenant_code=code,
                    residents=max(1, int(residents * options["scale"])),
                    seed=int(code),
                )
                account_create(
                    username=f"{login}.clerk",
                    password=DEMO_PASSWORD,
                    tenant=tenant,
                    roles=CLERK_ROLES,
                    display_name=f"{name} 窓口担当",
                )
                account_create(
                    username=f"{login}.admin",
                    password=DEMO_PASSWORD,
                    tenant=tenant,
                    roles=ADMIN_ROLES,
                    display_name=f"{name} システム管理者",
                )
            _agreement(consortium)
            if not Account.objects.filter(username="operator").exists():
                account_create(
                    username="operator",
                    password=DEMO_PASSWORD,
                    tenant=None,
                    is_operator=True,
                    consortium=consortium,
                    display_name="協議会事務局 運用者",
                )
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for _code, name, _pop, _res, login in MUNICIPALITIES:
            self.stdout.write(f"  {login}.clerk / {login}.admin   — {name}")
        self.stdout.write("  operator                         — 協議会運用者 (no resident data)")


def _agreement(consortium: Consortium) -> None:
    """The members, their units, a 3:7 formula with the 3割 guarantee and this year's period."""
    for code, name, population, _residents, _login in MUNICIPALITIES:
        member, created = Member.objects.get_or_create(
            tenant_code=code,
            left_on=None,
            defaults={
                "consortium": consortium,
                "name": name,
                "population": population,
                "current_cost": CURRENT_COSTS[code],
                "joined_on": dt.date(2026, 4, 1),
            },
        )
        if created:
            MemberUnit.objects.bulk_create(
                MemberUnit(member=member, unit=unit, start_fy=2026) for unit in DEMO_UNITS
            )
    formula, _ = Formula.objects.get_or_create(
        consortium=consortium,
        name="均等割3：人口割7（最低3割削減）",
        defaults={
            "equal_ratio": Decimal("0.3"),
            "population_ratio": Decimal("0.7"),
            "min_saving": Decimal("0.3"),
        },
    )
    Formula.objects.get_or_create(
        consortium=consortium,
        name="均等割5：人口割5",
        defaults={"equal_ratio": Decimal("0.5"), "population_ratio": Decimal("0.5")},
    )
    BillingPeriod.objects.get_or_create(
        consortium=consortium,
        label="令和8年度",
        defaults={
            "start": dt.date(2026, 4, 1),
            "end": dt.date(2027, 3, 31),
            "total": 190_000_000,
            "formula": formula,
        },
    )
