"""``kyodo tenant create|list``: register and list municipalities (団体)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser
from django.db import transaction

from kyodo.platform.errors import ValidationFailed
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.platform.models import Consortium
from kyodo.platform.tenancy.services import tenant_create, tenant_list


def _population(text: str) -> int:
    if not text.isascii() or not text.isdigit():
        raise ValidationFailed(
            f"人口は0以上の整数です (got {text!r})", field="population", source="--population"
        )
    return int(text)


class Command(KyodoCommand):
    help = "Register (create) or list municipalities."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="register a municipality")
        create.add_argument("--code", required=True, help="全国地方公共団体コード (6 digits)")
        create.add_argument("--name", required=True, help="団体名, e.g. 射水市")
        create.add_argument("--population", required=True, help="人口")
        create.add_argument("--consortium", help="協議会 slug (created if new)")
        create.add_argument("--consortium-name", help="協議会 name, for a new consortium")
        listing = sub.add_parser("list", help="list municipalities")
        listing.add_argument("--json", action="store_true", help="print a JSON array")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            population = _population(options["population"])
            with transaction.atomic():  # a bad municipality leaves no new consortium behind
                consortium = None
                if options.get("consortium"):
                    consortium, _ = Consortium.objects.get_or_create(
                        slug=options["consortium"],
                        defaults={"name": options.get("consortium_name") or options["consortium"]},
                    )
                tenant = tenant_create(
                    code=options["code"],
                    name=options["name"],
                    population=population,
                    consortium=consortium,
                    source="kyodo tenant create",
                )
            self.stdout.write(f"created {tenant.code} {tenant.prefecture}{tenant.name}")
            return
        tenants = tenant_list()
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    [
                        {
                            "code": t.code,
                            "name": t.name,
                            "prefecture": t.prefecture,
                            "population": t.population,
                            "consortium": t.consortium.slug if t.consortium else None,
                        }
                        for t in tenants
                    ],
                    ensure_ascii=False,
                )
            )
            return
        for t in tenants:
            self.stdout.write(f"{t.code}\t{t.prefecture}\t{t.name}\t{t.population}")
