"""The public article page's exact query count (issue #15: at most 12), whatever its tags.

Each page is requested once first (warm-up: Wagtail's site root paths and content types are
cached), then counted. The counts are the number itself, so an extra query anywhere fails.
"""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.articles.models import ArticleActor, ArticleEvent, ArticlePlace
from tests.api.factories import make_image
from tests.articles.factories import ActorFactory, EventFactory, PlaceFactory
from tests.factories import ArticlePageFactory, AuthorFactory, paragraph

# Site, article (section, dateline, hero image and view restrictions joined), bylines of the
# page and its teasers, corrections, more in the section, tags (one UNION ALL), desk settings,
# nav sections.
ARTICLE_PAGE_QUERIES = 8
# The hero image is joined to the article and its rendition comes from Wagtail's rendition
# cache after the first view; body images are fetched together in one query.
HERO_IMAGE_QUERIES = 0
BODY_IMAGE_QUERIES = 1


def _count(client, url: str) -> tuple[int, str]:
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _article(section, n_tags: int, title: str, **fields):
    return ArticlePageFactory(
        parent=section,
        title=title,
        authors=[AuthorFactory(), AuthorFactory()],
        corrections=[("2025-04-04", "An earlier version misspelled a minister's name.")],
        dateline=PlaceFactory(name="Bamako"),
        actor_tags=[ArticleActor(actor=ActorFactory()) for _ in range(n_tags)],
        event_tags=[ArticleEvent(event=EventFactory()) for _ in range(n_tags)],
        place_tags=[ArticlePlace(place=PlaceFactory()) for _ in range(n_tags)],
        **fields,
    )


def test_article_page_is_eight_queries_with_one_tag_or_twelve(client, sahel):
    ArticlePageFactory(parent=sahel, title="Earlier story in the section")  # a teaser below
    few, _ = _count(client, _article(sahel, 1, "One tag of each kind").url)
    many, html = _count(client, _article(sahel, 12, "Twelve tags of each kind").url)

    print(f"QUERYCOUNT article page: 1 tag={few}, 12 tags={many}")
    assert few == many == ARTICLE_PAGE_QUERIES
    assert html.count('class="chip chip-actor"') == 12
    assert html.count('class="chip chip-place"') == 12
    assert "Earlier story in the section" in html


def test_article_page_with_hero_and_body_images(client, sahel):
    plain, _ = _count(client, _article(sahel, 3, "No pictures at all").url)
    hero, html = _count(client, _article(sahel, 3, "A picture on top", hero_image=make_image()).url)
    body = [
        paragraph("Delegates arrived in the morning."),
        ("image", {"image": make_image("Convoy at the border"), "caption": "", "credit": ""}),
        ("image", {"image": make_image("Ministers at the table"), "caption": "", "credit": ""}),
    ]
    both, both_html = _count(
        client, _article(sahel, 3, "Pictures everywhere", hero_image=make_image("Hall"), body=body).url
    )

    print(f"QUERYCOUNT article page: no images={plain}, hero={hero}, hero and 2 body images={both}")
    assert plain == ARTICLE_PAGE_QUERIES
    assert hero == ARTICLE_PAGE_QUERIES + HERO_IMAGE_QUERIES
    assert both == ARTICLE_PAGE_QUERIES + HERO_IMAGE_QUERIES + BODY_IMAGE_QUERIES <= 12
    assert 'class="hero"' in html and both_html.count('class="body-image"') == 2
