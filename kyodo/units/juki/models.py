"""住民票 records as the standard models them: a full snapshot per change.

住民記録システム標準仕様書 v1.0 §1.2.1: each history row holds every 住民票 item of one person
at one point in time (household values copied onto each person's row), keyed by
(宛名番号, 履歴番号); every change appends a full row; the current state is the row with the
highest 履歴番号. Rows are never updated or deleted (the schema guard makes the table
append-only for the application role). 除票 are the rows whose status is a removal.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from kyodo.atena.names import full_name
from kyodo.platform.models import TenantForeignKey, TenantOwned


class IdouGroup(models.TextChoices):
    """異動事由 groups of the standard (§1.2.2)."""

    KISAI = "kisai", "記載"
    SHOJO = "shojo", "消除"
    SHUSEI = "shusei", "修正"


class IdouKind(models.TextChoices):
    """異動事由 (Kyodo's codes, each mapped to a standard group in ``IDOU_GROUPS``)."""

    TENYU = "tenyu", "国内転入"
    TENYU_KOKUGAI = "tenyu_kokugai", "国外転入"
    SHUSSEI = "shussei", "出生"
    SHOKKEN_KISAI = "shokken_kisai", "職権記載"
    TENSHUTSU_YOTEI = "tenshutsu_yotei", "転出届（予定）"
    TENSHUTSU = "tenshutsu", "国内転出"
    TENSHUTSU_KOKUGAI = "tenshutsu_kokugai", "国外転出"
    SHIBOU = "shibou", "死亡"
    SHOKKEN_SHOJO = "shokken_shojo", "職権消除"
    TENKYO = "tenkyo", "転居"
    SETAI_BUNRI = "setai_bunri", "世帯分離"
    SETAI_GAPPEI = "setai_gappei", "世帯合併"
    SETAINUSHI_HENKO = "setainushi_henko", "世帯主変更"
    SHOKKEN_SHUSEI = "shokken_shusei", "職権修正"
    TORIKESHI = "torikeshi", "異動の取消し"


IDOU_GROUPS: dict[str, str] = {
    IdouKind.TENYU: IdouGroup.KISAI,
    IdouKind.TENYU_KOKUGAI: IdouGroup.KISAI,
    IdouKind.SHUSSEI: IdouGroup.KISAI,
    IdouKind.SHOKKEN_KISAI: IdouGroup.KISAI,
    IdouKind.TENSHUTSU_YOTEI: IdouGroup.SHUSEI,
    IdouKind.TENSHUTSU: IdouGroup.SHOJO,
    IdouKind.TENSHUTSU_KOKUGAI: IdouGroup.SHOJO,
    IdouKind.SHIBOU: IdouGroup.SHOJO,
    IdouKind.SHOKKEN_SHOJO: IdouGroup.SHOJO,
    IdouKind.TENKYO: IdouGroup.SHUSEI,
    IdouKind.SETAI_BUNRI: IdouGroup.SHUSEI,
    IdouKind.SETAI_GAPPEI: IdouGroup.SHUSEI,
    IdouKind.SETAINUSHI_HENKO: IdouGroup.SHUSEI,
    IdouKind.SHOKKEN_SHUSEI: IdouGroup.SHUSEI,
    # 異動の取消し takes the group of its effect: 増, 減 or 修正 (set per row).
}


class Status(models.TextChoices):
    """住民状態 of a snapshot."""

    JUMIN = "jumin", "住民"
    TENSHUTSU_YOTEI = "tenshutsu_yotei", "住民（転出予定）"
    TENSHUTSU = "tenshutsu", "転出"
    SHIBOU = "shibou", "死亡"
    SHOJO = "shojo", "職権消除"
    VOID = "void", "取消（記載なし）"


CURRENT_STATUSES = (Status.JUMIN, Status.TENSHUTSU_YOTEI)
REMOVED_STATUSES = (Status.TENSHUTSU, Status.SHIBOU, Status.SHOJO)


class Idou(TenantOwned):
    """One 異動 transaction: one filing or one ex-officio act, for one or more persons."""

    kind = models.CharField("異動事由", max_length=20, choices=IdouKind.choices)
    idou_date = models.DateField("異動日")
    notified_on = models.DateField("届出日", null=True, blank=True)
    processed_at = models.DateTimeField("処理日時", auto_now_add=True)
    processed_by = models.CharField("処理者", max_length=150)
    household_no = models.BigIntegerField("世帯番号", null=True, blank=True)
    cancels = TenantForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cancelled_by",
        verbose_name="取り消す異動",
    )
    note = models.TextField("留意事項", blank=True)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "異動"
        indexes = [models.Index(fields=["tenant", "idou_date"], name="juki_idou_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.idou_date}"


class JuminRecord(TenantOwned):
    """One full 住民票 snapshot of one person (宛名番号 + 履歴番号)."""

    atena_no = models.BigIntegerField("宛名番号")
    rireki_no = models.PositiveIntegerField("履歴番号")
    idou = TenantForeignKey(Idou, on_delete=models.PROTECT, related_name="records")
    idou_kind = models.CharField("異動事由", max_length=20, choices=IdouKind.choices)
    idou_group = models.CharField("異動区分", max_length=10, choices=IdouGroup.choices)
    idou_date = models.DateField("異動日")
    notified_on = models.DateField("届出日", null=True, blank=True)
    status = models.CharField("住民状態", max_length=20, choices=Status.choices)
    # 世帯
    household_no = models.BigIntegerField("世帯番号")
    setainushi_name = models.CharField("世帯主の氏名", max_length=130)
    zokugara = models.CharField("世帯主との続柄", max_length=30)
    # 氏名
    family_name = models.CharField("氏", max_length=60)
    given_name = models.CharField("名", max_length=60)
    family_kana = models.CharField("氏の振り仮名", max_length=60, blank=True)
    given_kana = models.CharField("名の振り仮名", max_length=60, blank=True)
    kana_confirmed = models.BooleanField("振り仮名確認済", default=False)
    kyuuji = models.CharField("旧氏", max_length=60, blank=True)
    kyuuji_kana = models.CharField("旧氏の振り仮名", max_length=60, blank=True)
    birth_date = models.DateField("生年月日")
    sex = models.PositiveSmallIntegerField("性別")
    # 住所
    postal_code = models.CharField("郵便番号", max_length=8, blank=True)
    town = models.CharField("町字", max_length=60)
    banchi = models.CharField("番地", max_length=40)
    katagaki = models.CharField("方書", max_length=80, blank=True)
    jumin_date = models.DateField("住民となった年月日")
    address_date = models.DateField("住所を定めた年月日")
    previous_address = models.CharField("転入前住所", max_length=200, blank=True)
    before_move_address = models.CharField("異動前住所", max_length=200, blank=True)
    # 本籍 (Japanese nationals)
    honseki = models.CharField("本籍", max_length=200, blank=True)
    hittousha = models.CharField("筆頭者", max_length=130, blank=True)
    # Numbers
    juminhyo_code = models.CharField("住民票コード", max_length=11)
    # Foreign residents (外国人住民): 国籍・地域 (ISO 3166 alpha-2) and the 30条の45 items.
    nationality = models.CharField("国籍・地域", max_length=2, default="JP")
    alpha_name = models.CharField("氏名（アルファベット）", max_length=120, blank=True)
    tsusho = models.CharField("通称", max_length=60, blank=True)
    foreign = models.JSONField("外国人住民の記載事項", default=dict, blank=True)
    # Flags other units set on the 住民票 (選挙, 国保, 後期, 介護, 年金, 児童手当).
    flags = models.JSONField("他業務の記載事項", default=dict, blank=True)
    # 転出 / 消除
    tenshutsu_yotei_date = models.DateField("転出予定日", null=True, blank=True)
    destination_address = models.CharField("転出先住所", max_length=200, blank=True)
    shojo_date = models.DateField("消除日", null=True, blank=True)
    shojo_reason = models.CharField("消除事由", max_length=20, blank=True)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "住民票（履歴）"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "atena_no", "rireki_no"], name="juki_record_rireki"
            ),
        ]
        indexes = [
            models.Index(
                fields=["tenant", "household_no", "atena_no"], name="juki_record_household_idx"
            ),
            models.Index(fields=["tenant", "juminhyo_code"], name="juki_record_jcode_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.atena_no}#{self.rireki_no} {self.get_status_display()}"

    @property
    def is_foreign(self) -> bool:
        return self.nationality != "JP"

    @property
    def full_name(self) -> str:
        return full_name(self.family_name, self.given_name)

    @property
    def full_kana(self) -> str:
        return full_name(self.family_kana, self.given_kana)

    @property
    def address(self) -> str:
        return f"{self.town}{self.banchi}" + (f"\u3000{self.katagaki}" if self.katagaki else "")


class CertificateIssue(TenantOwned):
    """証明書の交付履歴: every certificate issued, with its 発行番号."""

    issue_no = models.CharField("発行番号", max_length=20)
    kind = models.CharField("種別", max_length=20)
    atena_nos = models.JSONField("対象の宛名番号")
    options = models.JSONField("記載した任意項目", default=list)
    requester = models.CharField("請求者", max_length=200)
    purpose = models.CharField("使用目的", max_length=200)
    issued_at = models.DateTimeField("発行日時", auto_now_add=True)
    issued_by = models.CharField("発行者", max_length=150)
    pages = models.PositiveIntegerField("枚数")

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "証明書交付履歴"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "issue_no"], name="juki_issue_no"),
        ]

    def __str__(self) -> str:
        return self.issue_no
