from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from apps.core.models import SectionPage
from tests.partners.factories import PartnerFactory, issue_key


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sahel(desk) -> SectionPage:
    return SectionPage.objects.get(slug="sahel")


@pytest.fixture
def west_africa(desk) -> SectionPage:
    return SectionPage.objects.get(slug="west-africa")


@pytest.fixture
def partner(sahel):
    return PartnerFactory(name="Lagoon Post", sections=[sahel])


@pytest.fixture
def api(partner) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_key(partner).plaintext}")
    return client


def feed(api: APIClient, after: int = 0) -> list[dict]:
    response = api.get("/api/v1/changes/", {"after": after})
    assert response.status_code == 200, response.content
    return response.json()["results"]
