"""Reads for the admin and /healthz."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Min, Q
from django.utils import timezone

from apps.webhooks.models import DeliveryStatus, WebhookDelivery, WorkerHeartbeat


def health(*, now: datetime | None = None, stale_after_seconds: float) -> dict:
    """The worker's last heartbeat and the delivery queue, in two queries."""
    now = now or timezone.now()
    beat = WorkerHeartbeat.objects.filter(pk=1).values_list("beat_at", flat=True).first()
    queue = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).aggregate(
        pending=Count("pk"),
        due=Count("pk", filter=Q(next_attempt_at__lte=now)),
        oldest_due=Min("next_attempt_at", filter=Q(next_attempt_at__lte=now)),
    )
    age = (now - beat).total_seconds() if beat else None
    oldest = queue["oldest_due"]
    return {
        "worker": {
            "status": "unknown" if age is None else "ok" if age <= stale_after_seconds else "stale",
            "last_heartbeat": beat.isoformat() if beat else None,
            "age_seconds": round(age, 1) if age is not None else None,
        },
        "webhooks": {
            "pending": queue["pending"],
            "due": queue["due"],
            "oldest_due_seconds": round((now - oldest).total_seconds(), 1) if oldest else 0,
        },
    }
