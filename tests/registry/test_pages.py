"""Public actor/event/place pages: every demo record renders, query counts stay flat, rules hold."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.registry.demo import load
from apps.registry.models import Actor, Event, Place, ReviewStatus
from tests.registry.factories import ActorFactory, EventFactory, ParticipantFactory, RelationFactory

pytestmark = pytest.mark.django_db

# Fixed costs of a public page (site settings, nav sections, the page's own selectors); the
# tests below also check that the count does not grow with the record's size.
ACTOR_PAGE_MAX_QUERIES = 12
EVENT_PAGE_MAX_QUERIES = 10
INDEX_MAX_QUERIES = 10


@pytest.fixture
def demo(desk):
    load()


def count_queries(client, url) -> int:
    client.get(url)  # warm-up: site settings and other per-process caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_every_demo_actor_page_renders_with_timeline_and_picture(client, demo):
    actors = list(Actor.objects.all())
    assert len(actors) >= 30
    for actor in actors:
        response = client.get(actor.get_absolute_url())
        assert response.status_code == 200, actor.slug
        html = response.content.decode()
        assert actor.name.replace("'", "&#x27;") in html
        assert 'id="timeline-h"' in html
        if actor.relations.exists() or actor.incoming_relations.exists():
            assert "<svg" in html and 'class="relgraph"' in html, actor.slug


def test_every_demo_event_and_place_page_renders(client, demo):
    events = list(Event.objects.all())
    assert len(events) >= 12
    for event in events:
        assert client.get(event.get_absolute_url()).status_code == 200, event.slug
    for place in Place.objects.all():
        assert client.get(place.get_absolute_url()).status_code == 200, place.slug


def test_mali_page_shows_relations_timeline_and_graph(client, demo):
    html = client.get(reverse("registry:actor_detail", args=["mali"])).content.decode()
    assert "Alliance of Sahel States" in html
    assert '<time datetime="2025-01">January 2025</time>' in html  # ECOWAS membership ended
    assert '<time datetime="2023-09-16">16 September 2023</time>' in html
    assert html.count('class="relgraph-node"') >= 5
    assert "relgraph-past" in html  # ECOWAS is drawn as a past relation
    assert "Malian" in html


def test_event_page_shows_disputed_date_claims_and_participants_by_role(client, demo):
    html = client.get(reverse("registry:event_detail", args=["aes-founding"])).content.decode()
    assert "Sources disagree on the date" in html
    assert '<time datetime="2023-12">December 2023</time>' in html
    moscow = client.get(reverse("registry:event_detail", args=["aes-moscow-meeting-2025"])).content.decode()
    assert moscow.index("<h3>Host</h3>") < moscow.index("<h3>Attendee</h3>")
    assert "Sergey Lavrov" in moscow


def test_ouagadougou_summit_is_in_a_series_with_bamako_and_niamey(client, demo):
    html = client.get(reverse("registry:event_detail", args=["aes-military-chiefs-summits"])).content.decode()
    for title in ("meet in Bamako", "meet in Niamey", "summit in Ouagadougou"):
        assert title in html
    child = client.get(reverse("registry:event_detail", args=["aes-military-chiefs-ouagadougou-2025"]))
    assert b"15 April 2025" in child.content and b"16 April 2025" in child.content


def test_public_pages_use_no_inline_style_or_script(client, demo):
    # CSP on the public site forbids inline script and style attributes.
    for url in ("/actors/", "/actors/mali/", "/events/", "/events/aes-founding/", "/places/bamako/"):
        html = client.get(url).content.decode()
        assert not re.search(r"\sstyle=", html), url
        assert "<script>" not in html and "<script " not in html, url


def test_actor_page_query_count_does_not_grow_with_relations_and_events(
    client, desk, django_assert_max_num_queries
):
    actor = ActorFactory(name="Hub")
    RelationFactory(subject=actor)
    ParticipantFactory(actor=actor)
    url = actor.get_absolute_url()
    small = count_queries(client, url)
    for i in range(15):
        RelationFactory(subject=actor, start=dt.date(2000 + i, 1, 1))
        RelationFactory(object=actor, start=dt.date(2000 + i, 1, 1))
        ParticipantFactory(actor=actor, event=EventFactory(start=dt.date(2000 + i, 2, 1)))
    large = count_queries(client, url)
    assert large == small
    with django_assert_max_num_queries(ACTOR_PAGE_MAX_QUERIES):
        client.get(url)


def test_event_page_query_count_does_not_grow_with_participants(client, desk, django_assert_max_num_queries):
    event = EventFactory()
    ParticipantFactory(event=event)
    url = event.get_absolute_url()
    small = count_queries(client, url)
    for _ in range(20):
        ParticipantFactory(event=event)
        EventFactory(parent=event)
    event.date_claims.create(date=dt.date(2024, 5, 2), source="Another")
    assert count_queries(client, url) == small
    with django_assert_max_num_queries(EVENT_PAGE_MAX_QUERIES):
        client.get(url)


def test_index_query_counts_do_not_grow(client, desk, django_assert_max_num_queries):
    ActorFactory()
    EventFactory()
    small = (count_queries(client, "/actors/"), count_queries(client, "/events/"))
    for _ in range(30):
        ActorFactory()
        EventFactory(place=None)
    assert (count_queries(client, "/actors/"), count_queries(client, "/events/")) == small
    with django_assert_max_num_queries(INDEX_MAX_QUERIES):
        client.get("/actors/")
    with django_assert_max_num_queries(INDEX_MAX_QUERIES):
        client.get("/events/")


def test_index_filters(client, demo):
    response = client.get("/actors/", {"kind": "person", "country": "ML"})
    names = {a.name for a in response.context["page_obj"]}
    assert names == {"Abdoulaye Diop", "Assimi Goïta"}
    response = client.get("/events/", {"type": "summit", "country": "BF"})
    assert [e.slug for e in response.context["page_obj"]] == ["aes-military-chiefs-ouagadougou-2025"]
    response = client.get("/events/", {"year": "2022"})
    assert {e.slug for e in response.context["page_obj"]} == {
        "mali-expels-french-ambassador",
        "france-leaves-mali",
    }


@pytest.mark.parametrize("query", [{"kind": "wizard"}, {"country": "XX"}])
def test_unknown_actor_filter_is_a_400_with_the_form_error(client, desk, query):
    response = client.get("/actors/", query)
    assert response.status_code == 400
    assert response.context["form"].errors


def test_unknown_event_filter_is_a_400(client, desk):
    assert client.get("/events/", {"year": "soon"}).status_code == 400


def test_proposed_records_are_not_public(client, desk):
    actor = ActorFactory(review_status=ReviewStatus.PROPOSED)
    event = EventFactory(review_status=ReviewStatus.PROPOSED)
    assert client.get(actor.get_absolute_url()).status_code == 404
    assert client.get(event.get_absolute_url()).status_code == 404
    assert actor not in client.get("/actors/").context["page_obj"]


def test_merged_actor_url_redirects_to_the_survivor(client, desk):
    survivor = ActorFactory(name="Sergey Lavrov")
    middle = ActorFactory(name="Sergei Lavrov", merged_into=survivor)
    first = ActorFactory(name="S. Lavrov", merged_into=middle)
    response = client.get(first.get_absolute_url())
    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url()


def test_unknown_slug_is_404(client, desk):
    assert client.get("/actors/nobody/").status_code == 404
    assert client.get("/events/nothing/").status_code == 404
    assert client.get("/places/nowhere/").status_code == 404


def test_relation_starting_later_is_listed_as_current_not_past(client, desk):
    actor = ActorFactory()
    later = RelationFactory(subject=actor, start=dt.date(2999, 1, 1), start_precision="year")
    ended = RelationFactory(subject=actor, start=dt.date(2000, 1, 1), end=dt.date(2001, 1, 1))
    profile = client.get(actor.get_absolute_url()).context["profile"]
    assert [row.relation for row in profile.current] == [later]
    assert [row.relation for row in profile.past] == [ended]


def test_event_page_does_not_name_a_proposed_place(client, desk):
    from tests.registry.factories import PlaceFactory

    place = PlaceFactory(name="Hidden town", review_status=ReviewStatus.PROPOSED)
    event = EventFactory(place=place)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Hidden town" not in html
    assert place.get_absolute_url() not in html


def test_event_page_does_not_name_a_proposed_series_or_parent_place(client, desk):
    from tests.registry.factories import PlaceFactory

    region = PlaceFactory(name="Unvetted region", review_status=ReviewStatus.PROPOSED)
    town = PlaceFactory(name="Approved town", parent=region, review_status=ReviewStatus.APPROVED)
    series = EventFactory(title="Unvetted summit series", review_status=ReviewStatus.PROPOSED)
    event = EventFactory(place=town, parent=series, review_status=ReviewStatus.APPROVED)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Approved town" in html
    assert "Unvetted region" not in html
    assert "Unvetted summit series" not in html
    assert "Part of" not in html
    place_html = client.get(town.get_absolute_url()).content.decode()
    assert "Unvetted region" not in place_html
