"""Webhook subscriptions, their deliveries (the truth about what must reach a partner) and the
log of every attempt (docs/webhooks.md, docs/adr/0014-webhooks.md).

A delivery row is written in the transaction that writes its change-log row; tasks only carry
its id. A task that is lost (a worker killed, a queue flushed) costs nothing: the scheduler's
sweep re-enqueues every pending delivery that is due and not leased.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Change(models.TextChoices):
    """What a partner is told, whatever the cause (the payload's `reason` says why)."""

    PUBLISH = "publish", "Publish"
    UPDATE = "update", "Update"
    TAKEDOWN = "takedown", "Takedown (unpublish, kill, lost entitlement, ...)"


class WebhookSubscription(models.Model):
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(
        "URL",
        max_length=500,
        help_text="HTTPS endpoint that receives the signed POSTs (plain http only for loopback in development).",
    )
    # Kept in clear: signing needs it. Shown once when created or rotated, never again.
    secret = models.CharField(max_length=100, editable=False)
    on_publish = models.BooleanField("Publish", default=True, help_text="Content becomes visible.")
    on_update = models.BooleanField("Update", default=True, help_text="Visible content changes.")
    on_takedown = models.BooleanField(
        "Takedown", default=True, help_text="Content is unpublished, killed or leaves the entitlement."
    )
    active = models.BooleanField(
        default=True,
        help_text="Inactive: nothing is sent; pending deliveries wait and resume when reactivated.",
    )
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["partner__name", "url"]
        verbose_name = "webhook subscription"

    def __str__(self) -> str:
        return f"{self.partner.name}: {self.url}"

    def wants(self, change: str) -> bool:
        return {
            Change.PUBLISH: self.on_publish,
            Change.UPDATE: self.on_update,
            Change.TAKEDOWN: self.on_takedown,
        }[change]


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


class WebhookDelivery(models.Model):
    # Sent as Newsdesk-Delivery: receivers deduplicate on it (a delivery may arrive twice).
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    seq = models.BigIntegerField(help_text="The change-log sequence: receivers order by it per object.")
    object_type = models.CharField(max_length=10)
    object_id = models.BigIntegerField()
    change = models.CharField(max_length=10, choices=Change.choices)
    reason = models.CharField(max_length=20)
    changed_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Held by the worker running an attempt; an expired lease means that worker died.
    leased_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    # The JSON body, frozen at the first attempt so every retry sends the same bytes.
    body = models.TextField(blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-seq"]
        verbose_name = "webhook delivery"
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhooks_due_idx"),
            models.Index(fields=["finished_at"], name="webhooks_finished_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["subscription", "seq"], name="webhooks_one_delivery_per_change"),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="webhooks_status_valid"
            ),
            models.CheckConstraint(condition=Q(change__in=Change.values), name="webhooks_change_valid"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.change} {self.object_type}:{self.object_id} → {self.subscription.url}"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    latency_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    response_excerpt = models.TextField(blank=True)
    outcome = models.CharField(max_length=10)  # delivered, retry, failed

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"attempt {self.number}: {self.status_code or self.error}"


class WorkerHeartbeat(models.Model):
    """The one row a background task touches each sweep: /healthz reports its age."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    beat_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="webhooks_heartbeat_single_row")]

    def __str__(self) -> str:
        return f"worker seen {self.beat_at:%Y-%m-%d %H:%M:%S}"
