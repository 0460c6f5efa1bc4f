"""Webhook rules: which change-log rows become deliveries, one attempt, retries and backoff,
the sweep that re-enqueues what a lost task or a dead worker left behind, and pruning.

Delivery is at least once: an attempt is claimed with a lease (a conditional UPDATE), sent
outside any transaction, then recorded only by the holder of that lease. A worker killed
mid-attempt leaves the lease to expire and the sweep sends the delivery again, with the same
Newsdesk-Delivery id. Nothing here depends on which task backend runs the tasks.
"""

from __future__ import annotations

import json
import logging
import random
import time
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

import httpx
from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from apps.api.selectors import article_json, attach_representations, for_representation, partner_articles
from apps.changes.models import Action, ObjectType
from apps.changes.models import Change as ChangeRow
from apps.changes.selectors import entry_for
from apps.core.public_urls import absolute_url
from apps.partners.selectors import entitled_section_ids
from apps.webhooks import sender, signing
from apps.webhooks.models import (
    Change,
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
    WorkerHeartbeat,
)

logger = logging.getLogger(__name__)

USER_AGENT = "Newsdesk-Webhooks/1"
# Defaults, each overridable by a setting of the same name (docs/webhooks.md).
DEFAULTS = {
    "WEBHOOKS_MAX_ATTEMPTS": 8,
    "WEBHOOKS_RETRY_BASE_SECONDS": 60,
    "WEBHOOKS_RETRY_CAP_SECONDS": 3600,
    "WEBHOOKS_CONNECT_TIMEOUT": 5.0,
    "WEBHOOKS_READ_TIMEOUT": 10.0,
    "WEBHOOKS_LEASE_SECONDS": 60,
    "WEBHOOKS_SWEEP_SECONDS": 60,
    "WEBHOOKS_SWEEP_BATCH": 500,
    "WEBHOOKS_ALLOW_LOOPBACK": False,
    "WEBHOOKS_LOG_RETENTION_DAYS": 30,
    "TASK_RESULT_RETENTION_DAYS": 7,
}
# Upsert reasons that make something newly visible to the partner; other upserts are updates.
PUBLISH_REASONS = {"published", "moved_in", "entitlement", "approved", "backfill"}
RETRY_STATUSES = {408, 429}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


def change_for(action: str, reason: str) -> str:
    if action == Action.TOMBSTONE:
        return Change.TAKEDOWN
    return Change.PUBLISH if reason in PUBLISH_REASONS else Change.UPDATE


# Writing deliveries: called by changes through the after_change_logged hook, inside the
# transaction that writes the rows.


def record_deliveries(rows: Iterable[ChangeRow]) -> list[WebhookDelivery]:
    """One delivery per (active subscription, row its partner may see, change it wants);
    the first attempts are enqueued once the transaction commits."""
    subscriptions = list(
        WebhookSubscription.objects.filter(active=True, partner__active=True).select_related("partner")
    )
    if not subscriptions:
        return []
    rows = list(rows)
    now = timezone.now()
    sections: dict[int, set[int]] = {}
    deliveries = []
    for subscription in subscriptions:
        partner = subscription.partner
        if partner.pk not in sections:
            sections[partner.pk] = set(entitled_section_ids(partner))
        for row in rows:
            if row.partner_id is not None and row.partner_id != partner.pk:
                continue  # another partner's own row (its entitlement changed)
            entry = entry_for(row, section_ids=sections[partner.pk])
            if entry is None:
                continue
            change = change_for(entry.action, entry.reason)
            if not subscription.wants(change):
                continue
            deliveries.append(
                WebhookDelivery(
                    subscription=subscription,
                    seq=entry.seq,
                    object_type=entry.object_type,
                    object_id=entry.object_id,
                    change=change,
                    reason=entry.reason,
                    changed_at=entry.changed_at,
                    next_attempt_at=now,
                    enqueued_at=now,
                )
            )
    if deliveries:
        WebhookDelivery.objects.bulk_create(deliveries)
        ids = [delivery.pk for delivery in deliveries]
        transaction.on_commit(lambda: enqueue(ids))
    return deliveries


def enqueue(ids: Iterable[uuid.UUID]) -> int:
    """Queue one attempt per id. A failure to queue is only logged: the row is the truth and
    the sweep queues it again after a lease."""
    from apps.webhooks import tasks  # tasks imports this module

    queued = 0
    for pk in ids:
        try:
            tasks.attempt_delivery.enqueue(str(pk))
        except Exception:
            logger.warning("could not queue webhook delivery %s; the sweep will", pk, exc_info=True)
        else:
            queued += 1
    return queued


# The body partners receive.


def _object_url(object_type: str, object_id: int) -> str:
    return absolute_url(reverse(f"api:{object_type}-detail", args=[object_id]))


def build_body(delivery: WebhookDelivery) -> str:
    """The JSON body: the change, its sequence and object, and for an article publish or update
    the article as the API serves it to this partner now (null if it can no longer see it: a
    takedown with a later sequence follows)."""
    partner = delivery.subscription.partner
    payload = {
        "delivery": str(delivery.pk),
        "change": delivery.change,
        "reason": delivery.reason,
        "seq": delivery.seq,
        "changed_at": delivery.changed_at,
        "object": {
            "type": delivery.object_type,
            "id": delivery.object_id,
            "uri": f"urn:newsdesk:{delivery.object_type}:{delivery.object_id}",
        },
        "url": None,
        "api_url": _object_url(delivery.object_type, delivery.object_id),
    }
    if delivery.object_type == ObjectType.ARTICLE:
        if delivery.change == Change.TAKEDOWN:
            payload["ninjs_pubstatus"] = "canceled" if delivery.reason == "kill" else "withheld"
        else:
            visible = partner_articles(partner)
            article = for_representation(visible).filter(pk=delivery.object_id).first()
            if article is not None:
                attach_representations([article], visible=visible)
                payload["article"] = article_json(article)
                payload["url"] = payload["article"]["url"]
            else:
                payload["article"] = None
    return json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":"), ensure_ascii=False)


# One attempt.


def retry_delay(attempts: int, *, rng: random.Random | None = None) -> float:
    """Exponential backoff with equal jitter: half of base·2^(n-1) (capped) plus a random part
    up to the other half, so receivers coming back up are not hit by every retry at once."""
    base = float(setting("WEBHOOKS_RETRY_BASE_SECONDS"))
    ceiling = min(float(setting("WEBHOOKS_RETRY_CAP_SECONDS")), base * 2 ** max(attempts - 1, 0))
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


def _claim(pk: uuid.UUID, *, now: datetime) -> uuid.UUID | None:
    """Take the lease on a due delivery; None when it is not due, finished, or leased."""
    token = uuid.uuid4()
    lease = timedelta(seconds=setting("WEBHOOKS_LEASE_SECONDS"))
    claimed = (
        WebhookDelivery.objects.filter(pk=pk, status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .update(leased_until=now + lease, lease_token=token)
    )
    return token if claimed else None


def attempt(
    pk: uuid.UUID | str,
    *,
    resolver: sender.Resolver | None = None,
    transport: httpx.BaseTransport | None = None,
) -> str | None:
    """Make one attempt at a delivery. Returns the outcome (delivered, retry, failed), or None
    when there was nothing to do (not due, already done, leased by another worker, or its
    subscription is inactive)."""
    pk = uuid.UUID(str(pk))
    now = timezone.now()
    delivery = WebhookDelivery.objects.select_related("subscription__partner").filter(pk=pk).first()
    if delivery is None or not delivery.subscription.active:
        return None
    token = _claim(pk, now=now)
    if token is None:
        return None
    subscription = delivery.subscription
    started = timezone.now()
    clock = time.monotonic()
    status_code, error, excerpt = None, "", ""
    try:
        if not delivery.body:
            delivery.body = build_body(delivery)
            WebhookDelivery.objects.filter(pk=pk, lease_token=token).update(body=delivery.body)
        body = delivery.body.encode()
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Newsdesk-Delivery": str(delivery.pk),
            "Newsdesk-Signature": signing.signature_header(subscription.secret, body),
        }
        response = sender.post(
            subscription.url,
            body=body,
            headers=headers,
            resolver=resolver or sender.system_resolver,
            allow_loopback=setting("WEBHOOKS_ALLOW_LOOPBACK"),
            connect_timeout=setting("WEBHOOKS_CONNECT_TIMEOUT"),
            read_timeout=setting("WEBHOOKS_READ_TIMEOUT"),
            transport=transport,
        )
    except sender.Refused as refused:
        error, outcome = f"refused: {refused}", "failed"
    except httpx.HTTPError as network:
        error, outcome = f"{type(network).__name__}: {network}", "retry"
    except Exception as unexpected:
        # Counted like a network error, so a delivery that cannot be sent ends at the limit
        # instead of being re-queued after every lease.
        logger.exception("webhook delivery %s: attempt failed", pk)
        error, outcome = f"{type(unexpected).__name__}: {unexpected}", "retry"
    else:
        status_code, excerpt = response.status_code, response.excerpt
        if 200 <= status_code < 300:
            outcome = "delivered"
        elif status_code >= 500 or status_code in RETRY_STATUSES:
            outcome = "retry"
        else:
            outcome = "failed"  # the receiver refused this request: retrying will not help
    latency_ms = int((time.monotonic() - clock) * 1000)
    attempts = delivery.attempts + 1
    exhausted = outcome == "retry" and attempts >= setting("WEBHOOKS_MAX_ATTEMPTS")
    if exhausted:
        outcome = "failed"
    _record(
        delivery, token, started, attempts, outcome, status_code, error[:300], excerpt, latency_ms, exhausted
    )
    return outcome


@transaction.atomic
def _record(delivery, token, started, attempts, outcome, status_code, error, excerpt, latency_ms, exhausted):
    now = timezone.now()
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=WebhookAttempt.objects.filter(delivery=delivery).count() + 1,
        started_at=started,
        latency_ms=latency_ms,
        status_code=status_code,
        error=error,
        response_excerpt=excerpt,
        outcome=outcome,
    )
    update = {
        "attempts": attempts,
        "leased_until": None,
        "lease_token": None,
        "last_status_code": status_code,
        "last_error": error,
    }
    if outcome == "retry":
        # Nothing is queued now: the sweep queues the retry once it is due.
        update.update(next_attempt_at=now + timedelta(seconds=retry_delay(attempts)), enqueued_at=None)
    else:
        update.update(status=outcome, finished_at=now)
    # Only the lease holder writes; a holder that overran its lease lost it to a later attempt.
    WebhookDelivery.objects.filter(pk=delivery.pk, lease_token=token).update(**update)
    if exhausted:
        disable(
            delivery.subscription,
            reason=f"{attempts} attempts failed for delivery {delivery.pk}: {error or f'HTTP {status_code}'}",
            now=now,
        )


def disable(subscription: WebhookSubscription, *, reason: str, now: datetime | None = None) -> bool:
    return bool(
        WebhookSubscription.objects.filter(pk=subscription.pk, active=True).update(
            active=False, disabled_at=now or timezone.now(), disabled_reason=reason[:1000]
        )
    )


def reactivate(subscription: WebhookSubscription) -> None:
    subscription.active = True
    subscription.disabled_at = None
    subscription.disabled_reason = ""


@transaction.atomic
def redeliver(delivery: WebhookDelivery) -> bool:
    """Send a delivery again (same id, same body, a fresh attempt budget). False while its
    subscription is inactive or an attempt holds it."""
    now = timezone.now()
    if not WebhookSubscription.objects.filter(pk=delivery.subscription_id, active=True).exists():
        return False
    updated = (
        WebhookDelivery.objects.filter(pk=delivery.pk)
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .update(
            status=DeliveryStatus.PENDING,
            attempts=0,
            next_attempt_at=now,
            finished_at=None,
            enqueued_at=now,
            leased_until=None,
            lease_token=None,
        )
    )
    if updated:
        transaction.on_commit(lambda: enqueue([delivery.pk]))
    return bool(updated)


# Periodic jobs (registered in wagtail_hooks.py).


def due_deliveries(*, now: datetime):
    """Pending deliveries of active subscriptions that are due, not leased, and not queued in
    the last lease period (a queued task nobody ran, its worker gone, is queued again)."""
    lease = timedelta(seconds=setting("WEBHOOKS_LEASE_SECONDS"))
    return (
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now, subscription__active=True
        )
        .filter(Q(leased_until__isnull=True) | Q(leased_until__lt=now))
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=now - lease))
    )


@transaction.atomic
def sweep(*, now: datetime | None = None) -> int:
    """Queue every due delivery again (retries, lost tasks, expired leases) and a heartbeat."""
    from apps.webhooks import tasks

    now = now or timezone.now()
    ids = list(
        due_deliveries(now=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[: setting("WEBHOOKS_SWEEP_BATCH")]
    )
    if ids:
        WebhookDelivery.objects.filter(pk__in=ids).update(enqueued_at=now)
        transaction.on_commit(lambda: enqueue(ids))
    transaction.on_commit(lambda: tasks.heartbeat.enqueue())
    return len(ids)


def beat(*, now: datetime | None = None) -> None:
    WorkerHeartbeat.objects.update_or_create(pk=1, defaults={"beat_at": now or timezone.now()})


@transaction.atomic
def prune(*, now: datetime | None = None) -> dict[str, int]:
    """Drop finished deliveries (with their attempts) and finished task results past their
    retention windows."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=setting("WEBHOOKS_LOG_RETENTION_DAYS"))
    deliveries, _ = (
        WebhookDelivery.objects.filter(finished_at__lt=cutoff).exclude(status=DeliveryStatus.PENDING).delete()
    )
    results = 0
    if apps.is_installed("django_tasks_db"):
        task_cutoff = now - timedelta(days=setting("TASK_RESULT_RETENTION_DAYS"))
        model = apps.get_model("django_tasks_database", "DBTaskResult")
        results, _ = model.objects.finished().filter(finished_at__lt=task_cutoff).delete()
    return {"deliveries": deliveries, "task_results": results}
