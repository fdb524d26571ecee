"""``kyodo seed --tenant CODE --residents N``: deterministic synthetic residents."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import CommandParser

from kyodo.platform.errors import ValidationFailed
from kyodo.platform.management.commands._base import KyodoCommand
from kyodo.units.juki.seed import seed_residents


def _positive(text: str, option: str) -> int:
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise ValidationFailed(f"1以上の整数を指定してください (got {text!r})", source=option)
    return int(text)


class Command(KyodoCommand):
    help = "Create realistic, deterministic synthetic residents and households."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", required=True, help="団体コード")
        parser.add_argument("--residents", required=True, help="number of residents")
        parser.add_argument("--seed", default="0", help="random seed (same seed, same people)")
        parser.add_argument("--as-of", help="reference date for ages, YYYY-MM-DD (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        residents = _positive(options["residents"], "--residents")
        seed = int(options["seed"]) if options["seed"].isdigit() else None
        if seed is None:
            raise ValidationFailed(
                f"整数を指定してください (got {options['seed']!r})", source="--seed"
            )
        as_of = None
        if options.get("as_of"):
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise ValidationFailed("日付は YYYY-MM-DD です", source="--as-of") from exc
        started = time.perf_counter()
        result = seed_residents(
            tenant_code=options["tenant"],
            residents=residents,
            seed=seed,
            as_of=as_of,
            progress=lambda message: self.stderr.write(f"[seed {options['tenant']}] {message}"),
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"seeded {result.residents:,} residents in {result.households:,} households "
            f"for {result.tenant} in {elapsed:.1f} s"
        )
