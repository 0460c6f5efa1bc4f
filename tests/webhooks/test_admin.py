"""Webhooks in the Wagtail admin: the secret shown once, the URL rules, a disabled
subscription's partner contact, the delivery log with its attempts, and redeliver."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from apps.webhooks import services
from apps.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookSubscription
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(desk, client):
    client.force_login(get_user_model().objects.get(username="editor"))
    return client


def _form(partner, url: str, **extra) -> dict:
    return {
        "partner": partner.pk,
        "url": url,
        "on_publish": "on",
        "on_takedown": "on",
        "active": "on",
        **extra,
    }


def test_creating_a_subscription_shows_its_secret_once(editor_client, partner):
    response = editor_client.post(
        reverse("webhook_subscriptions:add"), _form(partner, "https://mirror.example.org/hook")
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    subscription = WebhookSubscription.objects.get()
    assert subscription.secret.startswith("whsec_")
    assert subscription.secret in response.content.decode()
    assert (subscription.on_publish, subscription.on_update, subscription.on_takedown) == (True, False, True)
    edit = editor_client.get(reverse("webhook_subscriptions:edit", args=[subscription.pk]))
    assert edit.status_code == 200
    assert subscription.secret not in edit.content.decode()
    index = editor_client.get(reverse("webhook_subscriptions:index"))
    assert subscription.secret not in index.content.decode()


def test_rotating_the_secret_shows_the_new_one_once(editor_client, partner, subscribe):
    subscription = subscribe("https://mirror.example.org/hook")
    old = subscription.secret
    response = editor_client.post(
        reverse("webhook_subscriptions:edit", args=[subscription.pk]),
        _form(partner, subscription.url, rotate_secret="on"),
    )
    subscription.refresh_from_db()
    assert subscription.secret != old
    assert subscription.secret in response.content.decode()


@override_settings(WEBHOOKS_ALLOW_LOOPBACK=False)
@pytest.mark.parametrize(
    "url", ["http://mirror.example.org/hook", "http://127.0.0.1:8001/hook", "ftp://mirror.example.org/"]
)
def test_the_form_refuses_plain_http_where_loopback_is_not_allowed(editor_client, partner, url):
    response = editor_client.post(reverse("webhook_subscriptions:add"), _form(partner, url))
    assert response.status_code == 200
    assert not WebhookSubscription.objects.exists()
    assert response.context["form"].errors["url"]


def test_the_form_wants_at_least_one_kind_of_change(editor_client, partner):
    data = _form(partner, "https://mirror.example.org/hook")
    del data["on_publish"], data["on_takedown"]
    editor_client.post(reverse("webhook_subscriptions:add"), data)
    assert not WebhookSubscription.objects.exists()


def test_a_disabled_subscription_shows_the_partners_contact(editor_client, partner, subscribe):
    partner.contact_name, partner.contact_email = "Awa Traoré", "awa@lagoonpost.example"
    partner.save()
    subscription = subscribe("https://mirror.example.org/hook")
    services.disable(subscription, reason="8 attempts failed for delivery x: HTTP 503")
    index = editor_client.get(reverse("webhook_subscriptions:index")).content.decode()
    assert "Awa Traoré" in index and "awa@lagoonpost.example" in index
    edit = editor_client.get(reverse("webhook_subscriptions:edit", args=[subscription.pk]), follow=True)
    page = edit.content.decode()
    assert "Disabled on" in page and "awa@lagoonpost.example" in page and "HTTP 503" in page

    editor_client.post(
        reverse("webhook_subscriptions:edit", args=[subscription.pk]), _form(partner, subscription.url)
    )
    subscription.refresh_from_db()
    assert subscription.active and subscription.disabled_at is None and subscription.disabled_reason == ""


@override_settings(WEBHOOKS_RETRY_BASE_SECONDS=0)
def test_the_delivery_log_shows_attempts_and_redelivers(editor_client, sahel, receiver, subscribe):
    receiver.statuses = [500, 200]
    subscribe(receiver.url)
    ArticlePageFactory(parent=sahel)
    delivery = WebhookDelivery.objects.get()
    services.attempt(delivery.pk)
    services.attempt(delivery.pk)

    index = editor_client.get(reverse("webhook_deliveries:index"))
    assert index.status_code == 200
    assert "delivered" in index.content.decode().lower()
    inspect = editor_client.get(reverse("webhook_deliveries:inspect", args=[delivery.pk]))
    page = inspect.content.decode()
    assert inspect.status_code == 200
    assert "receiver says no" in page and "Redeliver" in page
    assert [a.status_code for a in inspect.context["attempts"]] == [500, 200]

    response = editor_client.post(reverse("webhook_deliveries:redeliver", args=[delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)


def test_the_delivery_log_is_read_only(editor_client, sahel, receiver, subscribe):
    subscribe(receiver.url)
    ArticlePageFactory(parent=sahel)
    delivery = WebhookDelivery.objects.get()
    assert editor_client.get(reverse("webhook_deliveries:add")).status_code in {302, 403}
    assert editor_client.get(reverse("webhook_deliveries:edit", args=[delivery.pk])).status_code in {302, 403}


def test_reporters_cannot_redeliver(desk, client, sahel, receiver, subscribe):
    subscribe(receiver.url)
    ArticlePageFactory(parent=sahel)
    delivery = WebhookDelivery.objects.get()
    client.force_login(get_user_model().objects.get(username="reporter"))
    assert client.post(reverse("webhook_deliveries:redeliver", args=[delivery.pk])).status_code in {302, 403}
    delivery.refresh_from_db()
    assert delivery.attempts == 0 and delivery.enqueued_at is not None


def test_the_delivery_log_queries_do_not_grow_with_rows(
    editor_client, sahel, receiver, subscribe, django_assert_max_num_queries
):
    subscribe(receiver.url)
    for _ in range(3):
        ArticlePageFactory(parent=sahel)
    with django_assert_max_num_queries(40) as few:
        editor_client.get(reverse("webhook_deliveries:index"))
    for _ in range(6):
        ArticlePageFactory(parent=sahel)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert editor_client.get(reverse("webhook_deliveries:index")).status_code == 200
