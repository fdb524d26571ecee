"""宛名: persons and households as they stand now.

This is the current projection every unit reads (by 宛名番号). The dated history of 住民票
records lives in the resident-registry unit (``kyodo.units.juki``), which keeps this
projection up to date on every 異動.
"""

from __future__ import annotations

import datetime as dt

from django.db import models

from kyodo.atena.names import full_name
from kyodo.platform.models import TenantForeignKey, TenantOwned


class Sex(models.IntegerChoices):
    """性別 codes as the standard data layouts use them."""

    MALE = 1, "男"
    FEMALE = 2, "女"


class PersonKind(models.TextChoices):
    """住民状態 as the addressee master sees it."""

    JUMIN = "jumin", "住民"
    JOGAI = "jogai", "除票（元住民）"
    JUTOGAI = "jutogai", "住登外"
    VOID = "void", "取消済"


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
    kind = models.CharField(
        "区分", max_length=10, choices=PersonKind.choices, default=PersonKind.JUMIN
    )
    family_name = models.CharField("氏", max_length=60)
    given_name = models.CharField("名", max_length=60)
    family_kana = models.CharField("氏（カナ）", max_length=60)
    given_kana = models.CharField("名（カナ）", max_length=60)
    alpha_name = models.CharField("氏名（アルファベット）", max_length=120, blank=True)
    tsusho = models.CharField("通称", max_length=60, blank=True)
    birth_date = models.DateField("生年月日")
    sex = models.PositiveSmallIntegerField("性別", choices=Sex.choices)
    relationship = models.CharField("続柄", max_length=30, blank=True)
    # 住登外: the address of a person not registered here (residents' address is their 世帯's).
    outside_address = models.CharField("住所（住登外）", max_length=200, blank=True, default="")
    # Search keys (候補者検索): fuzzy kana and 異体字-folded kanji of every name the person has
    # had, space-joined, so past names are found too.
    search_kana = models.TextField(blank=True, default="")
    search_name = models.TextField(blank=True, default="")
    search_address = models.TextField(blank=True, default="")
    juminhyo_code = models.CharField("住民票コード", max_length=11, blank=True, default="")
    # 個人番号: encrypted at rest; the blind index allows exact search without decrypting.
    my_number = models.TextField("個人番号（暗号化）", blank=True, default="")
    my_number_index = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = "宛名"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "atena_no"], name="atena_person_no"),
            # A 住民票コード belongs to one person (the local stand-in relies on this too).
            models.UniqueConstraint(
                fields=["tenant", "juminhyo_code"],
                condition=~models.Q(juminhyo_code=""),
                name="atena_person_jcode_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "family_kana", "given_kana"], name="atena_kana_idx"),
            models.Index(fields=["tenant", "my_number_index"], name="atena_mynumber_idx"),
            models.Index(fields=["tenant", "birth_date"], name="atena_birth_idx"),
            models.Index(fields=["tenant", "household"], name="atena_household_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.family_name} {self.given_name}"

    @property
    def full_name(self) -> str:
        return full_name(self.family_name, self.given_name)

    @property
    def full_kana(self) -> str:
        return full_name(self.family_kana, self.given_kana)


class BlockKind(models.TextChoices):
    SHIEN = "shien", "支援措置"
    KARI_SHIEN = "kari_shien", "仮支援措置"
    GENERAL = "general", "抑止"


class BlockLevel(models.TextChoices):
    ERROR = "error", "エラー"
    ALERT = "alert", "アラート"


class BlockOperation(models.TextChoices):
    SHOKAI = "shokai", "照会"
    IDOU = "idou", "異動"
    HAKKO = "hakko", "発行"


def block_in_force(on: dt.date) -> models.Q:
    """Blocks in force on a date: started, and not lifted (a lift dated later waits for its
    day). Temporary lifts are checked separately, to the minute."""
    return models.Q(start_date__lte=on) & (
        models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on)
    )


class Block(TenantOwned):
    """抑止 and 支援措置 on one person (standards.md §1.12).

    A person may carry several. Passing ``end_date`` does not lift a block by itself (the
    standard says so); 支援措置 alerts from a month before it ends. A temporary lift
    (一時解除) expires on its own at ``lifted_until``.
    """

    atena_no = models.BigIntegerField("宛名番号")
    kind = models.CharField("種別", max_length=12, choices=BlockKind.choices)
    operations = models.JSONField("対象業務", default=list)
    level = models.CharField("レベル", max_length=8, choices=BlockLevel.choices)
    start_date = models.DateField("開始日")
    end_date = models.DateField("終了予定日", null=True, blank=True)
    ended_on = models.DateField("解除日", null=True, blank=True)
    lifted_until = models.DateTimeField("一時解除の期限", null=True, blank=True)
    lifted_by = models.CharField("一時解除者", max_length=150, blank=True)
    reason = models.CharField("理由", max_length=200, blank=True)
    created_by = models.CharField("設定者", max_length=150)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "抑止・支援措置"
        indexes = [models.Index(fields=["tenant", "atena_no"], name="atena_block_person_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.atena_no}"


class SearchKey(TenantOwned):
    """One search key of a person (候補者検索): a folded kana reading ("k") or 異体字-folded
    name ("n") of any name the person has or had, whole or 名 alone. A name typed from its
    start is a range scan of (tenant, kind, key) in key order, which row-level security lets
    use the index (range comparisons are leakproof; LIKE is not)."""

    KANA = "k"
    NAME = "n"

    atena_no = models.BigIntegerField("宛名番号")
    kind = models.CharField(max_length=1)
    key = models.TextField()

    class Meta:
        indexes = [
            models.Index(fields=["tenant", "kind", "key", "atena_no"], name="atena_searchkey_idx"),
            models.Index(fields=["tenant", "atena_no"], name="atena_searchkey_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.atena_no}:{self.kind}:{self.key}"
