"""The transactional outbox and its deliveries."""

from __future__ import annotations

from typing import ClassVar

from django.db import models

from kyodo.platform.models import TenantForeignKey, TenantOwned


class OutboxEvent(TenantOwned):
    """An event, written in the same transaction as the change it reports."""

    name = models.CharField(max_length=60)
    atena_no = models.BigIntegerField(null=True, blank=True)  # the ordering key (per person)
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    append_only: ClassVar[bool] = True
    id_index: ClassVar[bool] = False  # reached within a municipality only (ADR 0015)

    class Meta:
        indexes = [models.Index(fields=["tenant", "name", "id"], name="linkage_event_name_idx")]

    def __str__(self) -> str:
        return f"{self.name}#{self.pk}"


class Status(models.TextChoices):
    PENDING = "pending", "未配信"
    DONE = "done", "配信済"
    DEAD = "dead", "配信不能"


class Delivery(TenantOwned):
    """One event to one subscriber: delivered at least once, in order per person."""

    id_index: ClassVar[bool] = False  # reached within a municipality only (ADR 0015)

    # No index of its own: the unique (tenant, event, subscriber) key serves lookups by event.
    event = TenantForeignKey(
        OutboxEvent, on_delete=models.PROTECT, related_name="deliveries", db_index=False
    )
    subscriber = models.CharField(max_length=60)
    atena_no = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "event", "subscriber"], name="linkage_delivery_unique"
            ),
        ]
        indexes = [models.Index(fields=["tenant", "status", "id"], name="linkage_pending_idx")]

    def __str__(self) -> str:
        return f"{self.event_id}→{self.subscriber} ({self.status})"


class ExternalSystem(TenantOwned):
    """An external system (e.g. water billing) registered by a municipality to receive events.

    Only the blind index of its bearer token is stored; ``grants`` maps each event name it may
    receive to the data items of that event it may see. It pulls them (the feed, by cursor),
    or — when ``webhook_url`` is set — the hub pushes them, signed with HMAC-SHA256 under the
    system's own secret (stored encrypted: the hub must sign with it)."""

    name = models.CharField(max_length=100)
    token_index = models.CharField(max_length=64)
    grants = models.JSONField(default=dict)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    webhook_url = models.CharField(max_length=500, blank=True)
    webhook_secret = models.TextField(blank=True)  # encrypted (platform.crypto)
    webhook_cursor = models.BigIntegerField(default=0)  # the last event id acknowledged
    webhook_attempts = models.PositiveIntegerField(default=0)  # consecutive failures
    webhook_next_at = models.DateTimeField(null=True, blank=True)
    webhook_error = models.TextField(blank=True)
    webhook_suspended = models.BooleanField(default=False)  # dead-lettered until resumed

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tenant", "name"], name="linkage_external_name_unique"),
        ]
        indexes = [
            models.Index(fields=["tenant", "token_index"], name="linkage_external_token_idx")
        ]

    def __str__(self) -> str:
        return self.name
