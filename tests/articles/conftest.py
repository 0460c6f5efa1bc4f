from __future__ import annotations

import pytest
from django.core.cache import cache

from apps.core.models import SectionPage


@pytest.fixture(autouse=True)
def offline_embeds(settings):
    # Never call YouTube/Vimeo from tests: build the player iframe locally.
    settings.WAGTAILEMBEDS_FINDERS = [{"class": "apps.articles.embeds.LocalEmbedFinder"}]


@pytest.fixture(autouse=True)
def fresh_cache():
    # Wagtail caches site root paths; a stale entry from another test's site would skew URLs.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sahel(desk) -> SectionPage:
    return SectionPage.objects.get(slug="sahel")


@pytest.fixture
def west_africa(desk) -> SectionPage:
    return SectionPage.objects.get(slug="west-africa")
