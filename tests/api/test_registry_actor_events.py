"""Actor detail's embedded `events`: the newest EMBEDDED_PER_RECORD participations in public
events, in one query, and `events_url`, the events list filtered to the actor, for the rest."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

from apps.api.registry_serializers import EMBEDDED_PER_RECORD
from apps.articles.models import ArticleActor
from apps.registry.models import ParticipantRole, ReviewStatus
from tests.api.factories import ArticlePageFactory
from tests.registry.factories import ActorFactory, EventFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

BASE = "https://news.example.org"
N = EMBEDDED_PER_RECORD


@pytest.fixture(autouse=True)
def public_base(settings):
    settings.PUBLIC_BASE_URL = BASE


def take_part(actor, count: int, *, first_day: dt.date = dt.date(2020, 1, 1), **event) -> list:
    """`count` events a day apart from `first_day` on, the actor attending each; oldest first."""
    return [
        ParticipantFactory(
            actor=actor, event=EventFactory(start=first_day + dt.timedelta(days=i), **event)
        ).event
        for i in range(count)
    ]


def detail(api, actor, query: str = "") -> dict:
    response = api.get(f"/api/v1/actors/{actor.pk}/{query}")
    assert response.status_code == 200, response.content
    return response.json()


def embedded_ids(body: dict) -> list[int]:
    return [entry["event"]["id"] for entry in body["events"]]


def all_listed(api, url: str) -> list[int]:
    """Every event id the list at `url` (absolute, on the public base) answers, page by page."""
    assert url.startswith(BASE)
    parts = urlsplit(url)
    path, query = parts.path, f"{parts.query}&page_size=7"
    ids: list[int] = []
    while path:
        response = api.get(f"{path}?{query}")
        assert response.status_code == 200, response.content
        body = response.json()
        ids += [row["id"] for row in body["results"]]
        if body["next"] is None:
            break
        parts = urlsplit(body["next"])
        path, query = parts.path, parts.query
    return ids


def test_exactly_n_participations_are_all_embedded_newest_first(api, desk):
    actor = ActorFactory()
    events = take_part(actor, N)

    body = detail(api, actor)

    assert embedded_ids(body) == [e.pk for e in reversed(events)]
    newest = body["events"][0]
    assert newest == {
        "event": {
            "id": events[-1].pk,
            "uri": f"urn:newsdesk:event:{events[-1].pk}",
            "slug": events[-1].slug,
            "title": events[-1].title,
            "type": events[-1].event_type,
            "start": events[-1].start.isoformat(),
        },
        "role": "attendee",
    }


def test_one_more_than_n_drops_the_oldest_and_the_link_lists_every_one(api, desk):
    actor = ActorFactory()
    events = take_part(actor, N + 1)
    ParticipantFactory(actor=ActorFactory(), event=EventFactory())  # someone else's event

    body = detail(api, actor)

    assert len(body["events"]) == N
    assert embedded_ids(body) == [e.pk for e in reversed(events[1:])]
    assert body["events_url"] == f"{BASE}/api/v1/events/?participant={actor.pk}"
    assert sorted(all_listed(api, body["events_url"])) == sorted(e.pk for e in events)


def test_order_is_start_then_event_then_participation_newest_first_undated_first(api, desk):
    actor = ActorFactory()
    older = EventFactory(start=dt.date(2023, 1, 1))
    same_day_low, same_day_high = (
        EventFactory(start=dt.date(2024, 3, 1)),
        EventFactory(start=dt.date(2024, 3, 1)),
    )
    year_only = EventFactory(start=dt.date(2024, 1, 1), start_precision="year")
    undated = EventFactory(start=None)
    ParticipantFactory(actor=actor, event=older)
    ParticipantFactory(actor=actor, event=same_day_low)
    ParticipantFactory(actor=actor, event=same_day_high, role=ParticipantRole.ATTENDEE)
    ParticipantFactory(actor=actor, event=same_day_high, role=ParticipantRole.HOST)  # two roles
    ParticipantFactory(actor=actor, event=year_only)
    ParticipantFactory(actor=actor, event=undated)

    body = detail(api, actor)

    assert [(e["event"]["id"], e["role"]) for e in body["events"]] == [
        (undated.pk, "attendee"),
        (same_day_high.pk, "host"),
        (same_day_high.pk, "attendee"),
        (same_day_low.pk, "attendee"),
        (year_only.pk, "attendee"),
        (older.pk, "attendee"),
    ]
    assert [e["event"]["start"] for e in body["events"]][:1] == [None]
    assert body["events"][4]["event"]["start"] == "2024"


def test_non_public_events_never_appear_nor_take_a_place(api, desk):
    actor = ActorFactory()
    events = take_part(actor, N)
    # Newer than every public one: a filter after the limit would let them push those out.
    hidden = take_part(actor, 3, first_day=dt.date(2030, 1, 1), review_status=ReviewStatus.PROPOSED)

    body = detail(api, actor)

    assert embedded_ids(body) == [e.pk for e in reversed(events)]
    listed = all_listed(api, body["events_url"])
    assert sorted(listed) == sorted(e.pk for e in events)
    assert not {e.pk for e in hidden} & set(listed)


def test_fields_can_ask_for_the_link_alone(api, desk):
    actor = ActorFactory()
    take_part(actor, 2)

    body = detail(api, actor, "?fields=id,events_url")

    assert body == {"id": actor.pk, "events_url": f"{BASE}/api/v1/events/?participant={actor.pk}"}


# The key, the validators' state, the actor, aliases, relations, the newest participations, the
# articles' tags and the articles page.
DETAIL_QUERIES = 8


@pytest.mark.parametrize("participations", [1, N, 30])
def test_detail_queries_are_pinned_however_many_participations(
    api, sahel, participations, django_assert_num_queries
):
    actor = ActorFactory()
    take_part(actor, participations)
    ArticlePageFactory(parent=sahel, actor_tags=[ArticleActor(actor=actor)])
    url = f"/api/v1/actors/{actor.pk}/?as_of=2024-06-01"
    api.get(url)  # one-off lookups (site root paths)

    with django_assert_num_queries(DETAIL_QUERIES):
        body = api.get(url).json()

    assert len(body["events"]) == min(participations, N)
    assert len(body["articles"]) == 1
