"""What every public page carries (feeds, icon, title) and the site-wide feed (#11.10, #11.11)."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from wagtail.models import PageViewRestriction

from apps.core.models import SectionPage
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def stories(sahel, west_africa):
    """Two visible stories in two sections, and three that must never reach a feed."""
    shown = [
        ArticlePageFactory(parent=sahel, title="Bamako hosts the alliance's finance ministers"),
        ArticlePageFactory(parent=west_africa, title="Accra and Lomé reopen their border post"),
    ]
    hidden = [
        ArticlePageFactory(parent=sahel, title="A draft nobody approved yet", publish=False),
        ArticlePageFactory(
            parent=west_africa,
            title="A story whose licence ran out",
            expire_at=timezone.now() - timedelta(minutes=1),
        ),
    ]
    members_only = SectionPage(title="Members", slug="members")
    sahel.get_parent().add_child(instance=members_only)
    members_only.save_revision().publish()
    PageViewRestriction.objects.create(page=members_only, restriction_type="login")
    hidden.append(ArticlePageFactory(parent=members_only, title="A story for logged-in members only"))
    return shown, hidden


def test_the_site_rss_feed_lists_every_public_section_and_nothing_hidden(client, stories):
    shown, hidden = stories
    response = client.get("/feeds/rss.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")  # noqa: S314 (our own feed)
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == [story.title for story in reversed(shown)]  # newest first
    for story in hidden:
        assert story.title not in response.content.decode()
    assert channel.findtext("title") == "Newsdesk: latest stories"


def test_the_site_atom_feed_has_the_same_entries(client, stories):
    shown, _ = stories
    response = client.get("/feeds/atom.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = ElementTree.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314 (our own feed)
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [story.title for story in reversed(shown)]


def test_the_site_feed_costs_the_same_queries_for_few_and_many_stories(
    client, sahel, django_assert_max_num_queries
):
    ArticlePageFactory(parent=sahel)
    client.get("/feeds/rss.xml")
    with django_assert_max_num_queries(8) as few:
        client.get("/feeds/rss.xml")
    for _ in range(10):
        ArticlePageFactory(parent=sahel)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/feeds/rss.xml")


@pytest.mark.parametrize("path", ["/", "/sahel/", "/search/?q=alliance", "/actors/", "/events/", "ARTICLE"])
def test_every_public_page_links_the_site_feeds_and_the_icon(client, sahel, path):
    if path == "ARTICLE":
        path = ArticlePageFactory(parent=sahel).url
    html = client.get(path).content.decode()
    assert (
        '<link rel="alternate" type="application/rss+xml" title="Newsdesk: all stories (RSS)" href="/feeds/rss.xml">'
        in html
    )
    assert (
        '<link rel="alternate" type="application/atom+xml" title="Newsdesk: all stories (Atom)" href="/feeds/atom.xml">'
        in html
    )
    assert '<link rel="icon" href="/static/favicon.ico" sizes="any">' in html


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.ico"
    icon = finders.find("favicon.ico")
    assert icon is not None
    with open(icon, "rb") as handle:
        assert handle.read(4) == b"\x00\x00\x01\x00"  # an ICO file header


def test_home_page_title_names_the_publisher_once(client, desk):
    html = client.get("/").content.decode()
    assert "<title>Newsdesk · Regional news, tagged to who did what, where and when.</title>" in html
    assert "Newsdesk · Newsdesk" not in html


def test_section_and_article_titles_end_with_the_publisher(client, sahel):
    article = ArticlePageFactory(parent=sahel, title="Niamey names a new army chief")
    assert "<title>Sahel · Newsdesk</title>" in client.get("/sahel/").content.decode()
    assert (
        "<title>Niamey names a new army chief · Newsdesk</title>" in client.get(article.url).content.decode()
    )


def test_pinned_top_stories_are_marked_on_the_section_page(client, sahel):
    ArticlePageFactory(parent=sahel, title="An ordinary story from the desk")
    ArticlePageFactory(parent=sahel, title="The story the desk pinned", top_story=True)
    html = client.get("/sahel/").content.decode()
    assert html.count('<strong class="pin">Top story</strong>') == 1
    pinned_at = html.index("The story the desk pinned")
    assert (
        html.rindex('<strong class="pin">Top story</strong>', 0, pinned_at)
        > html.rfind("<article", 0, pinned_at) - 1
    )
    assert html.index("The story the desk pinned") < html.index("An ordinary story from the desk")
