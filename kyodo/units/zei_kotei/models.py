"""固定資産税: 課税台帳 (the ledger of land and houses), their owners from a date, the 課税
(each assessment, never overwritten) and the 当初課税 batch's progress.

* ``Bukken`` 物件: one parcel (筆) of land or one house, by 所在 and 地番 / 家屋番号.
* ``TochiDaicho`` / ``KaokuDaicho`` 土地・家屋課税台帳: what the ledger says of a 物件 for one
  年度 (評価額, 地積 or 床面積 …). A correction is a new row with the next ``revision``.
* ``Shoyu`` 所有: the whole set of a 物件's owners from a date (``Shoyusha``: 宛名番号 and 持分,
  several for 共有). A later set replaces it from its own date; the owner on a day is the set
  with the latest date on or before it (地方税法 第343条第2項: 所有者として登記されている者).
* ``Shibou`` 死亡: deaths the hub reported (juki.died), for the 賦課期日 test.
* ``Kazei`` 課税: one assessment of one 納税義務者 — an owner, or a group of co-owners, who are
  jointly liable (第10条の2) — over every 物件 they hold in the municipality.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from kyodo.platform.models import TenantForeignKey, TenantOwned


class BukkenKind(models.TextChoices):
    TOCHI = "tochi", "土地"
    KAOKU = "kaoku", "家屋"


class Use(models.TextChoices):
    """The calculator's ``use`` of a parcel (kyodo.rules.kotei.assets.USES)."""

    SMALL_RESIDENTIAL = "small_residential", "住宅用地"
    GENERAL_RESIDENTIAL = "general_residential", "一般住宅用地"
    NON_RESIDENTIAL = "non_residential", "商業地等"
    FARMLAND = "farmland", "一般農地"


class Bukken(TenantOwned):
    """物件: one parcel or one house of the municipality's ledger."""

    kind = models.CharField("区分", max_length=5, choices=BukkenKind.choices)
    shozai = models.CharField("所在", max_length=100)
    bango = models.CharField("地番・家屋番号", max_length=30)
    created_at = models.DateTimeField("登録日時", auto_now_add=True)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "物件"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "kind", "shozai", "bango"], name="zei_kotei_bukken_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.shozai} {self.bango}"


class Recorded(TenantOwned):
    """Where a ledger row came from."""

    source = models.CharField("ファイル", max_length=255)
    line = models.PositiveIntegerField("行")
    recorded_by = models.CharField("登録者", max_length=150)
    recorded_at = models.DateTimeField("登録日時", auto_now_add=True)

    class Meta:
        abstract = True


class TochiDaicho(Recorded):
    """土地課税台帳: one parcel for one 年度."""

    bukken = TenantForeignKey(Bukken, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    revision = models.PositiveSmallIntegerField("履歴番号", default=1)
    chimoku = models.CharField("登記地目", max_length=20, blank=True)
    use = models.CharField("課税上の区分", max_length=20, choices=Use.choices)
    area = models.DecimalField("地積（㎡）", max_digits=14, decimal_places=2)
    dwelling_units = models.PositiveIntegerField("住宅の戸数", null=True, blank=True)
    valuation = models.PositiveBigIntegerField("評価額（価格）")
    prev_tax_base = models.PositiveBigIntegerField("前年度課税標準額")
    prev_city_planning_tax_base = models.PositiveBigIntegerField(
        "前年度課税標準額（都市計画税）", null=True, blank=True
    )

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "土地課税台帳"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "bukken", "fiscal_year", "revision"],
                name="zei_kotei_tochi_revision_unique",
            )
        ]
        indexes = [models.Index(fields=["tenant", "fiscal_year"], name="zei_kotei_tochi_year_idx")]


class KaokuDaicho(Recorded):
    """家屋課税台帳: one house for one 年度."""

    bukken = TenantForeignKey(Bukken, on_delete=models.PROTECT, related_name="+")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    revision = models.PositiveSmallIntegerField("履歴番号", default=1)
    shurui = models.CharField("種類", max_length=20, blank=True)
    kozo = models.CharField("構造", max_length=40, blank=True)
    fire_resistant = models.BooleanField("耐火・準耐火建築物")
    stories = models.PositiveSmallIntegerField("地上階数")
    floor_area = models.DecimalField("床面積（㎡）", max_digits=12, decimal_places=2)
    residential_floor_area = models.DecimalField(
        "居住部分の床面積（㎡）", max_digits=12, decimal_places=2, null=True, blank=True
    )
    rental = models.BooleanField("一戸建以外の貸家", default=False)
    built_year = models.PositiveSmallIntegerField("建築年（新築の年）")
    valuation = models.PositiveBigIntegerField("評価額（価格）")

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "家屋課税台帳"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "bukken", "fiscal_year", "revision"],
                name="zei_kotei_kaoku_revision_unique",
            )
        ]
        indexes = [models.Index(fields=["tenant", "fiscal_year"], name="zei_kotei_kaoku_year_idx")]


class Shoyu(Recorded):
    """所有: every owner of one 物件 from ``effective_from`` (登記の受付日, or the day a
    現に所有する者 such as an heir became the owner), until a later set replaces it."""

    bukken = TenantForeignKey(Bukken, on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField("所有開始日")

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "所有"
        indexes = [
            models.Index(fields=["tenant", "bukken", "effective_from"], name="zei_kotei_shoyu_idx")
        ]


class Shoyusha(TenantOwned):
    """所有者 (共有者) of one ``Shoyu``: 宛名番号 and 持分. The first listed is the 代表者."""

    shoyu = TenantForeignKey(Shoyu, on_delete=models.PROTECT, related_name="owners")
    atena_no = models.BigIntegerField("宛名番号")
    share_numerator = models.PositiveIntegerField("持分（分子）")
    share_denominator = models.PositiveIntegerField("持分（分母）")
    order = models.PositiveSmallIntegerField("順（1が代表者）")

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "所有者"
        indexes = [models.Index(fields=["tenant", "atena_no"], name="zei_kotei_shoyusha_idx")]


class Shibou(TenantOwned):
    """A death the hub reported (juki.died): enough to know that an owner on record died
    before the 賦課期日 without reading juki."""

    atena_no = models.BigIntegerField("宛名番号")
    died_on = models.DateField("死亡日（消除日）")
    source_event = models.BigIntegerField("契機イベント")

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "死亡（連携）"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "source_event"], name="zei_kotei_shibou_event_unique"
            )
        ]
        indexes = [models.Index(fields=["tenant", "atena_no"], name="zei_kotei_shibou_idx")]


class KazeiRun(TenantOwned):
    """One 当初課税 batch: where it got to, so a stopped run resumes where it stopped."""

    fiscal_year = models.PositiveSmallIntegerField("年度")
    started_at = models.DateTimeField("開始", auto_now_add=True)
    finished_at = models.DateTimeField("終了", null=True, blank=True)
    total = models.PositiveIntegerField("納税義務者の数", default=0)
    done = models.PositiveIntegerField("処理済み", default=0)
    last_key = models.TextField("最後に処理した納税義務者", default="", blank=True)
    started_by = models.CharField("実行者", max_length=150)
    # [{"owners", "assets", "reason", "assessed"}]: what a clerk must look at, never dropped.
    flagged = models.JSONField("要確認", default=list)

    class Meta:
        verbose_name = "当初課税の実行（固定資産税）"


class Kazei(TenantOwned):
    """One assessment (当初課税 or 更正) of one 納税義務者 for one 年度."""

    fiscal_year = models.PositiveSmallIntegerField("年度")
    notice_no = models.BigIntegerField("通知書番号")
    # ",1001,1002,": the 宛名番号 of the owner or co-owners, sorted; one 納税義務者.
    owner_key = models.TextField("納税義務者（宛名番号の組）")
    atena_no = models.BigIntegerField("宛名番号（代表者）")
    owners = models.JSONField("納税義務者（共有者）")
    revision = models.PositiveSmallIntegerField("履歴番号", default=1)
    run = TenantForeignKey(KazeiRun, null=True, blank=True, on_delete=models.PROTECT)
    land_tax_base = models.PositiveBigIntegerField("土地の課税標準額の合計")
    house_tax_base = models.PositiveBigIntegerField("家屋の課税標準額の合計")
    tax = models.PositiveBigIntegerField("固定資産税額")
    city_planning_tax = models.PositiveBigIntegerField("都市計画税額")
    total = models.PositiveBigIntegerField("年税額")
    installments = models.JSONField("期別")
    assets = models.JSONField("課税明細")
    unconfirmed = models.JSONField("未確認の数値", default=list)
    calc_input = models.JSONField("計算の入力")
    result = models.JSONField("計算結果（過程を含む）")
    notes = models.JSONField("注記", default=list)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "固定資産税の課税"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "fiscal_year", "owner_key", "revision"],
                name="zei_kotei_kazei_revision_unique",
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "fiscal_year", "notice_no"], name="zei_kotei_kazei_idx")
        ]
