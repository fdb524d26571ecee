"""協議会 (consortium) and 団体 (municipality = tenant)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from kyodo.platform.errors import ValidationFailed
from kyodo.platform.tenancy.codes import validate_lg_code


def _validate_code(value: str) -> None:
    try:
        validate_lg_code(value)
    except ValidationFailed as exc:
        raise ValidationError(exc.reason) from exc


class Consortium(models.Model):
    """協議会: the municipalities that share one Kyodo deployment."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "協議会"

    def __str__(self) -> str:
        return self.name


class Tenant(models.Model):
    """A municipality, keyed by its 全国地方公共団体コード (6 digits, check digit validated).

    The code is the tenant key carried by every tenant-owned row (``tenant_id``): it is stable
    across deployments, so exports, imports and a future distribution by tenant need no mapping.
    """

    code = models.CharField(max_length=6, primary_key=True, validators=[_validate_code])
    name = models.CharField(max_length=50)
    prefecture = models.CharField(max_length=10)
    population = models.PositiveIntegerField()
    mayor = models.CharField(
        "首長（証明書の名義）",
        max_length=60,
        blank=True,
        help_text="例: 射水市長　夏野　元志（空欄なら「射水市長」）",
    )
    consortium = models.ForeignKey(
        Consortium, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "団体"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"
