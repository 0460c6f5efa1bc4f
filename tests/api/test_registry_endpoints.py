"""/api/v1/actors|events|places/: the demo registry's facts, as_of, merges, filters, query budgets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.articles.models import ArticleActor, ArticleEvent
from apps.core.models import SectionPage
from apps.registry import demo
from apps.registry.models import Actor, ActorKind, Event, Place, Predicate, ReviewStatus
from apps.registry.services import merge_actors
from tests.api.factories import ArticlePageFactory
from tests.registry.factories import (
    ActorFactory,
    EventFactory,
    ParticipantFactory,
    PlaceFactory,
    RelationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(desk):
    demo.load()


def actor(slug: str) -> Actor:
    return Actor.objects.get(slug=slug)


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    return response.json()


def relation_keys(body: dict) -> set[tuple[str, str, str]]:
    return {(r["predicate"], r["direction"], r["other"]["slug"]) for r in body["relations"]}


# ---------------------------------------------------------------------------- actors: as_of


def test_mali_in_mid_2024_is_in_the_aes_and_lists_no_ended_relation(api, registry):
    mali = actor("mali")
    # A relation of Mali's that ended before the day asked about (ours, for the test).
    bloc = ActorFactory(name="Old customs union", slug="old-customs-union", kind=ActorKind.ORGANIZATION)
    RelationFactory(subject=mali, object=bloc, start=dt.date(1990, 1, 1), end=dt.date(2023, 3, 1))

    body = ok(api.get(f"/api/v1/actors/{mali.pk}/", {"as_of": "2024-06-01"}))

    keys = relation_keys(body)
    assert ("member_of", "outgoing", "aes") in keys
    assert ("member_of", "outgoing", "old-customs-union") not in keys
    assert body["as_of"] == "2024-06-01"
    for relation in body["relations"]:
        assert relation["current"] is True
        assert relation["end"] is None or relation["end"] >= "2024-06"


def test_mali_in_mid_2022_is_in_ecowas_and_not_yet_in_the_aes(api, registry):
    body = ok(api.get(f"/api/v1/actors/{actor('mali').pk}/", {"as_of": "2022-06-01"}))

    keys = relation_keys(body)
    assert ("member_of", "outgoing", "ecowas") in keys
    assert ("member_of", "outgoing", "aes") not in keys
    # Incoming relations count too: the foreign minister holds a position in Mali.
    assert ("holds_position", "incoming", "abdoulaye-diop") in keys


def test_after_the_exit_ecowas_membership_is_gone(api, registry):
    body = ok(api.get(f"/api/v1/actors/{actor('mali').pk}/", {"as_of": "2025-06-01"}))
    keys = relation_keys(body)
    assert ("member_of", "outgoing", "ecowas") not in keys
    assert ("member_of", "outgoing", "aes") in keys


def test_without_as_of_every_relation_is_listed_and_marked_current_or_not(api, registry):
    body = ok(api.get(f"/api/v1/actors/{actor('mali').pk}/"))
    by_other = {(r["predicate"], r["other"]["slug"]): r for r in body["relations"]}
    assert body["as_of"] is None
    assert by_other[("member_of", "ecowas")]["current"] is False  # ended January 2025
    assert by_other[("member_of", "ecowas")]["end"] == "2025-01"
    assert by_other[("member_of", "ecowas")]["end_precision"] == "month"
    assert by_other[("member_of", "aes")]["current"] is True
    assert by_other[("member_of", "aes")]["start"] == "2023-09-16"


def test_actor_detail_has_aliases_events_and_the_partners_visible_articles(api, registry, sahel):
    mali = actor("mali")
    seen = ArticlePageFactory(
        title="Bamako weighs its options", parent=sahel, actor_tags=[ArticleActor(actor=mali)]
    )
    other_section = SectionPage.objects.get(slug="analysis")
    ArticlePageFactory(
        title="Not for this partner", parent=other_section, actor_tags=[ArticleActor(actor=mali)]
    )
    ArticlePageFactory(
        title="Still a draft", parent=sahel, publish=False, actor_tags=[ArticleActor(actor=mali)]
    )

    body = ok(api.get(f"/api/v1/actors/{mali.pk}/"))

    assert body["uri"] == f"urn:newsdesk:actor:{mali.pk}"
    assert body["country"] == "ML"
    assert {"text": "République du Mali", "language": "fr", "kind": "name"} in body["aliases"]
    events = {(e["event"]["slug"], e["role"]) for e in body["events"]}
    assert ("aes-founding", "initiator") in events
    assert [a["title"] for a in body["articles"]] == [seen.title]
    assert body["articles"][0]["uri"] == f"urn:newsdesk:article:{seen.pk}"


def test_a_bad_as_of_is_a_400_naming_it(api, registry):
    response = api.get(f"/api/v1/actors/{actor('mali').pk}/", {"as_of": "June 2024"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in response.json()["invalid_params"]] == ["as_of"]


# ---------------------------------------------------------------------------- actors: visibility, merges


def test_a_merged_away_actor_answers_301_to_its_survivor(api, registry):
    survivor = actor("sergey-lavrov")
    duplicate = ActorFactory(name="Sergei Lavrov", slug="sergei-lavrov", kind=ActorKind.PERSON)
    merge_actors(loser=duplicate, survivor=survivor)

    response = api.get(f"/api/v1/actors/{duplicate.pk}/?as_of=2025-04-03")

    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/actors/{survivor.pk}/?as_of=2025-04-03"
    followed = api.get(response["Location"])
    assert ok(followed)["slug"] == "sergey-lavrov"


def test_a_chain_of_merges_redirects_to_the_last_survivor(api, registry):
    first = ActorFactory(name="Moscow (metonym)", kind=ActorKind.STATE)
    second = ActorFactory(name="Russian Federation", kind=ActorKind.STATE)
    merge_actors(loser=first, survivor=second)
    merge_actors(loser=second, survivor=actor("russia"))

    response = api.get(f"/api/v1/actors/{first.pk}/")

    assert response.status_code == 301
    assert response["Location"] == f"/api/v1/actors/{actor('russia').pk}/"


def test_proposed_unknown_and_merged_into_hidden_actors_are_404(api, registry):
    proposed = ActorFactory(review_status=ReviewStatus.PROPOSED)
    hidden = ActorFactory(review_status=ReviewStatus.PROPOSED)
    loser = ActorFactory()
    Actor.objects.filter(pk=loser.pk).update(merged_into=hidden)
    for pk in (proposed.pk, loser.pk, 999_999):
        response = api.get(f"/api/v1/actors/{pk}/")
        assert response.status_code == 404, pk
        assert response["Content-Type"] == "application/problem+json"


def test_actor_list_has_only_approved_unmerged_actors(api, registry):
    proposed = ActorFactory(name="Aaa proposed", review_status=ReviewStatus.PROPOSED)
    merged = ActorFactory(name="Aaa merged")
    merge_actors(loser=merged, survivor=actor("mali"))
    seen: list[str] = []
    url = "/api/v1/actors/?page_size=100"
    while url:
        body = ok(api.get(url))
        seen += [item["slug"] for item in body["results"]]
        url = body["next"]
    public = Actor.objects.filter(review_status="approved", merged_into=None).order_by("name", "id")
    assert seen == list(public.values_list("slug", flat=True))  # by name, each once
    assert proposed.slug not in seen and merged.slug not in seen


# ---------------------------------------------------------------------------- actors: filters


def list_slugs(api, url: str, params: dict) -> list[str]:
    body = ok(api.get(url, {**params, "page_size": 100}))
    assert body["next"] is None
    return [item["slug"] for item in body["results"]]


def test_actors_with_the_same_name_page_in_id_order_each_exactly_once(api, desk):
    """The id tie-break: a keyset on the name alone would skip namesakes across a page edge."""
    namesakes = [ActorFactory(name="Same Name").pk for _ in range(5)]
    ActorFactory(name="Another Name")
    seen: list[int] = []
    url, params = "/api/v1/actors/", {"page_size": 2}
    for _ in range(10):  # bounded: a broken cursor fails instead of looping
        body = ok(api.get(url, params))
        seen += [row["id"] for row in body["results"] if row["name"] == "Same Name"]
        if body["next"] is None:
            break
        url, params = body["next"], {}
    assert seen == sorted(namesakes)


def test_actor_filters_kind_and_country(api, registry):
    assert set(list_slugs(api, "/api/v1/actors/", {"kind": "alliance"})) >= {"aes", "ecowas"}
    assert all(
        Actor.objects.get(slug=s).kind in {"alliance", "person"}
        for s in list_slugs(api, "/api/v1/actors/", {"kind": "alliance|person"})
    )
    by_country = list_slugs(api, "/api/v1/actors/", {"country": "ml"})
    assert "mali" in by_country and "abdoulaye-diop" in by_country and "niger" not in by_country


def test_member_of_reads_membership_on_the_as_of_day(api, registry):
    url = "/api/v1/actors/"
    sahel_three = {"mali", "burkina-faso", "niger"}
    assert sahel_three <= set(list_slugs(api, url, {"member_of": "ecowas", "as_of": "2022-06-01"}))
    assert not sahel_three & set(list_slugs(api, url, {"member_of": "ecowas", "as_of": "2025-06-01"}))
    assert set(list_slugs(api, url, {"member_of": "aes", "as_of": "2024-06-01"})) == sahel_three
    assert list_slugs(api, url, {"member_of": "aes", "as_of": "2022-06-01"}) == []
    # Both at once (`,`) only in the overlap year; either (`|`) in 2022 = the ECOWAS members.
    both = set(list_slugs(api, url, {"member_of": "aes,ecowas", "as_of": "2024-06-01"}))
    assert both == sahel_three
    aes = actor("aes")
    either = set(list_slugs(api, url, {"member_of": f"{aes.pk}|ecowas", "as_of": "2022-06-01"}))
    assert sahel_three <= either


def test_bad_actor_filters_are_400s_naming_the_parameter(api, registry):
    for params, name in [
        ({"member_of": "no-such-bloc"}, "member_of"),
        ({"as_of": "2024-06-01"}, "as_of"),
        ({"kind": "planet"}, "kind"),
        ({"country": "XX"}, "country"),
        ({"colour": "red"}, "colour"),
    ]:
        response = api.get("/api/v1/actors/", params)
        assert response.status_code == 400, params
        assert [p["name"] for p in response.json()["invalid_params"]] == [name]


# ---------------------------------------------------------------------------- events


def test_event_detail_has_participants_roles_date_claims_and_source_articles(api, registry, sahel):
    founding = Event.objects.get(slug="aes-founding")
    report = ArticlePageFactory(
        title="Three juntas sign a defence pact", parent=sahel, event_tags=[ArticleEvent(event=founding)]
    )
    ArticlePageFactory(
        title="Unconfirmed tag", parent=sahel, event_tags=[ArticleEvent(event=founding, confirmed=False)]
    )

    body = ok(api.get(f"/api/v1/events/{founding.pk}/"))

    assert body["type"] == "alliance_formed" and body["status"] == "occurred"
    assert body["start"] == "2023-09-16" and body["place"]["slug"] == "bamako"
    roles = {(p["actor"]["slug"], p["role"]) for p in body["participants"]}
    assert {("mali", "initiator"), ("niger", "initiator"), ("aes", "member")} <= roles
    claims = {(c["date"], c["precision"], c["source"]) for c in body["date_claims"]}
    assert ("2023-09-16", "day", "Liptako-Gourma Charter, as signed") in claims
    assert ("2023-12", "month", "Analysis commentary") in claims
    assert body["disputed_date"] is True
    assert [a["id"] for a in body["articles"]] == [report.pk]


def test_a_proposed_event_is_404(api, registry):
    event = EventFactory(review_status=ReviewStatus.PROPOSED)
    assert api.get(f"/api/v1/events/{event.pk}/").status_code == 404


def test_event_filters(api, registry):
    url = "/api/v1/events/"
    assert "aes-founding" in list_slugs(api, url, {"type": "alliance_formed"})
    assert all(
        Event.objects.get(slug=s).event_type == "summit" for s in list_slugs(api, url, {"type": "summit"})
    )
    planned = list_slugs(api, url, {"status": "planned"})
    assert planned and all(Event.objects.get(slug=s).status == "planned" for s in planned)
    in_2023 = list_slugs(api, url, {"date_from": "2023-01-01", "date_to": "2023-12-31"})
    assert "aes-founding" in in_2023 and "aes-ecowas-exit" not in in_2023
    # A month-precision event counts on any day of its month.
    assert "aes-ecowas-exit" in list_slugs(api, url, {"date_from": "2025-01-31", "date_to": "2025-01-31"})
    with_lavrov = list_slugs(api, url, {"participant": "sergey-lavrov"})
    assert with_lavrov and all(
        Event.objects.get(slug=s).participants.filter(actor__slug="sergey-lavrov").exists()
        for s in with_lavrov
    )
    both = list_slugs(api, url, {"participant": "mali,ecowas"})
    assert "aes-ecowas-exit" in both and "aes-founding" not in both
    assert "aes-founding" in list_slugs(api, url, {"place": "bamako"})
    # A country matches events in its cities.
    assert "aes-founding" in list_slugs(api, url, {"place": "mali"})


def test_event_filters_reject_bad_values(api, registry):
    for params, name in [
        ({"type": "picnic"}, "type"),
        ({"date_from": "2024-13-01"}, "date_from"),
        ({"date_from": "2025-01-01", "date_to": "2024-01-01"}, "date_to"),
        ({"participant": "nobody-at-all"}, "participant"),
        ({"place": "atlantis"}, "place"),
    ]:
        response = api.get("/api/v1/events/", params)
        assert response.status_code == 400, params
        assert [p["name"] for p in response.json()["invalid_params"]] == [name]


def test_a_proposed_place_actor_or_series_is_never_named_or_matched(api, registry):
    """One visibility rule: what an event's own detail hides, no filter matches through."""
    mali = Place.objects.get(slug="mali")
    town = PlaceFactory(
        name="Unapproved Town", country="ML", parent=mali, review_status=ReviewStatus.PROPOSED
    )
    series = EventFactory(title="Unapproved series", review_status=ReviewStatus.PROPOSED)
    hidden_actor = ActorFactory(name="Unapproved Actor", review_status=ReviewStatus.PROPOSED)
    event = EventFactory(title="Meeting somewhere", slug="meeting-somewhere", place=town, parent=series)
    ParticipantFactory(event=event, actor=hidden_actor)

    detail = ok(api.get(f"/api/v1/events/{event.pk}/"))
    assert detail["place"] is None and detail["parent"] is None and detail["participants"] == []
    listed = {row["slug"]: row for row in ok(api.get("/api/v1/events/", {"page_size": 100}))["results"]}
    assert listed["meeting-somewhere"]["place"] is None
    # The country's events are those at its public places; the proposed town does not count.
    in_mali = list_slugs(api, "/api/v1/events/", {"place": "mali"})
    assert "aes-founding" in in_mali and "meeting-somewhere" not in in_mali
    for params, name in [
        ({"place": str(town.pk)}, "place"),
        ({"participant": str(hidden_actor.pk)}, "participant"),
    ]:
        response = api.get("/api/v1/events/", params)
        assert response.status_code == 400, params
        assert [p["name"] for p in response.json()["invalid_params"]] == [name]
    assert "unapproved-town" not in list_slugs(api, "/api/v1/places/", {"country": "ML"})
    assert api.get(f"/api/v1/events/{series.pk}/").status_code == 404
    assert api.get(f"/api/v1/actors/{hidden_actor.pk}/").status_code == 404


# ---------------------------------------------------------------------------- places


def test_places_list_and_detail(api, registry):
    ouaga = Place.objects.get(slug="ouagadougou")
    body = ok(api.get(f"/api/v1/places/{ouaga.pk}/"))
    assert body["uri"] == f"urn:newsdesk:place:{ouaga.pk}"
    assert body["country"] == "BF" and body["kind"] == "city"
    assert body["parent"]["slug"] == "burkina-faso"
    assert isinstance(body["latitude"], float)
    countries = list_slugs(api, "/api/v1/places/", {"kind": "country"})
    assert "mali" in countries and "ouagadougou" not in countries
    assert "ouagadougou" in list_slugs(api, "/api/v1/places/", {"country": "BF"})
    hidden = PlaceFactory(review_status=ReviewStatus.PROPOSED)
    assert api.get(f"/api/v1/places/{hidden.pk}/").status_code == 404


def test_registry_endpoints_need_a_key(anon, registry):
    for url in ("/api/v1/actors/", "/api/v1/events/", "/api/v1/places/"):
        assert anon.get(url).status_code == 401


# ---------------------------------------------------------------------------- query budgets


def count_queries(client, url: str) -> int:
    client.get(url)  # warm-up: key lookup caches, site root paths
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.mark.parametrize("resource", ["actors", "events", "places"])
def test_list_queries_do_not_grow_with_the_page_size(api, registry, resource, django_assert_max_num_queries):
    for _n in range(30):
        ActorFactory()
        PlaceFactory(parent=Place.objects.get(slug="mali"))
        EventFactory(place=Place.objects.get(slug="bamako"))
    small = count_queries(api, f"/api/v1/{resource}/?page_size=2")
    large = count_queries(api, f"/api/v1/{resource}/?page_size=60")
    assert small == large
    with django_assert_max_num_queries(large):
        api.get(f"/api/v1/{resource}/?page_size=100")


def test_detail_queries_do_not_grow_with_the_record(api, registry, sahel, django_assert_max_num_queries):
    mali = actor("mali")
    ArticlePageFactory(parent=sahel, actor_tags=[ArticleActor(actor=mali)])
    baseline = count_queries(api, f"/api/v1/actors/{mali.pk}/")
    for _n in range(5):
        other = ActorFactory()
        RelationFactory(subject=mali, object=other, predicate=Predicate.ALLIED_WITH)
        ParticipantFactory(actor=mali, event=EventFactory())
        ArticlePageFactory(parent=sahel, actor_tags=[ArticleActor(actor=mali)])
    with django_assert_max_num_queries(baseline):
        assert api.get(f"/api/v1/actors/{mali.pk}/").status_code == 200
    founding = Event.objects.get(slug="aes-founding")
    ArticlePageFactory(parent=sahel, event_tags=[ArticleEvent(event=founding)])
    baseline = count_queries(api, f"/api/v1/events/{founding.pk}/")
    for _n in range(5):
        ParticipantFactory(event=founding, actor=ActorFactory())
        ArticlePageFactory(parent=sahel, event_tags=[ArticleEvent(event=founding)])
    with django_assert_max_num_queries(baseline):
        assert api.get(f"/api/v1/events/{founding.pk}/").status_code == 200


def test_registry_urls_use_the_public_base_url_not_the_request_host(api, registry, sahel, settings):
    settings.PUBLIC_BASE_URL = "https://news.example.org"
    mali = actor("mali")
    story = ArticlePageFactory(title="Bamako's new line", parent=sahel, actor_tags=[ArticleActor(actor=mali)])

    body = ok(api.get(f"/api/v1/actors/{mali.pk}/"))

    assert body["url"] == f"https://news.example.org/actors/{mali.slug}/"
    assert [a["url"] for a in body["articles"]] == [
        f"https://news.example.org{story.url_path[len('/home') :]}"
    ]


# ---------------------------------------------------------------------------- events list: rows


def test_event_list_rows_are_what_the_event_serializer_says(api, registry):
    """The list builds its rows from .values() (rs.event_row); the serializer is the contract."""
    from rest_framework.test import APIRequestFactory

    from apps.api import registry_serializers as rs

    hidden = PlaceFactory(review_status=ReviewStatus.PROPOSED)
    EventFactory(place=hidden, summary="at a proposed place", start_precision="month")
    EventFactory(place=None, end=dt.date(2025, 1, 1), end_precision="year")
    EventFactory(place=Place.objects.get(slug="bamako"))
    body = ok(api.get("/api/v1/events/?page_size=100"))
    events = Event.objects.public().select_related("place").order_by("id")
    context = {"request": APIRequestFactory().get("/api/v1/events/")}
    expected = rs.EventSerializer(events, many=True, context=context).data
    assert body["results"] == expected
    assert any(e["place"] is None for e in expected) and any(e["place"] for e in expected)
    assert any(e["end"] for e in expected)
    # `fields` keeps the serializer's order and only what is asked for.
    picked = ok(api.get("/api/v1/events/?page_size=100&fields=url,id,place"))["results"]
    assert picked == [{"id": e["id"], "place": e["place"], "url": e["url"]} for e in expected]
    assert [list(row) for row in picked][:1] == [["id", "place", "url"]]


def test_event_list_queries_are_pinned_at_any_page_size(api, registry, django_assert_num_queries):
    """The key with its partner and entitled section ids, the validators' compiled statement,
    the page."""
    for _n in range(101):
        EventFactory(place=Place.objects.get(slug="bamako"))
    for size in (5, 100):
        api.get(f"/api/v1/events/?page_size={size}")  # one-off lookups
        with django_assert_num_queries(3):
            response = api.get(f"/api/v1/events/?page_size={size}")
        assert len(response.json()["results"]) == size
