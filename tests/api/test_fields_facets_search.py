"""`fields=`, `facets=` and `q` on the partner API (articles list, and fields= on the registry)."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.articles.models import ArticleActor, ArticlePage, ArticlePlace
from apps.core.models import SectionPage
from apps.registry.models import ReviewStatus
from tests.api.factories import ActorFactory, ArticlePageFactory, PlaceFactory, paragraph, tags

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles/"


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def walk(api, url: str, params: dict) -> list[dict]:
    items, seen_urls = [], 0
    body = ok(api.get(url, params))
    while True:
        items += body["results"]
        seen_urls += 1
        assert seen_urls < 100
        if not body["next"]:
            return items
        body = ok(api.get(body["next"]))


def count_queries(api, url: str, params: dict) -> int:
    api.get(url, params)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        ok(api.get(url, params))
    return len(queries)


# ---------------------------------------------------------------------------- fields=


def test_fields_trims_every_article_to_the_asked_fields(api, sahel):
    for n in range(3):
        ArticlePageFactory(parent=sahel, title=f"Headline {n}")
    body = ok(api.get(ARTICLES, {"fields": "id,title"}))
    assert len(body["results"]) == 3
    assert all(set(item) == {"id", "title"} for item in body["results"])
    assert set(ok(api.get(ARTICLES))["results"][0]) > {"id", "title", "body_html", "tags"}


def test_headlines_only_costs_fewer_queries_than_the_full_representation(api, sahel):
    actor = ActorFactory()
    for _n in range(3):
        ArticlePageFactory(parent=sahel, **tags(actors=[actor]))
    lean = count_queries(api, ARTICLES, {"fields": "id,title"})
    full = count_queries(api, ARTICLES, {})
    assert lean < full


def test_unknown_fields_are_a_400_naming_the_parameter(api, sahel):
    for url in (ARTICLES, "/api/v1/actors/", "/api/v1/sections/"):
        response = api.get(url, {"fields": "id,colour"})
        assert response.status_code == 400, url
        problem = response.json()
        assert problem["invalid_params"][0]["name"] == "fields"
        assert "colour" in problem["invalid_params"][0]["reason"]


def test_fields_trims_registry_lists_and_details(api, sahel):
    actor = ActorFactory(name="Alliance of Sahel States")
    place = PlaceFactory(name="Niamey")
    listed = ok(api.get("/api/v1/actors/", {"fields": "uri,name"}))["results"]
    assert listed == [{"uri": f"urn:newsdesk:actor:{actor.pk}", "name": actor.name}]
    detail = ok(api.get(f"/api/v1/actors/{actor.pk}/", {"fields": "name,relations"}))
    assert set(detail) == {"name", "relations"}
    assert set(ok(api.get(f"/api/v1/places/{place.pk}/", {"fields": "name"}))) == {"name"}
    assert [set(item) for item in ok(api.get("/api/v1/sections/", {"fields": "slug"}))["results"]] == [
        {"slug"}
    ]


def test_fields_on_article_detail(api, sahel):
    article = ArticlePageFactory(parent=sahel)
    assert ok(api.get(f"{ARTICLES}{article.pk}/", {"fields": "title,uri"})) == {
        "title": article.title,
        "uri": f"urn:newsdesk:article:{article.pk}",
    }


# ---------------------------------------------------------------------------- facets=


@pytest.fixture
def tagged_desk(sahel):
    """Articles in the partner's section with overlapping tags, and one it may not see."""
    mali, niger, russia = (ActorFactory(name=name) for name in ("Mali", "Niger", "Russia"))
    bamako, niamey = PlaceFactory(name="Bamako"), PlaceFactory(name="Niamey")
    hidden_actor = ActorFactory(name="Proposed only", review_status=ReviewStatus.PROPOSED)
    spec = [
        ("news", [mali, niger, russia, hidden_actor], [bamako]),
        ("news", [mali, niger], [niamey]),
        ("news", [mali], [bamako]),
        ("analysis", [mali, russia], [bamako, niamey]),
        ("explainer", [niger], []),
    ]
    for kind, actors, places in spec:
        ArticlePageFactory(parent=sahel, kind=kind, **tags(actors=actors, places=places))
    other = SectionPage.objects.get(slug="analysis")
    ArticlePageFactory(parent=other, kind="news", **tags(actors=[russia, niger], places=[niamey]))
    return {"mali": mali, "niger": niger, "russia": russia}


def independent_counts(article_ids: list[int]) -> dict[str, Counter]:
    """Facet counts from the rows, without the API's code: tags of public records only."""
    counts = {"actor": Counter(), "place": Counter(), "kind": Counter(), "section": Counter()}
    for tag in ArticleActor.objects.filter(page_id__in=article_ids, confirmed=True).select_related("actor"):
        if tag.actor.review_status == ReviewStatus.APPROVED and tag.actor.merged_into_id is None:
            counts["actor"][tag.actor.name] += 1
    for tag in ArticlePlace.objects.filter(page_id__in=article_ids, confirmed=True).select_related("place"):
        counts["place"][tag.place.name] += 1
    for article in ArticlePage.objects.filter(pk__in=article_ids).select_related("section"):
        counts["kind"][article.kind] += 1
        counts["section"][article.section.slug] += 1
    return counts


@pytest.mark.parametrize("filters", [{}, {"kind": "news"}, {"actor": "mali"}, {"place": "bamako|niamey"}])
def test_facet_counts_equal_counts_over_the_filtered_set(api, tagged_desk, filters):
    params = {**filters, "page_size": 2, "facets": "actor,place,section,kind"}
    for key, value in list(filters.items()):
        if key == "actor":
            params[key] = str(tagged_desk[value].pk)
    body = ok(api.get(ARTICLES, params))
    ids = [item["id"] for item in walk(api, ARTICLES, {k: v for k, v in params.items() if k != "facets"})]
    expected = independent_counts(ids)
    facets = body["facets"]
    assert {row["name"]: row["count"] for row in facets["actor"]} == dict(expected["actor"])
    assert {row["name"]: row["count"] for row in facets["place"]} == dict(expected["place"])
    assert {row["slug"]: row["count"] for row in facets["kind"]} == dict(expected["kind"])
    assert {row["slug"]: row["count"] for row in facets["section"]} == dict(expected["section"])
    counts = [row["count"] for row in facets["actor"]]
    assert counts == sorted(counts, reverse=True)


def test_facets_keep_the_twenty_most_frequent_values(api, sahel):
    frequent = ActorFactory(name="Everywhere")
    rare = [ActorFactory(name=f"Rare {n:02d}") for n in range(22)]
    for n, actor in enumerate(rare):
        ArticlePageFactory(parent=sahel, title=f"Story {n}", **tags(actors=[actor, frequent]))
    rows = ok(api.get(ARTICLES, {"facets": "actor", "page_size": 1}))["facets"]["actor"]
    assert len(rows) == 20
    assert rows[0] == {
        "id": frequent.pk,
        "uri": f"urn:newsdesk:actor:{frequent.pk}",
        "slug": frequent.slug,
        "name": "Everywhere",
        "count": 22,
    }


def test_each_facet_costs_one_query_whatever_the_page_size(api, tagged_desk):
    plain = count_queries(api, ARTICLES, {"page_size": 2})
    two = count_queries(api, ARTICLES, {"page_size": 2, "facets": "actor,kind"})
    four_big = count_queries(api, ARTICLES, {"page_size": 50, "facets": "actor,place,section,kind"})
    assert two == plain + 2
    assert four_big <= plain + 4


def test_unknown_facets_are_a_400(api, sahel):
    response = api.get(ARTICLES, {"facets": "actor,mood"})
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "facets"


# ---------------------------------------------------------------------------- q


def test_q_finds_an_article_by_a_word_of_its_body(api, sahel):
    wanted = ArticlePageFactory(
        parent=sahel,
        title="Ministers meet again",
        body=[paragraph("Talks turned to the harmattan season and grain convoys.")],
    )
    ArticlePageFactory(parent=sahel, title="Something else", body=[paragraph("Nothing about weather here.")])
    hidden = ArticlePageFactory(
        parent=SectionPage.objects.get(slug="analysis"), body=[paragraph("The harmattan also blew here.")]
    )
    ids = [item["id"] for item in ok(api.get(ARTICLES, {"q": "harmattan"}))["results"]]
    assert ids == [wanted.pk]
    assert hidden.pk not in ids


def test_q_ranks_by_relevance_and_pages_each_hit_once(api, sahel):
    made = []
    for n in range(7):
        body = " ".join(["sandstorm"] * (n + 1)) + f" closes the road number {n}."
        made.append(ArticlePageFactory(parent=sahel, title=f"Road report {n}", body=[paragraph(body)]))
    ArticlePageFactory(parent=sahel, title="Calm day", body=[paragraph("Clear skies over the river.")])
    pages, url, params = [], ARTICLES, {"q": "sandstorm", "page_size": 3}
    body = ok(api.get(url, params))
    while True:
        pages.append([item["id"] for item in body["results"]])
        if not body["next"]:
            break
        body = ok(api.get(body["next"]))
    hits = [pk for page in pages for pk in page]
    assert sorted(hits) == sorted(article.pk for article in made)
    assert len(hits) == len(set(hits)) == 7
    assert [len(page) for page in pages] == [3, 3, 1]
    # Going back from the last page gives the middle page again.
    previous = ok(api.get(body["previous"]))
    assert [item["id"] for item in previous["results"]] == pages[1]


def test_q_with_an_ordering_sorts_the_hits_by_date(api, sahel):
    made = [
        ArticlePageFactory(parent=sahel, title=f"Flood {n}", body=[paragraph(f"Floodwater rose again {n}.")])
        for n in range(4)
    ]
    items = walk(api, ARTICLES, {"q": "floodwater", "ordering": "published", "page_size": 3})
    assert [item["id"] for item in items] == [article.pk for article in made]


def test_q_combines_with_filters_and_facets(api, sahel):
    mali = ActorFactory(name="Mali")
    tagged = ArticlePageFactory(parent=sahel, body=[paragraph("A drought warning.")], **tags(actors=[mali]))
    ArticlePageFactory(parent=sahel, body=[paragraph("Another drought warning.")])
    body = ok(api.get(ARTICLES, {"q": "drought", "actor": str(mali.pk), "facets": "actor"}))
    assert [item["id"] for item in body["results"]] == [tagged.pk]
    assert body["facets"]["actor"][0]["count"] == 1
    everything = ok(api.get(ARTICLES, {"q": "drought", "facets": "kind"}))
    assert everything["facets"]["kind"] == [{"slug": "news", "name": "News", "count": 2}]


def test_q_costs_at_most_one_more_query_than_a_plain_page(api, sahel):
    for n in range(4):
        ArticlePageFactory(parent=sahel, body=[paragraph(f"Convoy {n} reached the border.")])
    plain = count_queries(api, ARTICLES, {"page_size": 2})
    searched = count_queries(api, ARTICLES, {"page_size": 2, "q": "convoy"})
    assert searched <= plain + 1


def test_bad_q_and_foreign_cursors_are_400s(api, sahel):
    assert api.get(ARTICLES, {"q": "   "}).status_code == 400
    assert api.get(ARTICLES, {"q": "x" * 201}).status_code == 400
    for n in range(3):
        ArticlePageFactory(parent=sahel, title=f"Item {n}")
    plain_next = ok(api.get(ARTICLES, {"page_size": 1}))["next"]
    cursor = plain_next.split("cursor=")[1]
    response = api.get(ARTICLES, {"q": "item", "cursor": cursor})
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "cursor"
