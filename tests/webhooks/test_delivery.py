"""Acceptance 1-3: publish, takedown, retries and disabling, against a real receiver on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import override_settings

from apps.changes.services import kill_article
from apps.webhooks import services, signing
from apps.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery, WebhookSubscription
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

# The first attempt runs where the task runs; inline here, so the test sees it at commit.
INLINE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}


def attempt_all(transport=None) -> list[str | None]:
    """One attempt at every pending delivery that is due, as the worker would make them."""
    pending = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).order_by("seq")
    return [services.attempt(pk, transport=transport) for pk in pending.values_list("pk", flat=True)]


@override_settings(TASKS=INLINE_TASKS)
def test_publishing_an_entitled_article_delivers_one_signed_request(
    sahel, west_africa, receiver, subscribe, django_capture_on_commit_callbacks
):
    subscription = subscribe(receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        article = ArticlePageFactory(parent=sahel, title="Border crossings reopen at Gao")
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePageFactory(parent=west_africa, title="A story outside the partner's sections")

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert signing.verify_signature(subscription.secret, request.headers["Newsdesk-Signature"], request.body)
    assert not signing.verify_signature("whsec_other", request.headers["Newsdesk-Signature"], request.body)
    body = json.loads(request.body)
    delivery = WebhookDelivery.objects.get()
    assert request.headers["Newsdesk-Delivery"] == str(delivery.pk) == body["delivery"]
    assert body["change"] == "publish"
    assert body["reason"] == "published"
    assert body["object"] == {
        "type": "article",
        "id": article.pk,
        "uri": f"urn:newsdesk:article:{article.pk}",
    }
    assert body["article"]["title"] == "Border crossings reopen at Gao"
    assert body["article"]["body_html"]
    assert body["url"] == body["article"]["url"]
    assert body["api_url"] == f"http://testserver/api/v1/articles/{article.pk}/"
    assert delivery.status == DeliveryStatus.DELIVERED
    assert delivery.seq == body["seq"] > 0
    attempt = WebhookAttempt.objects.get()
    assert (attempt.number, attempt.status_code, attempt.outcome) == (1, 200, "delivered")
    assert attempt.response_excerpt == '{"ok": true}'


def test_the_article_sent_is_the_api_representation(sahel, receiver, subscribe, api):
    subscribe(receiver.url)
    article = ArticlePageFactory(parent=sahel)
    assert attempt_all() == ["delivered"]
    sent = json.loads(receiver.requests[0].body)["article"]
    assert sent == api.get(f"/api/v1/articles/{article.pk}/").json()


def test_an_inactive_partner_or_an_unwanted_change_gets_nothing(sahel, partner, receiver, subscribe):
    subscribe(receiver.url, on_publish=False)
    ArticlePageFactory(parent=sahel)
    assert not WebhookDelivery.objects.exists()
    partner.active = False
    partner.save()
    subscribe(receiver.url)
    ArticlePageFactory(parent=sahel)
    assert not WebhookDelivery.objects.exists()


def test_unpublishing_delivers_a_takedown(sahel, receiver, subscribe):
    subscribe(receiver.url)
    article = ArticlePageFactory(parent=sahel)
    article.unpublish()
    assert attempt_all() == ["delivered", "delivered"]
    publish, takedown = (json.loads(r.body) for r in receiver.requests)
    assert publish["change"] == "publish"
    assert takedown["change"] == "takedown"
    assert takedown["reason"] == "unpublished"
    assert takedown["ninjs_pubstatus"] == "withheld"
    assert takedown["object"]["id"] == article.pk
    assert takedown["seq"] > publish["seq"]
    assert "article" not in takedown


def test_a_kill_delivers_a_takedown_saying_kill(sahel, receiver, subscribe):
    subscribe(receiver.url, on_publish=False)
    article = ArticlePageFactory(parent=sahel)
    kill_article(page=article, category="legal", reason="A court ordered the story withdrawn.")
    assert attempt_all() == ["delivered"]
    body = json.loads(receiver.requests[0].body)
    assert (body["change"], body["reason"], body["ninjs_pubstatus"]) == ("takedown", "kill", "canceled")


@override_settings(WEBHOOKS_RETRY_BASE_SECONDS=0)
def test_500_twice_then_200_is_three_attempts_all_logged(sahel, receiver, subscribe):
    receiver.statuses = [500, 500, 200]
    subscribe(receiver.url)
    ArticlePageFactory(parent=sahel)
    delivery = WebhookDelivery.objects.get()
    outcomes = [services.attempt(delivery.pk) for _ in range(3)]

    assert outcomes == ["retry", "retry", "delivered"]
    assert len(receiver.requests) == 3
    # Every attempt sends the same body and delivery id (receivers deduplicate on it).
    assert len({r.body for r in receiver.requests}) == 1
    assert {r.headers["Newsdesk-Delivery"] for r in receiver.requests} == {str(delivery.pk)}
    log = list(
        WebhookAttempt.objects.filter(delivery=delivery).values_list("number", "status_code", "outcome")
    )
    assert log == [(1, 500, "retry"), (2, 500, "retry"), (3, 200, "delivered")]
    assert all(a.latency_ms >= 0 and a.response_excerpt for a in WebhookAttempt.objects.all())
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 3)
    assert services.attempt(delivery.pk) is None  # done: nothing more is sent
    assert len(receiver.requests) == 3


@override_settings(WEBHOOKS_RETRY_BASE_SECONDS=0, WEBHOOKS_MAX_ATTEMPTS=4)
def test_a_receiver_that_always_fails_disables_the_subscription_at_the_limit(sahel, receiver, subscribe):
    receiver.statuses = [503]
    subscription = subscribe(receiver.url)
    ArticlePageFactory(parent=sahel)
    delivery = WebhookDelivery.objects.get()
    outcomes = [services.attempt(delivery.pk) for _ in range(5)]

    assert outcomes == ["retry", "retry", "retry", "failed", None]
    assert len(receiver.requests) == 4
    subscription.refresh_from_db()
    delivery.refresh_from_db()
    assert not subscription.active
    assert subscription.disabled_at is not None
    assert "4 attempts failed" in subscription.disabled_reason
    assert delivery.status == DeliveryStatus.FAILED
    # A disabled subscription gets no new deliveries.
    ArticlePageFactory(parent=sahel)
    assert WebhookDelivery.objects.count() == 1


def test_the_partner_docs_state_the_limit_and_backoff_in_force():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "webhooks.md").read_text()
    assert f"{services.DEFAULTS['WEBHOOKS_MAX_ATTEMPTS']} attempts per delivery" in docs
    assert f"`{services.DEFAULTS['WEBHOOKS_RETRY_BASE_SECONDS']} s · 2^(n-1)`" in docs


@override_settings(WEBHOOKS_RETRY_BASE_SECONDS=0, WEBHOOKS_MAX_ATTEMPTS=2)
def test_an_unexpected_error_counts_as_a_failed_attempt(sahel, subscribe):
    subscribe("http://127.0.0.1:9/hook")
    ArticlePageFactory(parent=sahel)
    delivery = WebhookDelivery.objects.get()
    # A malformed stored URL: the attempt fails without a request, and is counted.
    WebhookSubscription.objects.update(url="http://[::1/hook")
    assert [services.attempt(delivery.pk) for _ in range(2)] == ["retry", "failed"]
    assert WebhookAttempt.objects.filter(delivery=delivery).count() == 2


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (400, "failed"),
        (404, "failed"),
        (301, "failed"),
        (408, "retry"),
        (429, "retry"),
        (502, "retry"),
        (204, "delivered"),
    ],
)
def test_which_answers_are_retried(sahel, receiver, subscribe, status, outcome):
    receiver.statuses = [status]
    subscription = subscribe(receiver.url)
    ArticlePageFactory(parent=sahel)
    assert attempt_all() == [outcome]
    subscription.refresh_from_db()
    assert subscription.active  # one refused request does not disable a subscription


def test_a_network_error_is_retried(sahel, subscribe):
    # A port nobody listens on: bind one, note it, close it.
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subscribe(f"http://127.0.0.1:{port}/hook")
    ArticlePageFactory(parent=sahel)
    assert attempt_all() == ["retry"]
    attempt = WebhookAttempt.objects.get()
    assert attempt.status_code is None
    assert "ConnectError" in attempt.error


def test_backoff_grows_exponentially_with_jitter_and_a_cap():
    import random

    rng = random.Random(7)
    delays = [services.retry_delay(n, rng=rng) for n in range(1, 10)]
    for n, delay in enumerate(delays, start=1):
        ceiling = min(3600, 60 * 2 ** (n - 1))
        assert ceiling / 2 <= delay <= ceiling
    assert len({round(d, 3) for d in delays[-3:]}) == 3  # jittered even at the cap
