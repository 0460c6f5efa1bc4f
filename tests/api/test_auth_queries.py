"""What every partner request costs before its own work: the key, its partner and the entitled
section ids are one statement (partners.selectors.key_for_token), the validators another."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.factories import plan_switches
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> list[str]:
    client.get(url)  # one-off lookups (content types, site root paths, renditions)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured]


def test_the_key_partner_and_sections_are_one_query(api, sahel):
    queries = _queries(api, "/api/v1/sections/")
    key_reads = [sql for sql in queries if "partners_apikey" in sql]
    assert len(key_reads) == 1
    assert "partners_partner_sections" in key_reads[0] and "core_sectionpage" in key_reads[0]


@pytest.mark.parametrize(
    ("url", "expected", "generic"),
    [
        # Before the key read took the sections along (4487d2d): 3, 5 and 5 queries. The
        # sections list took its sections as a subquery of the validators' query already.
        ("/api/v1/sections/", 3, 0),
        # Plus, on PostgreSQL, the SET and RESET around the page statement's generic plan.
        ("/api/v1/articles/", 4, 1),
        ("detail", 4, 0),
    ],
)
def test_query_counts_are_pinned(api, sahel, url, expected, generic):
    articles = [ArticlePageFactory(parent=sahel) for _ in range(3)]
    if url == "detail":
        url = f"/api/v1/articles/{articles[0].pk}/"
    assert len(_queries(api, url)) == expected + generic * plan_switches()


def test_the_registry_endpoints_take_the_sections_from_the_key_read(api, partner, sahel, west_africa):
    """The actor and event details' embedded articles are cut to the entitled sections the key
    read brought, not by a second read of the entitlement (a mid-popularity actor's detail: 920
    -> 91 ms at 100k, docs/adr/0016-notes/plans.md); what they show is unchanged."""
    from tests.api.factories import ActorFactory, EventFactory, tags

    actor, event = ActorFactory(), EventFactory()
    seen = ArticlePageFactory(parent=sahel, **tags(actors=[actor], events=[event]))
    ArticlePageFactory(parent=west_africa, **tags(actors=[actor], events=[event]))  # not entitled
    for url in (f"/api/v1/actors/{actor.pk}/", f"/api/v1/events/{event.pk}/"):
        queries = _queries(api, url)
        entitlement_reads = [sql for sql in queries if "partners_partner_sections" in sql]
        assert len(entitlement_reads) == 1 and "partners_apikey" in entitlement_reads[0], url
        assert [article["id"] for article in api.get(url).json()["articles"]] == [seen.pk], url


def test_a_section_filter_is_resolved_from_the_key_read(api, partner, sahel, west_africa):
    """`section=` by slug or id costs no query of its own: the key read brought the entitled
    sections' slugs with their ids. A section the partner is not entitled to names nothing."""
    partner.sections.set([sahel, west_africa])
    mine = ArticlePageFactory(parent=sahel)
    ArticlePageFactory(parent=west_africa)
    plain = _queries(api, "/api/v1/articles/")
    for term in (sahel.slug, str(sahel.pk)):
        assert len(_queries(api, f"/api/v1/articles/?section={term}")) == len(plain), term
        assert [a["id"] for a in api.get(f"/api/v1/articles/?section={term}").json()["results"]] == [mine.pk]
    partner.sections.set([sahel])
    for term in (west_africa.slug, str(west_africa.pk), "no-such-desk"):
        response = api.get(f"/api/v1/articles/?section={term}")
        assert response.status_code == 400, term
        assert [p["name"] for p in response.json()["invalid_params"]] == ["section"]
