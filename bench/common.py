"""Shared by the benchmarks (import after ``django.setup()``)."""

from __future__ import annotations

import random

from kyodo.platform.models import Tenant
from kyodo.platform.tenancy.codes import check_digit


def fresh_code(rng: random.Random) -> str:
    """A valid 全国地方公共団体コード no municipality of this database uses yet."""
    while True:
        body = f"{rng.randrange(1, 48):02d}{rng.randrange(100, 1000):03d}"
        code = body + str(check_digit(body))
        if not Tenant.objects.filter(code=code).exists():
            return code
