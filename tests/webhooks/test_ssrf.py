"""Acceptance 4: a URL that resolves to a private address is refused, and the request goes to
the address that was checked. The resolver is injected; the transport raises on any address
but 127.0.0.1, so nothing here leaves loopback."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from apps.webhooks import sender, services
from apps.webhooks.models import DeliveryStatus, WebhookAttempt, WebhookDelivery
from tests.factories import ArticlePageFactory


def resolver_for(table: dict[str, list[str]]):
    calls: list[str] = []

    def resolve(host: str, port: int) -> list[str]:
        calls.append(host)
        return table[host]

    resolve.calls = calls
    return resolve


@pytest.mark.django_db
def test_a_host_resolving_to_a_private_address_is_refused_without_a_connection(
    sahel, subscribe, loopback_only
):
    subscribe("https://partner-mirror.test/hook")
    ArticlePageFactory(parent=sahel)
    resolve = resolver_for({"partner-mirror.test": ["10.20.30.40"]})
    pk = WebhookDelivery.objects.get().pk

    assert services.attempt(pk, resolver=resolve, transport=loopback_only) == "failed"
    assert resolve.calls == ["partner-mirror.test"]
    assert loopback_only.hosts == []  # refused before any connection
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.FAILED
    assert "non-public address (10.20.30.40)" in WebhookAttempt.objects.get().error


@pytest.mark.django_db
@override_settings(WEBHOOKS_ALLOW_LOOPBACK=True)
def test_the_request_goes_to_the_checked_address_not_a_second_lookup(
    sahel, receiver, subscribe, loopback_only
):
    # The name exists only in the injected resolver: a second lookup by the HTTP client would fail.
    port = receiver.url.split(":")[2].split("/")[0]
    subscribe(f"http://receiver.test:{port}/hook")
    ArticlePageFactory(parent=sahel)
    resolve = resolver_for({"receiver.test": ["127.0.0.1"]})

    assert services.attempt(WebhookDelivery.objects.get().pk, resolver=resolve, transport=loopback_only) == (
        "delivered"
    )
    assert resolve.calls == ["receiver.test"]
    assert loopback_only.hosts == ["127.0.0.1"]
    assert receiver.requests[0].headers["Host"] == f"receiver.test:{port}"
    assert json.loads(receiver.requests[0].body)["change"] == "publish"


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.100.100.200",  # shared address space (another cloud's metadata)
        "0.0.0.0",  # noqa: S104 - an address to refuse, nothing binds it
        "::1",
        "fe80::1",
        "fd00:ec2::254",
        "::ffff:10.0.0.1",
        "224.0.0.1",
        "127.0.0.1",
    ],
)
def test_non_public_addresses_are_refused(address):
    resolve = resolver_for({"example.test": [address]})
    with pytest.raises(sender.Refused):
        sender.checked_address("https://example.test/hook", resolver=resolve, allow_loopback=False)


def test_one_private_address_among_public_ones_is_enough_to_refuse():
    resolve = resolver_for({"example.test": ["93.184.216.34", "192.168.0.9"]})
    with pytest.raises(sender.Refused):
        sender.checked_address("https://example.test/hook", resolver=resolve, allow_loopback=False)


def test_a_public_address_passes_and_is_the_one_returned():
    resolve = resolver_for({"example.test": ["93.184.216.34"]})
    assert sender.checked_address("https://example.test/", resolver=resolve, allow_loopback=False) == (
        "93.184.216.34"
    )


@pytest.mark.parametrize(
    ("url", "allow_loopback"),
    [
        ("http://example.test/hook", True),  # plain http to a public name
        ("http://127.0.0.1:9/hook", False),  # loopback not allowed here
        ("ftp://example.test/", True),
        ("https:///no-host", True),
    ],
)
def test_schemes_and_loopback_rules(url, allow_loopback):
    resolve = resolver_for({"example.test": ["93.184.216.34"]})
    with pytest.raises(sender.Refused):
        sender.checked_address(url, resolver=resolve, allow_loopback=allow_loopback)


def test_plain_http_to_a_name_resolving_to_loopback_passes_only_where_allowed():
    resolve = resolver_for({"localhost": ["127.0.0.1"]})
    assert (
        sender.checked_address("http://localhost:8001/", resolver=resolve, allow_loopback=True) == "127.0.0.1"
    )
    with pytest.raises(sender.Refused):
        sender.checked_address("http://localhost:8001/", resolver=resolve, allow_loopback=False)
