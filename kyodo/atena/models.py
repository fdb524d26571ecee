"""Persons and households. Minimal in the platform issue; the resident-registry issue adds the
住民票 items, the dated 異動 history and 住登外 persons."""

from __future__ import annotations

from django.db import models

from kyodo.platform.models import TenantForeignKey, TenantOwned


class Sex(models.IntegerChoices):
    """性別 codes as the standard data layouts use them."""

    MALE = 1, "男"
    FEMALE = 2, "女"


class NumberSequence(TenantOwned):
    """Per-municipality counters for 宛名番号 and 世帯番号 bodies."""

    name = models.CharField(max_length=20)
    last_body = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="atena_numseq_unique")
        ]


class Household(TenantOwned):
    """世帯: the household and its address (住所)."""

    household_no = models.BigIntegerField("世帯番号")
    postal_code = models.CharField("郵便番号", max_length=8, blank=True)
    town = models.CharField("町字", max_length=60)
    banchi = models.CharField("番地", max_length=40)
    katagaki = models.CharField("方書", max_length=80, blank=True)

    class Meta:
        verbose_name = "世帯"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "household_no"], name="atena_household_no")
        ]

    def __str__(self) -> str:
        return f"世帯 {self.household_no}"


class Person(TenantOwned):
    """宛名: a person the municipality deals with."""

    atena_no = models.BigIntegerField("宛名番号")
    household = TenantForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    family_name = models.CharField("氏", max_length=60)
    given_name = models.CharField("名", max_length=60)
    family_kana = models.CharField("氏（カナ）", max_length=60)
    given_kana = models.CharField("名（カナ）", max_length=60)
    birth_date = models.DateField("生年月日")
    sex = models.PositiveSmallIntegerField("性別", choices=Sex.choices)
    relationship = models.CharField("続柄", max_length=30, blank=True)

    class Meta:
        verbose_name = "宛名"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "atena_no"], name="atena_person_no")
        ]
        indexes = [
            models.Index(fields=["tenant", "family_kana", "given_kana"], name="atena_kana_idx"),
            models.Index(fields=["tenant", "household"], name="atena_household_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_name}"

    @property
    def full_name(self) -> str:
        return f"{self.family_name}\u3000{self.given_name}"

    @property
    def full_kana(self) -> str:
        return f"{self.family_kana}\u3000{self.given_kana}"
