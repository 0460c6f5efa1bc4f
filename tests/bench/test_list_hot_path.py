"""The partner list's hot path at any depth: a fixed number of queries whatever the page size, and
a deep cursor that PostgreSQL answers from the index bound (docs/adr/0016-performance-at-scale.md)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.factories import (
    ActorFactory,
    EventFactory,
    PlaceFactory,
    fully_linked_articles,
    is_page_query,
    tags,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/articles/"
# Auth included: key lookup, validators, page, then what the representation reads from other rows.
LIST_BUDGET = 8


@pytest.fixture
def tagged(desk, sahel):
    """Articles with every kind of tag, a hero image, a body image, a page link and a related
    article: everything the representation loads from other rows."""
    actors = [ActorFactory() for _ in range(4)]
    place, event = PlaceFactory(), EventFactory()
    return fully_linked_articles(
        sahel, topic="border", tags_for=lambda _: tags(actors=actors, events=[event], places=[place])
    )


def _queries(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return [query["sql"] for query in captured]


def test_list_queries_are_constant_between_page_sizes_5_and_100(api, tagged):
    api.get(f"{URL}?page_size=100")  # warm-up: site root paths
    small = _queries(api, f"{URL}?page_size=5")
    large = _queries(api, f"{URL}?page_size=100")
    print(f"QUERYCOUNT api list: page_size=5 {len(small)}, page_size=100 {len(large)}")
    assert len(small) == len(large) <= LIST_BUDGET
    article = api.get(f"{URL}?page_size=100").json()["results"][0]
    # The fixture's inputs all reached the output, so the count covers their queries.
    assert {image["role"] for image in article["images"]} == {"hero", "body"}
    assert {tag["type"] for tag in article["tags"]} == {"actor", "event", "place"}
    assert "/earlier-border-story/" in article["body_html"] and 'class="related"' in article["body_html"]


def test_a_deep_page_costs_what_the_first_page_costs(api, tagged):
    first = api.get(f"{URL}?page_size=2").json()
    api.get(first["next"])
    deep = _queries(api, first["next"])
    assert len(deep) == len(_queries(api, f"{URL}?page_size=2")) <= LIST_BUDGET
    if not connection.features.supports_tuple_lookups:  # Django writes the OR chain itself there
        return
    # The position is one row comparison, not an OR chain.
    page_query = next(sql for sql in deep if is_page_query(sql))
    assert '("articles_articlepage"."published_at", "articles_articlepage"."page_ptr_id") <' in page_query
