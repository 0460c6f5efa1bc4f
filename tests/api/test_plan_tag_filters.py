"""The actor/event/place filters read a few tagged pages as ids and many as a semi-join
(apps/api/filters.py, FEW_TAGGED): both shapes return the same pages, and the queries of a
filtered list do not grow with the page size (docs/adr/0016)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.api import filters
from tests.api.factories import tags
from tests.factories import ArticlePageFactory
from tests.registry.factories import ActorFactory, EventFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/articles/"


@pytest.fixture
def tagged(sahel):
    """Six articles: a and b on 0-3 (b also on 4), the event on 1, 3 and 5; one unconfirmed."""
    a, b = ActorFactory(), ActorFactory()
    event = EventFactory()
    for i in range(6):
        actors = [x for x, on in ((a, i < 4), (b, i < 5)) if on]
        ArticlePageFactory(parent=sahel, **tags(actors=actors, events=[event] if i % 2 else []))
    ArticlePageFactory(parent=sahel, **tags(actors=[a], confirmed=False))
    return a, b, event


def _ids(api, query: str, size: int = 20) -> list[int]:
    response = api.get(f"{URL}?page_size={size}&{query}")
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def _queries(api, query: str, size: int) -> int:
    api.get(f"{URL}?page_size={size}&{query}")
    with CaptureQueriesContext(connection) as captured:
        _ids(api, query, size)
    return len(captured)


def _queries_of(tagged) -> list[str]:
    a, b, event = tagged
    return [
        f"actor={a.pk}",
        f"actor={a.pk},{b.pk}",
        f"actor={a.pk}|{b.pk}",
        f"event={event.pk}",
        f"actor={b.pk}&event={event.pk}",
    ]


def test_ids_and_semi_join_return_the_same_pages(api, tagged, monkeypatch):
    as_ids = {query: _ids(api, query) for query in _queries_of(tagged)}
    monkeypatch.setattr(filters, "FEW_TAGGED", 0)  # every term takes the semi-join
    as_semi_join = {query: _ids(api, query) for query in _queries_of(tagged)}
    assert as_ids == as_semi_join
    assert [len(as_ids[q]) for q in _queries_of(tagged)] == [4, 4, 5, 3, 2]


def test_a_mixed_and_takes_the_few_ids_and_the_semi_join(api, tagged, monkeypatch):
    a, b, _ = tagged
    monkeypatch.setattr(filters, "FEW_TAGGED", 4)  # a (4 pages) as ids, b (5 pages) as a semi-join
    assert len(_ids(api, f"actor={a.pk},{b.pk}")) == 4
    assert len(_ids(api, f"actor={a.pk}|{b.pk}")) == 5


@pytest.mark.parametrize("few", [1000, 0])
def test_filtered_list_queries_are_constant_in_the_page_size(api, tagged, monkeypatch, few):
    monkeypatch.setattr(filters, "FEW_TAGGED", few)
    for query in _queries_of(tagged):
        assert _queries(api, query, 1) == _queries(api, query, 5), query
