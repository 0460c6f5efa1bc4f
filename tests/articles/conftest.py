from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def offline_embeds(settings):
    # Never call YouTube/Vimeo from tests: build the player iframe locally.
    settings.WAGTAILEMBEDS_FINDERS = [{"class": "apps.articles.embeds.LocalEmbedFinder"}]
