"""The row is the truth: the sweep re-queues retries, lost tasks and dead workers' attempts;
redelivery; pruning; /healthz; deliveries from entitlement changes."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks import task_backends

from apps.partners.services import changing_entitlements
from apps.webhooks import services
from apps.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WorkerHeartbeat
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

# Records what is queued without running it.
DUMMY_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"},
}


def queued_ids() -> list[str]:
    return [r.args[0] for r in task_backends["background"].results if r.task.name == "attempt_delivery"]


def deliveries(sahel, count: int) -> list[WebhookDelivery]:
    for _ in range(count):
        ArticlePageFactory(parent=sahel)
    return list(WebhookDelivery.objects.order_by("seq"))


@override_settings(TASKS=DUMMY_TASKS)
def test_publishing_queues_the_first_attempt_at_commit(
    sahel, receiver, subscribe, django_capture_on_commit_callbacks
):
    subscribe(receiver.url)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ArticlePageFactory(parent=sahel)
    assert queued_ids() == []  # nothing is queued before the transaction commits
    for callback in callbacks:
        callback()
    assert queued_ids() == [str(WebhookDelivery.objects.get().pk)]


@override_settings(TASKS=DUMMY_TASKS)
def test_the_sweep_queues_what_is_due_and_nothing_else(
    sahel, receiver, subscribe, django_capture_on_commit_callbacks
):
    subscribe(receiver.url)
    retry, leased, later, done, just_queued, lost, dead_worker = deliveries(sahel, 7)
    now = timezone.now()
    long_ago = now - timedelta(minutes=5)
    WebhookDelivery.objects.filter(pk=retry.pk).update(attempts=1, enqueued_at=None, next_attempt_at=now)
    WebhookDelivery.objects.filter(pk=leased.pk).update(
        leased_until=now + timedelta(seconds=30), enqueued_at=long_ago
    )
    WebhookDelivery.objects.filter(pk=later.pk).update(
        next_attempt_at=now + timedelta(minutes=3), enqueued_at=None
    )
    WebhookDelivery.objects.filter(pk=done.pk).update(status=DeliveryStatus.DELIVERED, enqueued_at=long_ago)
    WebhookDelivery.objects.filter(pk=just_queued.pk).update(enqueued_at=now - timedelta(seconds=5))
    WebhookDelivery.objects.filter(pk=lost.pk).update(enqueued_at=long_ago)
    WebhookDelivery.objects.filter(pk=dead_worker.pk).update(
        leased_until=now - timedelta(seconds=1), enqueued_at=long_ago
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep(now=now) == 3
    assert sorted(queued_ids()) == sorted(str(d.pk) for d in (retry, lost, dead_worker))
    assert any(r.task.name == "heartbeat" for r in task_backends["background"].results)
    # Queued again now: the next sweep leaves them alone for a lease period.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep(now=now + timedelta(seconds=10)) == 0


def test_an_attempt_whose_worker_died_is_sent_again_with_the_same_id(sahel, receiver, subscribe):
    subscribe(receiver.url)
    (delivery,) = deliveries(sahel, 1)
    # A worker claimed it and died before recording anything.
    assert services._claim(delivery.pk, now=timezone.now()) is not None
    assert services.attempt(delivery.pk) is None  # the lease holds: nobody else sends it
    assert receiver.requests == []
    WebhookDelivery.objects.filter(pk=delivery.pk).update(leased_until=timezone.now() - timedelta(seconds=1))
    assert services.attempt(delivery.pk) == "delivered"
    assert receiver.requests[0].headers["Newsdesk-Delivery"] == str(delivery.pk)


def test_a_second_task_for_a_delivered_delivery_sends_nothing(sahel, receiver, subscribe):
    subscribe(receiver.url)
    (delivery,) = deliveries(sahel, 1)
    assert services.attempt(delivery.pk) == "delivered"
    assert services.attempt(delivery.pk) is None
    assert len(receiver.requests) == 1


def test_redeliver_sends_the_same_delivery_again(sahel, receiver, subscribe):
    subscribe(receiver.url)
    (delivery,) = deliveries(sahel, 1)
    assert services.attempt(delivery.pk) == "delivered"
    assert services.redeliver(delivery)
    assert services.attempt(delivery.pk) == "delivered"
    first, second = receiver.requests
    assert first.body == second.body
    assert first.headers["Newsdesk-Delivery"] == second.headers["Newsdesk-Delivery"]
    assert list(WebhookAttempt.objects.values_list("number", flat=True)) == [1, 2]


def test_an_inactive_subscription_keeps_its_pending_deliveries_for_later(sahel, receiver, subscribe):
    subscription = subscribe(receiver.url)
    (delivery,) = deliveries(sahel, 1)
    services.disable(subscription, reason="testing")
    assert services.attempt(delivery.pk) is None
    assert not services.redeliver(delivery)
    subscription.refresh_from_db()
    services.reactivate(subscription)
    subscription.save()
    assert services.attempt(delivery.pk) == "delivered"


def test_prune_drops_finished_deliveries_past_retention_and_old_task_results(sahel, receiver, subscribe):
    from django_tasks_db.models import DBTaskResult

    subscribe(receiver.url)
    old, recent, pending = deliveries(sahel, 3)
    now = timezone.now()
    for delivery in (old, recent):
        services.attempt(delivery.pk)
    WebhookDelivery.objects.filter(pk=old.pk).update(finished_at=now - timedelta(days=31))
    WebhookDelivery.objects.filter(pk=recent.pk).update(finished_at=now - timedelta(days=29))
    WebhookDelivery.objects.filter(pk=pending.pk).update(created_at=now - timedelta(days=90))
    stale_result = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="apps.webhooks.tasks.heartbeat",
        backend_name="background",
        queue_name="default",
        run_after=now - timedelta(days=9),
        status="SUCCESSFUL",
        finished_at=now - timedelta(days=8),
    )

    result = services.prune(now=now)

    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert not WebhookAttempt.objects.filter(delivery_id=old.pk).exists()
    assert not DBTaskResult.objects.filter(pk=stale_result.pk).exists()
    assert result["deliveries"] >= 2  # the delivery and its attempt
    assert result["task_results"] == 1


def test_healthz_reports_the_worker_heartbeat_and_the_queue(sahel, client, receiver, subscribe):
    subscribe(receiver.url)
    deliveries(sahel, 2)
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["worker"] == {"status": "unknown", "last_heartbeat": None, "age_seconds": None}
    assert body["webhooks"]["pending"] == 2
    assert body["webhooks"]["due"] == 2

    services.beat()
    assert client.get("/healthz").json()["worker"]["status"] == "ok"
    WorkerHeartbeat.objects.update(beat_at=timezone.now() - timedelta(hours=1))
    assert client.get("/healthz").json()["worker"]["status"] == "stale"


def test_healthz_queries_stay_fixed(sahel, client, receiver, subscribe, django_assert_max_num_queries):
    subscribe(receiver.url)
    deliveries(sahel, 5)
    with django_assert_max_num_queries(3):  # SELECT 1, heartbeat, queue aggregate
        assert client.get("/healthz").status_code == 200


def test_without_subscriptions_a_change_costs_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert services.record_deliveries([]) == []


def test_granting_and_removing_a_section_delivers_publishes_and_takedowns(
    partner, key, sahel, west_africa, receiver, subscribe
):
    subscribe(receiver.url)
    article = ArticlePageFactory(parent=west_africa)
    assert not WebhookDelivery.objects.exists()  # not entitled to West Africa yet

    with changing_entitlements(partner):
        partner.sections.add(west_africa)
    with changing_entitlements(partner):
        partner.sections.remove(west_africa)

    assert [services.attempt(d.pk) for d in WebhookDelivery.objects.order_by("seq")] == ["delivered"] * 2
    granted, lost = (json.loads(r.body) for r in receiver.requests)
    assert (granted["change"], granted["reason"], granted["object"]["id"]) == (
        "publish",
        "entitlement",
        article.pk,
    )
    assert (lost["change"], lost["reason"]) == ("takedown", "entitlement")
