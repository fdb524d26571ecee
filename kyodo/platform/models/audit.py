"""アクセスログ: the append-only, hash-chained audit trail.

Each municipality has its own chain (``chain`` = its code) and the platform has one more
(``chain`` = "-") for actions of consortium operators and logins of unknown user names.
A chain per tenant keeps the chains independent, so one municipality's trail can be exported,
verified or purged (when it leaves the consortium) without touching the others'.

The application role may only SELECT and INSERT these tables' rows (the schema guard revokes
UPDATE and DELETE), and every record carries an HMAC over its content and its predecessor's
hash, so an alteration or a removal by someone with more rights is still detected by
``kyodo audit verify``.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models

PLATFORM_CHAIN = "-"


class AuditAction(models.TextChoices):
    LOGIN = "login", "ログイン"
    LOGIN_FAILED = "login_failed", "ログイン失敗"
    LOCKED_OUT = "locked_out", "ロックアウト"
    LOGOUT = "logout", "ログアウト"
    READ = "read", "参照"
    CHANGE = "change", "更新"
    ISSUE = "issue", "証明書発行"
    REVEAL = "reveal", "個人番号表示"
    DENIED = "denied", "拒否"
    EXPORT = "export", "出力"
    MANAGE = "manage", "管理"


class AuditChainHead(models.Model):
    """The last record of each chain: the lock that serialises appends, and the anchor that
    lets ``verify`` notice records removed from the end."""

    chain = models.CharField(max_length=6, primary_key=True)
    tenant = models.ForeignKey(
        "platform.Tenant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="")

    # Rows with a NULL tenant belong to the platform chain, visible only with no tenant set.
    rls_policy: ClassVar[str] = "nullable"

    class Meta:
        verbose_name = "監査ログ連鎖"

    def __str__(self) -> str:
        return f"chain {self.chain} @ {self.last_seq}"


class AuditRecord(models.Model):
    id = models.BigAutoField(primary_key=True)
    chain = models.CharField(max_length=6)
    tenant = models.ForeignKey(
        "platform.Tenant", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    seq = models.BigIntegerField()
    occurred_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=60, blank=True)
    purpose = models.CharField(max_length=200, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    rls_policy: ClassVar[str] = "nullable"
    append_only: ClassVar[bool] = True

    class Meta:
        verbose_name = "監査ログ"
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique"),
        ]
        indexes = [models.Index(fields=["chain", "occurred_at"], name="audit_chain_time_idx")]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action} {self.object_type}:{self.object_id}"
