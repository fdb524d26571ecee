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
            raise CommandError(exc.message) from exc
