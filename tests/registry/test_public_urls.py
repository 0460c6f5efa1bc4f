"""Registry pages name their canonical address on PUBLIC_BASE_URL, never the request's host."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.registry.factories import ActorFactory, EventFactory

pytestmark = pytest.mark.django_db


@override_settings(PUBLIC_BASE_URL="https://news.example.org")
def test_actor_and_event_pages_have_a_canonical_link_on_the_public_base_url(client, desk):
    for record in (ActorFactory(slug="some-actor"), EventFactory(slug="some-event")):
        html = client.get(record.get_absolute_url(), HTTP_HOST="localhost").content.decode()
        assert f'<link rel="canonical" href="https://news.example.org{record.get_absolute_url()}">' in html
        assert "http://localhost" not in html
