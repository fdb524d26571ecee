"""``kyodo demo``: load the demo consortium (idempotent) and print its logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser
from django.db import transaction

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
