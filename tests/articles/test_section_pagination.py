"""A section page pages through its listing without counting the section (counting its visible
articles was most of the page's time on the 100k corpus): Newer/Older links, no "of N"."""

from __future__ import annotations

import re

import pytest

from apps.articles.selectors import SECTION_ARTICLES_PER_PAGE
from tests.articles.page_costs import page_cost
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def _titles(html: str) -> list[str]:
    return re.findall(r">(Story \d+)</a></h3>", html)


@pytest.fixture
def stories(sahel):
    # Created oldest first, so the listing (newest first) shows them in reverse.
    count = SECTION_ARTICLES_PER_PAGE * 2 + 3
    return [ArticlePageFactory(parent=sahel, title=f"Story {i:02d}") for i in range(count)]


def test_section_pages_walk_the_listing_with_newer_and_older_links(client, sahel, stories):
    newest_first = [story.title for story in reversed(stories)]
    first = client.get(sahel.url).content.decode()
    assert _titles(first) == newest_first[:SECTION_ARTICLES_PER_PAGE]
    assert '<span class="meta">Page 1</span>' in first
    assert 'rel="next" href="?page=2"' in first and 'rel="prev"' not in first

    third = client.get(sahel.url, {"page": 3}).content.decode()
    assert _titles(third) == newest_first[2 * SECTION_ARTICLES_PER_PAGE :]
    assert 'rel="prev" href="?page=2"' in third and 'rel="next"' not in third
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', third).group(1)
    assert canonical.endswith(f"{sahel.url}?page=3")

    pages = [client.get(sahel.url, {"page": n}).content.decode() for n in (1, 2, 3)]
    assert [title for html in pages for title in _titles(html)] == newest_first


def test_bad_and_out_of_range_section_pages_get_a_real_page(client, sahel, stories):
    assert client.get(sahel.url, {"page": "x"}).context["articles"].number == 1
    assert client.get(sahel.url, {"page": 0}).context["articles"].number == 3
    last = client.get(sahel.url, {"page": 99})
    assert last.context["articles"].number == 3
    assert len(_titles(last.content.decode())) == 3


def test_a_section_filling_exactly_one_page_has_no_older_link(client, sahel):
    for i in range(SECTION_ARTICLES_PER_PAGE):
        ArticlePageFactory(parent=sahel, title=f"Story {i:02d}")
    html = client.get(sahel.url).content.decode()
    assert len(_titles(html)) == SECTION_ARTICLES_PER_PAGE
    assert 'class="pagination"' not in html


def test_section_page_costs_the_same_on_any_page_and_any_size(client, sahel, stories):
    first, _ = page_cost(client, sahel.url)
    deep, _ = page_cost(client, f"{sahel.url}?page=3")
    assert first == deep
