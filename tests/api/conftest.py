"""Fixtures for the partner API: a partner entitled to one section, its key and a client."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from apps.core.models import SectionPage
from tests.partners.factories import PartnerFactory, issue_key


@pytest.fixture(autouse=True)
def _clear_cache():
    # Throttle windows and usage counters live in the cache; tests must not share them.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sahel(desk) -> SectionPage:
    return SectionPage.objects.get(slug="sahel")


@pytest.fixture
def partner(sahel):
    return PartnerFactory(name="Coastal Daily", sections=[sahel])


@pytest.fixture
def key(partner) -> str:
    return issue_key(partner).plaintext


@pytest.fixture
def api(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def anon() -> APIClient:
    return APIClient()
