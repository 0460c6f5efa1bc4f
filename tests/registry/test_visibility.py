"""One registry visibility rule: a proposed place, actor or series is never named or matched in public."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from apps.registry import selectors
from apps.registry.models import Actor, Event, Place, PlaceKind, ReviewStatus
from tests.registry.factories import ActorFactory, EventFactory, ParticipantFactory, PlaceFactory

pytestmark = pytest.mark.django_db

PROPOSED = ReviewStatus.PROPOSED


@pytest.fixture
def niger(desk):
    return PlaceFactory(name="Niger", slug="niger", kind=PlaceKind.COUNTRY, country="NE")


@pytest.fixture
def hidden_town(niger):
    """A town in Niger that nobody has approved yet."""
    return PlaceFactory(
        name="Unapproved Town", slug="unapproved-town", country="NE", parent=niger, review_status=PROPOSED
    )


@pytest.fixture
def event_at_hidden_town(hidden_town):
    return EventFactory(title="Meeting somewhere", slug="meeting-somewhere", place=hidden_town)


def test_is_public_and_the_public_querysets_are_one_rule():
    """Every combination of the fields the rule reads: Python and SQL give the same answer."""
    survivor = ActorFactory()
    for status, merged in itertools.product(ReviewStatus.values, [None, survivor]):
        actor = ActorFactory(review_status=status, merged_into=merged)
        assert actor.is_public == selectors.public_actors().filter(pk=actor.pk).exists()
        assert actor.is_public == (status == ReviewStatus.APPROVED and merged is None)
    for status in ReviewStatus.values:
        place = PlaceFactory(review_status=status)
        event = EventFactory(review_status=status)
        assert place.is_public == selectors.public_places().filter(pk=place.pk).exists()
        assert event.is_public == selectors.public_events().filter(pk=event.pk).exists()
        assert place.is_public == event.is_public == (status == ReviewStatus.APPROVED)
    # The rule reaches a record through a relation with the same definition.
    assert set(Event.objects.filter(Place.public_rule.q("place__"))) == set(
        Event.objects.filter(place__review_status=ReviewStatus.APPROVED)
    )
    assert set(Actor.objects.public()) == {a for a in Actor.objects.all() if a.is_public}


def test_event_index_does_not_name_a_proposed_place(client, event_at_hidden_town):
    response = client.get(reverse("registry:event_index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Meeting somewhere" in html
    assert "Unapproved Town" not in html


def test_country_filter_does_not_match_through_a_proposed_place(client, niger, event_at_hidden_town):
    visible = EventFactory(title="Meeting in Niger", place=niger)

    response = client.get(reverse("registry:event_index"), {"country": "NE"})

    html = response.content.decode()
    assert visible.title in html
    assert "Meeting somewhere" not in html


def test_country_page_does_not_list_events_at_its_proposed_places(client, niger, event_at_hidden_town):
    visible = EventFactory(title="Meeting in Niger", place=niger)

    html = client.get(niger.get_absolute_url()).content.decode()

    assert visible.title in html
    assert "Meeting somewhere" not in html
    assert "Unapproved Town" not in html
    assert client.get(reverse("registry:place_detail", kwargs={"slug": "unapproved-town"})).status_code == 404


def test_event_page_names_neither_a_proposed_place_nor_a_proposed_series(client, hidden_town):
    series = EventFactory(title="Unapproved series", slug="unapproved-series", review_status=PROPOSED)
    event = EventFactory(title="Meeting somewhere", place=hidden_town, parent=series)

    html = client.get(event.get_absolute_url()).content.decode()

    assert "Meeting somewhere" in html
    assert "Unapproved Town" not in html
    assert "Unapproved series" not in html
    assert client.get(series.get_absolute_url()).status_code == 404


def test_a_proposed_actor_is_never_named_on_event_or_index_pages(client, desk):
    hidden = ActorFactory(name="Unapproved Actor", slug="unapproved-actor", review_status=PROPOSED)
    shown = ActorFactory(name="Approved Actor")
    event = EventFactory(title="Talks")
    ParticipantFactory(event=event, actor=hidden)
    ParticipantFactory(event=event, actor=shown)

    event_html = client.get(event.get_absolute_url()).content.decode()
    index_html = client.get(reverse("registry:actor_index")).content.decode()

    assert "Approved Actor" in event_html and "Approved Actor" in index_html
    assert "Unapproved Actor" not in event_html and "Unapproved Actor" not in index_html
    assert client.get(hidden.get_absolute_url()).status_code == 404
