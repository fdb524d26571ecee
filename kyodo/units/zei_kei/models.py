"""軽自動車税 種別割: the vehicles on record (each 登録 and 廃車 as a dated row, never
overwritten), residence changes learnt from the hub, the 課税 per vehicle and the 当初課税
batch's progress.

A vehicle is known by its 標識番号 in this municipality. ``Sharyo`` rows are its history: a
登録 (取得, or a change of owner) carries the vehicle's items and its owner from its date; a
廃車 ends it from its date. The vehicle on a day is its latest row dated on or before it.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from kyodo.platform.models import TenantForeignKey, TenantOwned
from kyodo.rules.keiji import CLASSES


class Idou(models.TextChoices):
    TOROKU = "toroku", "登録（取得・名義変更）"
    HAISHA = "haisha", "廃車"


class Sharyo(TenantOwned):
    """One 登録 or 廃車 of one vehicle, as received."""

    hyoshiki_no = models.CharField("標識番号", max_length=30)
    idou = models.CharField("異動区分", max_length=6, choices=Idou.choices)
    on = models.DateField("異動日（取得日・廃車日）")
    kind = models.CharField(
        "車種", max_length=20, choices=list(CLASSES.items()), blank=True, default=""
    )
    use = models.CharField("用途（private 自家用・commercial 営業用）", max_length=10, blank=True)
    first_inspection = models.CharField("初度検査年月（YYYY-MM）", max_length=7, blank=True)
    fuel = models.CharField("燃料", max_length=20, blank=True)
    fuel_economy_2030_90 = models.BooleanField("燃費基準達成（グリーン化特例 50%）", default=False)
    atena_no = models.BigIntegerField("所有者 宛名番号", null=True, blank=True)
    source = models.CharField("ファイル", max_length=255)
    line = models.PositiveIntegerField("行")
    recorded_by = models.CharField("登録者", max_length=150)
    recorded_at = models.DateTimeField("登録日時", auto_now_add=True)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "車両の異動"
        indexes = [
            models.Index(fields=["tenant", "hyoshiki_no", "on"], name="zei_kei_sharyo_idx"),
            models.Index(fields=["tenant", "atena_no"], name="zei_kei_sharyo_owner_idx"),
        ]


class KyojuKind(models.TextChoices):
    MOVED_IN = "moved_in", "転入"
    MOVED_OUT = "moved_out", "転出"
    DIED = "died", "死亡"


class Kyoju(TenantOwned):
    """What the hub told this unit about an owner's residence (juki.* events)."""

    atena_no = models.BigIntegerField("宛名番号")
    kind = models.CharField("異動", max_length=10, choices=KyojuKind.choices)
    on = models.DateField("異動日・消除日")
    destination = models.CharField("転出先", max_length=200, blank=True, default="")
    source_event = models.BigIntegerField("契機イベント")

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "所有者の住所の異動（連携）"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "source_event"], name="zei_kei_kyoju_event_unique"
            )
        ]
        indexes = [models.Index(fields=["tenant", "atena_no"], name="zei_kei_kyoju_person_idx")]


class KazeiRun(TenantOwned):
    """One 当初課税 batch: where it got to, so a stopped run resumes where it stopped."""

    fiscal_year = models.PositiveSmallIntegerField("年度")
    started_at = models.DateTimeField("開始", auto_now_add=True)
    finished_at = models.DateTimeField("終了", null=True, blank=True)
    total = models.PositiveIntegerField("車両数", default=0)
    done = models.PositiveIntegerField("処理済み", default=0)
    last_hyoshiki_no = models.CharField("最後に処理した標識番号", max_length=30, blank=True)
    started_by = models.CharField("実行者", max_length=150)
    # [{"hyoshiki_no", "atena_no", "reason"}]: not assessed, for a clerk to review.
    flagged = models.JSONField("要確認", default=list)

    class Meta:
        verbose_name = "当初課税の実行（軽自動車税）"


class Kazei(TenantOwned):
    """One assessment (当初課税 or 更正) of one vehicle for one 年度."""

    fiscal_year = models.PositiveSmallIntegerField("年度")
    notice_no = models.BigIntegerField("通知書番号")
    hyoshiki_no = models.CharField("標識番号", max_length=30)
    atena_no = models.BigIntegerField("宛名番号（4月1日の所有者）")
    revision = models.PositiveSmallIntegerField("履歴番号", default=1)
    run = TenantForeignKey(KazeiRun, null=True, blank=True, on_delete=models.PROTECT)
    kind = models.CharField("車種", max_length=20, choices=list(CLASSES.items()))
    rate_kind = models.CharField("税率の区分（new 新・old 旧・heavy 重課）", max_length=6)
    total = models.PositiveIntegerField("年税額")
    installments = models.JSONField("期別")
    vehicle = models.JSONField("車両（賦課期日現在）")
    unconfirmed = models.JSONField("未確認の数値", default=list)
    calc_input = models.JSONField("計算の入力")
    result = models.JSONField("計算結果（過程を含む）")
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "軽自動車税（種別割）の課税"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "fiscal_year", "hyoshiki_no", "revision"],
                name="zei_kei_kazei_revision_unique",
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "fiscal_year", "atena_no"], name="zei_kei_kazei_idx")
        ]
