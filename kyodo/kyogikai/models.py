"""The agreement's records: members (参加団体), the units each runs (別表), cost formulas,
billing periods and invoices.

A member is kept by its 団体コード and name, not by a key to the municipality: once a member
has left and been purged, its row is all that remains of it here — with the dates, the purge
check's report and the invoices it was sent — as the agreement's history requires.
"""

from __future__ import annotations

from django.db import models

from kyodo.platform.accounts.units import BUSINESS_UNITS
from kyodo.platform.models import Consortium

UNIT_CHOICES = [(code, name) for code, name in BUSINESS_UNITS.items()]


class Member(models.Model):
    """参加団体: a municipality's membership of a consortium, from joining to its purge."""

    consortium = models.ForeignKey(Consortium, on_delete=models.PROTECT, related_name="+")
    tenant_code = models.CharField("団体コード", max_length=6)
    name = models.CharField("団体名", max_length=50)
    population = models.PositiveIntegerField("按分に用いる人口")
    current_cost = models.BigIntegerField(
        "現行経費（年額・円）", null=True, blank=True, help_text="最低削減率の保障の基準"
    )
    joined_on = models.DateField("参加日")
    left_on = models.DateField("脱退日", null=True, blank=True)
    export_path = models.CharField("脱退時の出力先", max_length=400, blank=True)
    purged_at = models.DateTimeField("消去日時", null=True, blank=True)
    purge_report = models.JSONField("消去確認の結果", default=dict, blank=True)

    class Meta:
        verbose_name = "参加団体"
        ordering = ["consortium", "tenant_code", "joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenant_code"],
                condition=models.Q(left_on__isnull=True),
                name="kyogikai_one_current_membership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.tenant_code})"

    @property
    def is_current(self) -> bool:
        return self.left_on is None


class MemberUnit(models.Model):
    """別表: a business unit the member runs, from its first to its last fiscal year."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="units")
    unit = models.CharField("業務", max_length=20, choices=UNIT_CHOICES)
    start_fy = models.PositiveSmallIntegerField("運用開始年度")
    end_fy = models.PositiveSmallIntegerField("運用終了年度", null=True, blank=True)

    class Meta:
        verbose_name = "実施業務"
        ordering = ["member", "unit", "start_fy"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_fy__isnull=True)
                | models.Q(end_fy__gte=models.F("start_fy")),
                name="kyogikai_unit_years_ordered",
            )
        ]

    def __str__(self) -> str:
        end = self.end_fy or ""
        return f"{self.member.name} {self.get_unit_display()} {self.start_fy}–{end}"

    def runs_in(self, fiscal_year: int) -> bool:
        return self.start_fy <= fiscal_year and (self.end_fy is None or fiscal_year <= self.end_fy)


class Formula(models.Model):
    """負担割合: an agreed way to split the cost (the ``kyodo alloc`` parameters)."""

    consortium = models.ForeignKey(Consortium, on_delete=models.PROTECT, related_name="+")
    name = models.CharField("名称", max_length=100)
    equal_ratio = models.DecimalField("均等割の比率", max_digits=5, decimal_places=4, default=0)
    population_ratio = models.DecimalField(
        "人口割の比率", max_digits=5, decimal_places=4, default=0
    )
    units_ratio = models.DecimalField("業務数割の比率", max_digits=5, decimal_places=4, default=0)
    unit_weights = models.JSONField("業務の重み", default=dict, blank=True)
    min_saving = models.DecimalField(
        "最低削減率", max_digits=5, decimal_places=4, null=True, blank=True
    )
    guarantee_covers_one_off = models.BooleanField("一時経費も保障の対象", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "負担割合"
        constraints = [
            models.UniqueConstraint(fields=["consortium", "name"], name="kyogikai_formula_name")
        ]

    def __str__(self) -> str:
        return self.name


class BillingPeriod(models.Model):
    """請求期間: the consortium's cost for a period, split by a formula."""

    consortium = models.ForeignKey(Consortium, on_delete=models.PROTECT, related_name="+")
    label = models.CharField("期間名", max_length=40)
    start = models.DateField("開始日")
    end = models.DateField("終了日")
    total = models.BigIntegerField("按分する経費（円）")
    one_off = models.JSONField("一時経費", default=list, blank=True)
    formula = models.ForeignKey(Formula, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField("請求確定日時", null=True, blank=True)
    issued_by = models.CharField("確定者", max_length=150, blank=True)
    result = models.JSONField("按分結果", default=dict, blank=True)

    class Meta:
        verbose_name = "請求期間"
        ordering = ["consortium", "start"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "label"], name="kyogikai_period_label"),
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="kyogikai_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Invoice(models.Model):
    """請求書: one member's allocated fee for one period, fixed when the period is issued."""

    period = models.ForeignKey(BillingPeriod, on_delete=models.PROTECT, related_name="invoices")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField("請求番号", max_length=30, unique=True)
    amount = models.BigIntegerField("請求額（円）")
    saving_rate = models.DecimalField(
        "削減率", max_digits=6, decimal_places=4, null=True, blank=True
    )
    components = models.JSONField("内訳", default=dict)
    explanation = models.TextField("算定の説明")
    usage = models.JSONField("利用実績", default=list)

    class Meta:
        verbose_name = "請求書"
        ordering = ["period", "member__tenant_code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "member"], name="kyogikai_invoice_once")
        ]

    def __str__(self) -> str:
        return self.number
