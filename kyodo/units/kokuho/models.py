"""国民健康保険の資格 (eligibility): one row per 資格 period of one 被保険者.

A ``Shikaku`` is the 資格's own lifecycle — pending (取得 awaiting the clerk) → active →
ended. Ending a 資格 sets ``lost_on``/``lose_reason`` on that same row; a later 再取得 is a new
row, so the history of every period is kept. This is not a 住民票 (which is append-only and
never updated): the row records one insurance period, and its end date is part of it.

The unit learns about persons only from the linkage hub (juki.* events) and reads birth dates
and 世帯 from 宛名 (kyodo.atena); it never imports the resident registry.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from kyodo.platform.models import TenantOwned


class ShikakuStatus(models.TextChoices):
    PENDING = "pending", "取得確認待ち"
    ACTIVE = "active", "資格あり"
    ENDED = "ended", "喪失"


class AcquireReason(models.TextChoices):
    TENNYU = "tennyu", "転入"
    SHAHO_RIDATSU = "shaho_ridatsu", "社保離脱"
    SHUSSEI = "shussei", "出生"
    SEIHO_HAISHI = "seiho_haishi", "生保廃止"
    OTHER = "other", "その他"


class LoseReason(models.TextChoices):
    TENSHUTSU = "tenshutsu", "転出"
    SHIBOU = "shibou", "死亡"
    SHAHO_KANYU = "shaho_kanyu", "社保加入"
    KOKI_75 = "koki_75", "75歳到達（後期高齢者医療へ）"
    OTHER = "other", "その他"


class Shikaku(TenantOwned):
    """One 国保資格 period of one person (被保険者), in one 世帯."""

    atena_no = models.BigIntegerField("宛名番号")
    household_no = models.BigIntegerField("世帯番号")
    status = models.CharField(
        "状態", max_length=10, choices=ShikakuStatus.choices, default=ShikakuStatus.PENDING
    )
    acquired_on = models.DateField("資格取得日")
    acquire_reason = models.CharField("取得事由", max_length=20, choices=AcquireReason.choices)
    lost_on = models.DateField("資格喪失日", null=True, blank=True)
    lose_reason = models.CharField(
        "喪失事由", max_length=20, choices=LoseReason.choices, blank=True, default=""
    )
    # The hub Event.id that caused this row (取得 from 転入/出生): the idempotency key.
    source_event = models.BigIntegerField("契機イベント", null=True, blank=True)
    confirmed_by = models.CharField("確認者", max_length=150, blank=True, default="")
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    class Meta:
        verbose_name = "国保資格"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "source_event", "atena_no"],
                condition=models.Q(source_event__isnull=False),
                name="kokuho_shikaku_event_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "atena_no"], name="kokuho_shikaku_person_idx"),
            models.Index(fields=["tenant", "status"], name="kokuho_shikaku_status_idx"),
        ]

    def __str__(self) -> str:
        return f"国保資格 {self.atena_no} {self.acquired_on}〜{self.lost_on or ''}"


class Shotoku(TenantOwned):
    """A person's income for one 年度 as 個人住民税 assessed it (zei_kojin.assessed on the
    hub): what 国保税's 所得割 and 法定軽減 rest on. The latest revision counts; a person with
    none is 所得未申告 (no 軽減 can be judged)."""

    atena_no = models.BigIntegerField("宛名番号")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    revision = models.PositiveSmallIntegerField("課税の履歴番号")
    so_shotoku = models.BigIntegerField("総所得金額等")
    salary_income = models.BigIntegerField("給与収入")
    pension_income = models.BigIntegerField("公的年金等の収入")
    source_event = models.BigIntegerField("契機イベント")

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "所得（住民税の課税から）"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "source_event"], name="kokuho_shotoku_event_unique"
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "fiscal_year", "atena_no"], name="kokuho_shotoku_idx")
        ]


class Fuka(TenantOwned):
    """国民健康保険税の賦課 of one 世帯 for one 年度: 当初賦課 on 1 April, and a new revision
    whenever a member's 資格 changes during the year (月割). Never overwritten."""

    household_no = models.BigIntegerField("世帯番号")
    fiscal_year = models.PositiveSmallIntegerField("年度")
    revision = models.PositiveSmallIntegerField("履歴番号")
    nozei_gimusha = models.BigIntegerField("納税義務者（世帯主）の宛名番号")
    components = models.JSONField("区分別の税額")
    total = models.PositiveIntegerField("年税額")
    months = models.JSONField("月別の被保険者と税額")
    installments = models.JSONField("期別")
    unconfirmed = models.JSONField("未確認の数値", default=list)
    reason = models.CharField("賦課の契機", max_length=100)
    created_at = models.DateTimeField("作成日時", auto_now_add=True)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "国保税の賦課"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "household_no", "fiscal_year", "revision"],
                name="kokuho_fuka_revision_unique",
            )
        ]
        indexes = [
            models.Index(fields=["tenant", "fiscal_year", "household_no"], name="kokuho_fuka_idx")
        ]
