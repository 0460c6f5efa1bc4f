"""Fixtures of the security matrices: a second partner with content of its own, keys in every
state, and a rate limit no matrix can reach."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from apps.partners import services
from apps.partners.models import ApiKey, Partner, RateTier
from tests.api.factories import ActorFactory, ArticlePageFactory, EventFactory, PlaceFactory, tags
from tests.partners.factories import PartnerFactory, issue_key

UNTHROTTLED = {"basic": "1000000/min", "standard": "1000000/min", "premium": "1000000/min"}


@pytest.fixture
def unthrottled():
    with override_settings(PARTNER_API_RATE_LIMITS=UNTHROTTLED):
        yield


def bearer(key: str | None) -> APIClient:
    client = APIClient()
    if key is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def registry_records(desk):
    return {
        "actor": ActorFactory(name="Liptako Border Guard", slug="liptako-border-guard", country="BF"),
        "event": EventFactory(title="Dori crossing talks", slug="dori-crossing-talks"),
        "place": PlaceFactory(name="Dori", slug="dori", country="BF"),
    }


@pytest.fixture
def two_partners(sahel, west_africa, partner, unthrottled, registry_records):
    """Lagoon Post (Sahel) and a rival entitled to West Africa only, each with one tagged story."""
    rival = PartnerFactory(name="Harmattan Review", sections=[west_africa], rate_tier=RateTier.PREMIUM)
    shared = tags(actors=[registry_records["actor"]], events=[registry_records["event"]])
    shared["place_tags"] = tags(places=[registry_records["place"]])["place_tags"]
    own = ArticlePageFactory(parent=sahel, title="Dori traders reopen the cattle market", **shared)
    theirs = ArticlePageFactory(
        parent=west_africa, title="Coastal ports brace for the Dori convoys", **shared
    )
    return {"partner": partner, "rival": rival, "own": own, "theirs": theirs, **registry_records}


@pytest.fixture
def keys(two_partners, sahel):
    """One plaintext per caller state (None: no Authorization header at all)."""
    partner = two_partners["partner"]
    valid = issue_key(partner).plaintext
    revoked = issue_key(partner)
    services.revoke_api_key(prefix=revoked.key.prefix)
    expired = issue_key(partner)
    ApiKey.objects.filter(pk=expired.key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    suspended = PartnerFactory(name="Dormant Gazette", sections=[sahel])
    suspended_key = issue_key(suspended).plaintext
    Partner.objects.filter(pk=suspended.pk).update(active=False)
    return {
        "none": None,
        "malformed": "not-a-newsdesk-key",
        "unknown": "nd_0123456789ab_" + "Z" * 43,
        "revoked": revoked.plaintext,
        "expired": expired.plaintext,
        "suspended": suspended_key,
        "other": valid,
        "valid": valid,
    }
