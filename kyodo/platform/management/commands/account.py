"""``kyodo account create``: staff accounts and consortium operators."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import CommandParser

from kyodo.platform.accounts.services import account_create
from kyodo.platform.errors import ValidationFailed
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.platform.models import Consortium, Tenant


class Command(KyodoCommand):
    help = "Create a staff account of a municipality, or a consortium operator."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create")
        create.add_argument("--username", required=True)
        create.add_argument("--tenant", help="団体コード (staff)")
        create.add_argument("--operator", action="store_true", help="協議会運用者 (no tenant)")
        create.add_argument("--consortium", help="協議会 slug, for an operator")
        create.add_argument("--roles", default="", help="comma-separated, e.g. juki.change")
        create.add_argument("--display-name", default="")
        create.add_argument(
            "--password-env",
            default="KYODO_NEW_PASSWORD",
            help="environment variable holding the password (else prompt)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = None
        if options.get("tenant"):
            tenant = Tenant.objects.filter(code=options["tenant"]).first()
            if tenant is None:
                raise ValidationFailed(
                    f"団体 {options['tenant']} は登録されていません",
                    field="tenant",
                    source="--tenant",
                )
        consortium = None
        if options.get("consortium"):
            consortium = Consortium.objects.filter(slug=options["consortium"]).first()
            if consortium is None:
                raise ValidationFailed(
                    f"協議会 {options['consortium']} はありません",
                    field="consortium",
                    source="--consortium",
                )
        password = os.environ.get(options["password_env"]) or getpass.getpass("パスワード: ")
        roles = [r.strip() for r in options["roles"].split(",") if r.strip()]
        account = account_create(
            username=options["username"],
            password=password,
            tenant=tenant,
            roles=roles,
            display_name=options["display_name"],
            is_operator=options["operator"],
            consortium=consortium,
        )
        self.stdout.write(f"created account {account.username}")
