"""What a public page costs in queries, and the tagged article the query-count tests measure."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.articles.models import ArticleActor, ArticleEvent, ArticlePlace
from tests.articles.factories import ActorFactory, EventFactory, PlaceFactory
from tests.factories import ArticlePageFactory, AuthorFactory


def page_cost(client, url: str) -> tuple[int, str]:
    """Queries of the second request (the first warms Wagtail's site and content-type caches),
    and the page's HTML."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def tagged_article(section, n_tags: int, title: str, **fields):
    """An article with two bylines, a correction, a dateline and `n_tags` tags of each kind."""
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
