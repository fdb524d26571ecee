"""Tenant parameters (団体パラメータ): a municipality's ordinance choices, effective-dated.

Municipal differences are data, never forks: 超過課税 rates, 均等割 amounts, 国保 rates and
method, 納期, 級地, 減免 … Each row says a key takes a value from a date on, citing its source
(the 条例 article). Rows are never changed: a new rate is a new row with a later date, and a
correction a new row for the same date (the later row wins), so any past assessment can be
recomputed with the parameters that applied then.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from kyodo.platform.models.base import TenantOwned, TenantScopedManager


class TenantParameter(TenantOwned):
    key = models.CharField("パラメータ", max_length=80)  # "<unit>.<name>", declared by the unit
    value = models.JSONField("値")
    effective_from = models.DateField("適用開始日")
    source = models.CharField("根拠（条例等）", max_length=200)
    recorded_at = models.DateTimeField("登録日時", auto_now_add=True)
    recorded_by = models.CharField("登録者", max_length=150)

    append_only: ClassVar[bool] = True
    objects: ClassVar[TenantScopedManager[TenantParameter]] = TenantScopedManager()  # type: ignore[assignment]  # django-stubs types the manager by Self

    class Meta:
        verbose_name = "団体パラメータ"
        indexes = [
            models.Index(fields=["tenant", "key", "effective_from"], name="platform_param_key_idx")
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value!r} from {self.effective_from}"
