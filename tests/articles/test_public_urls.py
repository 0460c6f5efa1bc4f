"""Every absolute URL on the site comes from PUBLIC_BASE_URL, never the Site record or the
request's host (#11.8): canonical links, JSON-LD, OpenGraph, feeds and the sitemap."""

from __future__ import annotations

import json
import re

import pytest
from wagtail.models import Site

from tests.articles.factories import ActorFactory
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

BASE = "https://news.example.org"


@pytest.fixture
def public_base(settings, desk):
    settings.PUBLIC_BASE_URL = BASE + "/"  # a trailing slash must not double up
    # The Site record says what a fresh install says: localhost.
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    return BASE


@pytest.fixture
def story(sahel):
    from apps.articles.models import ArticleActor

    actor = ActorFactory(name="Abdoulaye Diop")
    return ArticlePageFactory(
        parent=sahel,
        title="Diop defends the alliance in Moscow",
        slug="diop-defends-the-alliance",
        actor_tags=[ArticleActor(actor=actor)],
    )


def _no_other_host(text: str) -> None:
    assert "localhost" not in text
    assert "testserver" not in text


def test_canonical_links_use_the_public_base(client, public_base, story):
    for path, expected in [
        ("/", f"{BASE}/"),
        ("/sahel/", f"{BASE}/sahel/"),
        (story.url, f"{BASE}/sahel/diop-defends-the-alliance/"),
    ]:
        html = client.get(path).content.decode()
        assert f'<link rel="canonical" href="{expected}">' in html, path


def test_json_ld_and_open_graph_use_the_public_base(client, public_base, story):
    html = client.get(story.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["url"] == data["mainEntityOfPage"] == f"{BASE}/sahel/diop-defends-the-alliance/"
    assert data["about"][0]["url"].startswith(f"{BASE}/actors/")
    assert f'<meta property="og:url" content="{BASE}/sahel/diop-defends-the-alliance/">' in html
    _no_other_host(html)


@pytest.mark.parametrize(
    "path",
    ["/feeds/rss.xml", "/feeds/atom.xml", "/feeds/sections/sahel/rss.xml", "/feeds/sections/sahel/atom.xml"],
)
def test_feeds_use_the_public_base(client, public_base, story, path):
    body = client.get(path).content.decode()
    assert f"{BASE}/sahel/diop-defends-the-alliance/" in body
    assert f"{BASE}{path}" in body or path.endswith("rss.xml")  # Atom's self link
    _no_other_host(body)


def test_actor_feed_links_use_the_public_base(client, public_base, story):
    actor = story.actor_tags.get().actor
    body = client.get(f"/feeds/actors/{actor.slug}/rss.xml").content.decode()
    assert f"<link>{BASE}/actors/" in body
    _no_other_host(body)


def test_sitemap_uses_the_public_base(client, public_base, story):
    body = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>(.*?)</loc>", body)
    assert f"{BASE}/" in locations
    assert f"{BASE}/sahel/" in locations
    assert f"{BASE}/sahel/diop-defends-the-alliance/" in locations
    assert all(location.startswith(BASE + "/") for location in locations)
