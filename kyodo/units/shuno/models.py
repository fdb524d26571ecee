"""収滞納 ledger: 調定 (what is owed), 収納 (what was paid) and what links them.

Every table is append-only (the schema guard revokes UPDATE and DELETE from the application
role): a balance is always *computed* from rows, never stored, so the 調定額, 収納額 and 未納額
of any installment can be reconstructed as of any date.

- ``Chotei`` 調定: one installment (期別) of one assessment, as first assessed.
- ``ChoteiKosei`` 更正: a change of an installment's 調定額, dated; the 調定額 as of D is the
  original amount plus the deltas effective on or before D.
- ``Shuno`` 収納: one payment as received (counter, 口座振替, コンビニ, Pay-easy), with its
  source (file and line) and its idempotency key. A payment that cannot be matched is kept
  with its reason (``held_reason``), never dropped.
- ``ShunoKakuho`` 確報: the collector's final report confirming an earlier 速報 payment.
- ``Keshikomi`` 消込: money put on an installment — from a payment, by 充当 of a 過誤納, or
  taken back (negative) when a 減額更正 leaves more paid than owed.
- ``Kagono`` 過誤納金: money received that no installment owes; ``Kanpu`` 還付 pays it back.
- ``Tokusoku`` 督促: the demand notice of one overdue installment (once per installment).
- ``PaymentFile``: one imported payment-result file.

Persons are 宛名番号 (``atena_no``) of kyodo.atena; the tax units never appear here by import.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from kyodo.platform.models import TenantForeignKey, TenantOwned


class TaxKind(models.TextChoices):
    """税目 of a 調定 (the free field's 2-digit code is in ``freefield.TAX_CODES``)."""

    JUMINZEI_FUTSU = "juminzei_futsu", "個人住民税（普通徴収）"
    KOKUHO = "kokuho", "国民健康保険税"
    KOTEI = "kotei", "固定資産税・都市計画税"
    KEI = "kei", "軽自動車税（種別割）"
    HOJIN = "hojin", "法人住民税"


class Channel(models.TextChoices):
    """収納経路."""

    COUNTER = "counter", "窓口"
    BANK_TRANSFER = "bank_transfer", "口座振替"
    KONBINI = "konbini", "コンビニ"
    PAY_EASY = "pay_easy", "ペイジー"


class Report(models.TextChoices):
    """速報 (preliminary, the day after payment) or 確報 (final, after settlement)."""

    SOKUHO = "sokuho", "速報"
    KAKUHO = "kakuho", "確報"


class HoldReason(models.TextChoices):
    """Why a payment was kept unmatched (保留) instead of being applied."""

    UNKNOWN_NOTICE = "unknown_notice", "通知書番号不明"
    OTHER_TENANT = "other_tenant", "他団体の納付書"
    AMOUNT_MISMATCH = "amount_mismatch", "収納金額とバーコード金額の不一致"
    DUPLICATE_IN_FILE = "duplicate_in_file", "ファイル内の受付番号重複"
    KEY_CONFLICT = "key_conflict", "取込済みの同じ受付番号と内容が相違"
    COMPANY_MISMATCH = "company_mismatch", "請求書発行企業コードの相違"


class KeshikomiKind(models.TextChoices):
    SHUNO = "shuno", "収納"
    JUTO = "juto", "充当"
    REVERSAL = "reversal", "減額更正による消込取消"


class KagonoReason(models.TextChoices):
    OVERPAID = "overpaid", "過納（調定額を超える納付）"
    REDUCED = "reduced", "過納（減額更正）"
    NO_CHOTEI = "no_chotei", "誤納（未納の調定がない納付）"


class Chotei(TenantOwned):
    """調定: one installment (期別) of one assessment (通知書), as first assessed."""

    tax_kind = models.CharField("税目", max_length=20, choices=TaxKind.choices)
    fiscal_year = models.PositiveSmallIntegerField("年度")
    notice_no = models.BigIntegerField("通知書番号")
    kibetsu = models.PositiveSmallIntegerField("期別")
    atena_no = models.BigIntegerField("納税義務者 宛名番号")
    amount = models.BigIntegerField("当初調定額")
    due_date = models.DateField("納期限")
    assessed_on = models.DateField("調定日")
    source = models.CharField("調定元", max_length=200, blank=True, default="")
    recorded_at = models.DateTimeField("記録日時")
    recorded_by = models.CharField("記録者", max_length=150)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "調定"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "tax_kind", "fiscal_year", "notice_no", "kibetsu"],
                name="shuno_chotei_notice_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["tenant", "atena_no"], name="shuno_chotei_person_idx"),
            models.Index(fields=["tenant", "due_date"], name="shuno_chotei_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.tax_kind} {self.fiscal_year} {self.notice_no}-{self.kibetsu}"


class ChoteiKosei(TenantOwned):
    """更正: the 調定額 of one installment changed from ``effective_on`` (delta, signed)."""

    chotei = TenantForeignKey(
        Chotei, on_delete=models.PROTECT, related_name="kosei", db_index=False
    )
    delta = models.BigIntegerField("増減額")
    amount_after = models.BigIntegerField("更正後調定額")
    effective_on = models.DateField("更正日")
    reason = models.CharField("更正理由", max_length=200)
    recorded_at = models.DateTimeField("記録日時")
    recorded_by = models.CharField("記録者", max_length=150)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "調定の更正"
        indexes = [models.Index(fields=["tenant", "chotei"], name="shuno_kosei_chotei_idx")]


class PaymentFile(TenantOwned):
    """One imported 収納結果ファイル (コンビニ速報・確報)."""

    name = models.CharField("ファイル名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    report = models.CharField("速報・確報", max_length=10, choices=Report.choices)
    company_code = models.CharField("請求書発行企業コード", max_length=6)
    created_on = models.DateField("作成日")
    rows = models.PositiveIntegerField("データ件数")
    imported_at = models.DateTimeField("取込日時")
    imported_by = models.CharField("取込者", max_length=150)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "収納結果ファイル"
        indexes = [models.Index(fields=["tenant", "sha256"], name="shuno_file_sha_idx")]


class Shuno(TenantOwned):
    """収納: one payment as received. ``held_reason`` set = kept unmatched (保留).

    Which installments it paid is in its ``Keshikomi`` rows (and its surplus in ``Kagono``);
    what a コンビニ slip named is in its ``barcode``. Where it came from is ``source`` (the file
    name, or 窓口) and ``source_line``; the file's own record (``PaymentFile``) has the same
    name and its ``imported_at`` is these rows' ``recorded_at``. There is deliberately no
    foreign key to a 調定 (it would repeat the 消込) nor to the file: each is a check per row
    at commit, about 0.5 s per 100,000 rows on the project machine, on the import that must
    match 100,000 rows in under 10 s.
    """

    key = models.CharField("冪等キー", max_length=120)
    channel = models.CharField("収納経路", max_length=20, choices=Channel.choices)
    report = models.CharField("速報・確報", max_length=10, choices=Report.choices)
    amount = models.BigIntegerField("収納額")
    paid_on = models.DateField("収納日（領収日）")
    barcode = models.CharField("バーコードデータ", max_length=44, blank=True, default="")
    atena_no = models.BigIntegerField("納付者 宛名番号", null=True, blank=True)
    held_reason = models.CharField(
        "保留理由", max_length=20, choices=HoldReason.choices, blank=True, default=""
    )
    held_detail = models.TextField("保留の詳細", blank=True, default="")
    source = models.CharField("取込元", max_length=255)
    source_line = models.PositiveIntegerField("行番号", null=True, blank=True)
    recorded_at = models.DateTimeField("記録日時")
    recorded_by = models.CharField("記録者", max_length=150)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "収納"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "key"], name="shuno_shuno_key_unique"),
        ]
        indexes = [models.Index(fields=["tenant", "atena_no"], name="shuno_shuno_person_idx")]


class ShunoKakuho(TenantOwned):
    """確報: the collector's final report of a payment first recorded from its 速報 (the 確報
    file is ``source``, as for ``Shuno``)."""

    # Indexed by the unique key below.
    shuno = TenantForeignKey(Shuno, on_delete=models.PROTECT, related_name="kakuho", db_index=False)
    source = models.CharField("取込元", max_length=255)
    source_line = models.PositiveIntegerField("行番号")
    recorded_at = models.DateTimeField("記録日時")

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "確報"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "shuno"], name="shuno_kakuho_unique"),
        ]


class Kagono(TenantOwned):
    """過誤納金: money received that no installment owes, until 充当 or 還付."""

    atena_no = models.BigIntegerField("宛名番号")
    amount = models.BigIntegerField("過誤納額")
    arose_on = models.DateField("発生日")
    reason = models.CharField("発生理由", max_length=20, choices=KagonoReason.choices)
    shuno = TenantForeignKey(
        Shuno, null=True, blank=True, on_delete=models.PROTECT, related_name="kagono"
    )
    chotei = TenantForeignKey(
        Chotei, null=True, blank=True, on_delete=models.PROTECT, related_name="kagono"
    )
    recorded_at = models.DateTimeField("記録日時")

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "過誤納金"
        indexes = [models.Index(fields=["tenant", "atena_no"], name="shuno_kagono_person_idx")]


class Keshikomi(TenantOwned):
    """消込: an amount put on (or, negative, taken off) one installment.

    ``shuno`` is the payment for kind 収納; ``kagono`` is the 過誤納 that pays for kind 充当,
    and the 過誤納 the amount became for kind 減額更正による消込取消.
    """

    chotei = TenantForeignKey(
        Chotei, on_delete=models.PROTECT, related_name="keshikomi", db_index=False
    )
    kind = models.CharField("種別", max_length=10, choices=KeshikomiKind.choices)
    amount = models.BigIntegerField("消込額")
    applied_on = models.DateField("消込の効力日")
    shuno = TenantForeignKey(
        Shuno,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="keshikomi",
        db_index=False,
    )
    kagono = TenantForeignKey(
        Kagono,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="keshikomi",
        db_index=False,
    )
    recorded_at = models.DateTimeField("記録日時")

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "消込"
        # Led by the tenant like every lookup (row-level security adds it), so the planner
        # never has to combine a tenant-wide index with a per-installment one. 過誤納 only
        # where set: most rows are payments.
        indexes = [
            models.Index(fields=["tenant", "chotei"], name="shuno_keshikomi_chotei_idx"),
            models.Index(fields=["tenant", "shuno"], name="shuno_keshikomi_shuno_idx"),
            models.Index(
                fields=["tenant", "kagono"],
                condition=models.Q(kagono__isnull=False),
                name="shuno_keshikomi_kagono_idx",
            ),
        ]


class Kanpu(TenantOwned):
    """還付: a 過誤納 (or what is left of it after 充当) paid back."""

    kagono = TenantForeignKey(Kagono, on_delete=models.PROTECT, related_name="kanpu")
    amount = models.BigIntegerField("還付額")
    decided_on = models.DateField("還付決定日")
    recorded_at = models.DateTimeField("記録日時")
    recorded_by = models.CharField("記録者", max_length=150)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "還付"


class Tokusoku(TenantOwned):
    """督促: the demand notice of one installment unpaid after its 納期限 (once only)."""

    chotei = TenantForeignKey(
        Chotei, on_delete=models.PROTECT, related_name="tokusoku", db_index=False
    )  # indexed by the unique key
    issued_on = models.DateField("督促状発付日")
    minou = models.BigIntegerField("督促時の未納額")
    days_after_due = models.PositiveIntegerField("納期限後の日数")
    late = models.BooleanField("法定期限（納期限後20日）経過後の発付")
    recorded_at = models.DateTimeField("記録日時")
    recorded_by = models.CharField("記録者", max_length=150)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "督促"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "chotei"], name="shuno_tokusoku_unique"),
        ]


class ChoteiEventOutcome(models.TextChoices):
    CREATED = "created", "調定"
    KOSEI = "kosei", "更正"
    UNCHANGED = "unchanged", "変更なし"
    NONE = "none", "調定なし（本人が納める期別がない）"
    STALE = "stale", "より新しい課税を反映済み"


class ChoteiEvent(TenantOwned):
    """An assessment event from the hub (``<unit>.assessed``) and what it did to the ledger.

    The key of the hub handlers' idempotency (``event_id``: one row per event, so a second
    delivery changes nothing) and the history of which 課税の履歴番号 (``revision``) each
    notice's 調定 reflects.
    """

    event_id = models.BigIntegerField("イベントID")
    event_name = models.CharField("イベント種別", max_length=100)
    tax_kind = models.CharField("税目", max_length=20, choices=TaxKind.choices)
    fiscal_year = models.PositiveSmallIntegerField("年度")
    notice_no = models.BigIntegerField("通知書番号")
    revision = models.PositiveIntegerField("課税の履歴番号")
    outcome = models.CharField("処理結果", max_length=10, choices=ChoteiEventOutcome.choices)
    recorded_at = models.DateTimeField("記録日時")

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "課税イベント（調定の元）"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "event_id"], name="shuno_event_unique"),
        ]
        indexes = [
            models.Index(
                fields=["tenant", "tax_kind", "fiscal_year", "notice_no"],
                name="shuno_event_notice_idx",
            )
        ]


class FurikaeResult(models.TextChoices):
    """振替結果コード of a 口座振替 result row (modelled on the 全銀協 format)."""

    FURIKAE_ZUMI = "0", "振替済"
    SHIKIN_FUSOKU = "1", "資金不足"
    TORIHIKI_NASHI = "2", "取引なし"
    YOKINSHA_TSUGO = "3", "預金者の都合による振替停止"
    IRAISHO_NASHI = "4", "預金口座振替依頼書なし"
    ITAKUSHA_TSUGO = "8", "委託者の都合による振替停止"
    SONOTA = "9", "その他"


class FurikaeFile(TenantOwned):
    """One imported 口座振替 result file (docs/formats/kouza-furikae.md)."""

    name = models.CharField("ファイル名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    itakusha_code = models.CharField("委託者コード", max_length=10)
    transfer_on = models.DateField("引落日（振替日）")
    rows = models.PositiveIntegerField("データ件数")
    imported_at = models.DateTimeField("取込日時")
    imported_by = models.CharField("取込者", max_length=150)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "口座振替結果ファイル"
        indexes = [models.Index(fields=["tenant", "sha256"], name="shuno_furikae_sha_idx")]


class FurikaeFuno(TenantOwned):
    """振替不能: an installment the bank could not collect, with the bank's reason. Not a
    payment; the clerk sends a 納付書 instead (the clerk's worklist)."""

    key = models.CharField("冪等キー", max_length=120)
    chotei = TenantForeignKey(
        Chotei, on_delete=models.PROTECT, related_name="furikae_funo", db_index=False
    )
    result_code = models.CharField("振替結果コード", max_length=1, choices=FurikaeResult.choices)
    amount = models.BigIntegerField("引落金額")
    transfer_on = models.DateField("引落日（振替日）")
    source = models.CharField("取込元", max_length=255)
    source_line = models.PositiveIntegerField("行番号")
    recorded_at = models.DateTimeField("記録日時")
    recorded_by = models.CharField("記録者", max_length=150)

    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "振替不能"
        constraints = [
            models.UniqueConstraint(fields=["tenant", "key"], name="shuno_funo_key_unique"),
        ]
        indexes = [models.Index(fields=["tenant", "chotei"], name="shuno_funo_chotei_idx")]
