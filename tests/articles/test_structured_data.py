"""JSON-LD, OpenGraph and canonical URL on the article page; RSS 2.0 and Atom feeds parse."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

from apps.articles.models import ArticleActor, ArticleEvent
from tests.articles.factories import ActorFactory, EventFactory
from tests.factories import ArticlePageFactory, AuthorFactory, paragraph

ATOM = "{http://www.w3.org/2005/Atom}"


def _json_ld(html: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_json_ld_describes_the_article(client, sahel):
    goita = ActorFactory(name="Assimi Goita", kind="person")
    mali = ActorFactory(name="Mali")
    summit = EventFactory(title="Ouagadougou defence chiefs meeting")
    article = ArticlePageFactory(
        parent=sahel,
        title="Defence chiefs plan a joint force",
        kind="analysis",
        authors=[AuthorFactory(name="Mariam Traore")],
        actor_tags=[ArticleActor(actor=goita, role="subject"), ArticleActor(actor=mali, role="mentioned")],
        event_tags=[ArticleEvent(event=summit, role="subject")],
    )

    data = _json_ld(client.get(article.url).content.decode())

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "AnalysisNewsArticle"
    assert data["headline"] == "Defence chiefs plan a joint force"
    assert datetime.fromisoformat(data["datePublished"]) == article.published_at
    assert datetime.fromisoformat(data["dateModified"]) == article.published_at
    assert data["author"] == [{"@type": "Person", "name": "Mariam Traore"}]
    assert data["publisher"]["name"] == "Newsdesk"
    assert data["inLanguage"] == "en"
    assert data["url"].endswith(article.url)
    about = {(thing["@type"], thing["name"]) for thing in data["about"]}
    assert about == {("Person", "Assimi Goita"), ("Event", "Ouagadougou defence chiefs meeting")}
    assert [thing["name"] for thing in data["mentions"]] == ["Mali"]


def test_json_ld_cannot_break_out_of_its_script_block(client, sahel):
    article = ArticlePageFactory(parent=sahel, title="Quote: </script><script>alert(1)</script>")
    html = client.get(article.url).content.decode()
    data = _json_ld(html)
    assert data["headline"] == "Quote: </script><script>alert(1)</script>"
    assert "<script>alert(1)" not in html


def test_open_graph_and_canonical(client, sahel, settings):
    article = ArticlePageFactory(parent=sahel, title="Niger closes a foreign base")
    html = client.get(article.url).content.decode()
    # PUBLIC_BASE_URL, not the Site record's "localhost" (tests/articles/test_public_urls.py).
    assert f'<link rel="canonical" href="{settings.PUBLIC_BASE_URL}{article.url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Niger closes a foreign base">' in html
    assert '<meta property="article:section" content="Sahel">' in html
    # No inline script that CSP would block: only the JSON-LD data block.
    assert re.findall(r"<script(?![^>]*application/ld\+json)", html) == []
    assert "style=" not in html


def test_section_rss_is_rss_2(client, sahel):
    article = ArticlePageFactory(
        parent=sahel, title="Ministers fly to Moscow", authors=[AuthorFactory(name="A. Sy")]
    )
    response = client.get("/feeds/sections/sahel/rss.xml")
    assert response["Content-Type"].startswith("application/rss+xml")

    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = root.findall("./channel/item")
    assert [item.findtext("title") for item in items] == ["Ministers fly to Moscow"]
    assert items[0].findtext("link").endswith(article.url)
    assert items[0].findtext("guid").endswith(article.url)
    assert items[0].findtext("pubDate")
    assert items[0].findtext("category") == "Sahel"


def test_actor_and_event_atom_feeds_are_atom(client, sahel):
    actor = ActorFactory(name="AES")
    event = EventFactory(title="Charter signing")
    ArticlePageFactory(
        parent=sahel,
        title="Three states sign a charter",
        actor_tags=[ArticleActor(actor=actor)],
        event_tags=[ArticleEvent(event=event)],
    )
    for url in (f"/feeds/actors/{actor.slug}/atom.xml", f"/feeds/events/{event.slug}/atom.xml"):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)  # noqa: S314
        assert root.tag == f"{ATOM}feed"
        entries = root.findall(f"{ATOM}entry")
        assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["Three states sign a charter"]
        assert entries[0].findtext(f"{ATOM}updated")
        assert entries[0].findtext(f"{ATOM}published")


def test_feeds_of_unknown_or_unapproved_records_are_404(client, desk):
    proposed = ActorFactory(review_status="proposed")
    assert client.get("/feeds/actors/nobody/rss.xml").status_code == 404
    assert client.get(f"/feeds/actors/{proposed.slug}/rss.xml").status_code == 404
    assert client.get("/feeds/sections/nowhere/atom.xml").status_code == 404
    assert client.get("/feeds/events/nothing/atom.xml").status_code == 404


def test_sitemap_lists_sections_and_visible_articles(client, sahel):
    article = ArticlePageFactory(parent=sahel)
    root = ET.fromstring(client.get("/sitemap.xml").content)  # noqa: S314
    locations = [loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(loc.endswith(article.url) for loc in locations)
    assert any(loc.endswith(sahel.url) for loc in locations)


def test_search_page_handles_empty_and_long_queries(client, desk):
    assert client.get("/search/").status_code == 200
    assert client.get("/search/?q=" + "x" * 5000).status_code == 200
    assert client.get("/search/?q=mali&page=999").status_code == 200


def test_search_finds_visible_articles_by_body_text(client, sahel):
    ArticlePageFactory(
        parent=sahel,
        title="Drone base handed back",
        body=[paragraph("The runway at Agadez was returned to the national air force.")],
    )
    html = client.get("/search/?q=runway").content.decode()
    assert "Drone base handed back" in html


@pytest.mark.postgres
def test_search_uses_postgresql_full_text_on_postgresql(client, sahel):
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    assert type(backend).__module__.startswith("modelsearch.backends.database.postgres")
    ArticlePageFactory(
        parent=sahel,
        title="Generals agree on joint patrols",
        body=[paragraph("Commanders agreed to patrol the borders together.")],
    )
    # Full-text matching stems words: "patrolling" finds "patrol"/"patrols".
    html = client.get("/search/?q=patrolling").content.decode()
    assert "Generals agree on joint patrols" in html
