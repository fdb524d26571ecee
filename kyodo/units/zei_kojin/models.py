"""個人住民税: 課税資料 (the materials an assessment rests on), 課税 (each assessment, never
overwritten) and the 当初課税 batch's progress.

A 課税 row is one assessment of one taxpayer for one 年度: the calculator's full result with
every step, the amounts, how it is collected (特別徴収 / 普通徴収 / 年金特別徴収) and its
installments. A later 更正 is a new row with the next ``revision``; the history stays.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from kyodo.platform.models import TenantForeignKey, TenantOwned


class ShiryoKind(models.TextChoices):
    KYUYO = "kyuyo", "給与支払報告書"
    NENKIN = "nenkin", "公的年金等支払報告書"
    SHINKOKU = "shinkoku", "申告書"


class KazeiShiryo(TenantOwned):
    """One 課税資料 row for one person and 年度, as it was received."""

    fiscal_year = models.PositiveSmallIntegerField("年度")
    atena_no = models.BigIntegerField("宛名番号")
    kind = models.CharField("資料区分", max_length=10, choices=ShiryoKind.choices)
    payer_no = models.CharField("支払者番号（特別徴収義務者等）", max_length=20, blank=True)
    payer_name = models.CharField("支払者名称", max_length=100, blank=True)
    data = models.JSONField("資料の内容")
    futsu_reason = models.CharField("普通徴収切替理由", max_length=10, blank=True)
    source = models.CharField("ファイル", max_length=255)
    line = models.PositiveIntegerField("行")
    received_at = models.DateTimeField("受付日時", auto_now_add=True)
    received_by = models.CharField("受付者", max_length=150)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "課税資料"
        indexes = [
            models.Index(
                fields=["tenant", "fiscal_year", "atena_no"], name="zei_kojin_shiryo_person_idx"
            )
        ]


class KazeiRun(TenantOwned):
    """One 当初課税 batch: where it got to, so a stopped run resumes where it stopped."""

    fiscal_year = models.PositiveSmallIntegerField("年度")
    started_at = models.DateTimeField("開始", auto_now_add=True)
    finished_at = models.DateTimeField("終了", null=True, blank=True)
    total = models.PositiveIntegerField("対象者数", default=0)
    done = models.PositiveIntegerField("処理済み", default=0)
    last_atena_no = models.BigIntegerField("最後に処理した宛名番号", default=0)
    started_by = models.CharField("実行者", max_length=150)
    # [{"atena_no", "reason"}]: had 課税資料 but did not live here on the 賦課期日.
    excluded = models.JSONField("賦課期日に住所がなく対象外", default=list)

    class Meta:
        verbose_name = "当初課税の実行"


class Choshu(models.TextChoices):
    KYUYO_TOKUCHO = "kyuyo_tokucho", "給与特別徴収"
    FUTSU = "futsu", "普通徴収"
    NENKIN_TOKUCHO = "nenkin_tokucho", "年金特別徴収"


class Kazei(TenantOwned):
    """One assessment (当初課税 or 更正) of one taxpayer for one 年度."""

    fiscal_year = models.PositiveSmallIntegerField("年度")
    atena_no = models.BigIntegerField("宛名番号")
    revision = models.PositiveSmallIntegerField("履歴番号", default=1)
    # No index of its own: only a resume asks which rows a run wrote (once, a scan), while
    # every assessment of a batch would pay for it.
    run = TenantForeignKey(
        KazeiRun, null=True, blank=True, on_delete=models.PROTECT, db_index=False
    )
    city_shotokuwari = models.PositiveIntegerField("市町村民税 所得割")
    city_kintouwari = models.PositiveIntegerField("市町村民税 均等割")
    pref_shotokuwari = models.PositiveIntegerField("道府県民税 所得割")
    pref_kintouwari = models.PositiveIntegerField("道府県民税 均等割")
    forest_env_tax = models.PositiveIntegerField("森林環境税")
    total = models.PositiveIntegerField("年税額")
    tokucho_payer_no = models.CharField("特別徴収義務者番号", max_length=20, blank=True)
    # {"kyuyo_tokucho": amount, "futsu": amount, "nenkin_tokucho": amount}
    choshu = models.JSONField("徴収方法別の税額")
    installments = models.JSONField("期別")
    unconfirmed = models.JSONField("未確認の数値", default=list)
    calc_input = models.JSONField("計算の入力")
    result = models.JSONField("計算結果（過程を含む）")
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    append_only: ClassVar[bool] = True
    id_index: ClassVar[bool] = False  # reached within a municipality only (ADR 0015)

    class Meta:
        verbose_name = "個人住民税の課税"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "fiscal_year", "atena_no", "revision"],
                name="zei_kojin_kazei_revision_unique",
            )
        ]
        # No separate (tenant, 年度, 宛名番号) index: the unique key above leads with those
        # columns and serves the same lookups (one index fewer for each of a batch's rows).


class KyojuKind(models.TextChoices):
    MOVED_IN = "moved_in", "転入・出生"
    MOVED_OUT = "moved_out", "転出"
    DIED = "died", "死亡"


class Kyoju(TenantOwned):
    """What the hub told this unit about a person's residence (from juki.* events): enough to
    know who lived here on the 賦課期日 (1 January, 地方税法 第318条) without reading juki."""

    atena_no = models.BigIntegerField("宛名番号")
    kind = models.CharField("異動", max_length=10, choices=KyojuKind.choices)
    on = models.DateField("異動日・消除日")
    source_event = models.BigIntegerField("契機イベント")

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "住所の異動（連携）"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "source_event"], name="zei_kojin_kyoju_event_unique"
            )
        ]
        indexes = [models.Index(fields=["tenant", "atena_no"], name="zei_kojin_kyoju_person_idx")]
