"""Shared shape of Kyodo's CLI commands: domain errors become a clear message and exit 1."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kyodo.platform.errors import KyodoError


class KyodoCommand(BaseCommand):
    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except KyodoError as exc:
            refused = getattr(exc, "audit", None)
            if refused:
                # The command's transaction rolled back with the refusal: log it again here.
                from kyodo.platform.audit import record
                from kyodo.platform.models.audit import AuditAction
                from kyodo.platform.tenancy.context import Actor

                record(
                    AuditAction.DENIED,
                    actor=Actor(username="cli"),
                    tenant_code=options.get("tenant"),
                    **refused,
                )
            raise CommandError(exc.message) from exc
