"""職員アカウント (staff accounts) and the per-unit operations roles grant."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from kyodo.platform.accounts.units import OPERATIONS, business_unit_permissions


class Account(AbstractUser):
    """A member of staff of one municipality, or a consortium operator (協議会運用者).

    Operators manage tenants and accounts; they belong to no municipality, so no tenant scope
    is ever opened for them and row-level security shows them no resident data.
    """

    tenant = models.ForeignKey(
        "platform.Tenant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    consortium = models.ForeignKey(
        "platform.Consortium", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_operator = models.BooleanField("協議会運用者", default=False)
    display_name = models.CharField("表示名", max_length=100, blank=True)
    failed_login_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "職員アカウント"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(is_operator=True, tenant__isnull=True)
                    | models.Q(is_operator=False, tenant__isnull=False)
                    | models.Q(is_superuser=True)
                ),
                name="account_operator_xor_tenant",
            )
        ]

    def __str__(self) -> str:
        return self.display_name or self.username


class BusinessUnitAccess(models.Model):
    """Holds the per-unit permissions (no table): ``platform.<unit>_<operation>``.

    Operations: 参照 view, 更新 change, 発行 issue, 管理 manage. Roles are groups of these.
    """

    class Meta:
        managed = False
        default_permissions = ()
        permissions = business_unit_permissions()  # type: ignore[assignment]  # list is fine
        verbose_name = "業務権限"

    def __str__(self) -> str:
        return "業務権限"


__all__ = ["OPERATIONS", "Account", "BusinessUnitAccess"]
