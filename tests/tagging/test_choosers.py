"""The registry choosers the Tags tab uses: kind, country and dates in the listing; alias search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from apps.registry.models import Actor, Event, Place
from tests.registry.factories import ActorFactory, AliasFactory, EventFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def choose_url(model, view: str = "choose") -> str:
    return reverse(model.snippet_viewset.chooser_viewset.get_url_name(view))


@pytest.fixture
def reporter_client(client, desk):
    client.force_login(get_user_model().objects.get(username="reporter"))
    return client


def test_actor_chooser_shows_kind_country_and_status(reporter_client):
    ActorFactory(name="Zemblan Front", kind="armed_group", country="ML")
    html = reporter_client.get(choose_url(Actor)).json()["html"]
    assert "Zemblan Front" in html and "Armed group" in html and "Mali" in html and "Approved" in html


def test_actor_chooser_finds_an_actor_by_alias(reporter_client):
    actor = ActorFactory(name="Republic of Tandor")
    AliasFactory(actor=actor, text="Tandoria")
    html = reporter_client.get(choose_url(Actor, "choose_results"), {"q": "Tandoria"}).content.decode()
    assert "Republic of Tandor" in html


def test_event_chooser_shows_type_date_and_place(reporter_client):
    place = PlaceFactory(name="Zembla City")
    EventFactory(title="Zembla summit", start=dt.date(2024, 3, 1), start_precision="month", place=place)
    html = reporter_client.get(choose_url(Event)).json()["html"]
    assert "Zembla summit" in html and "Summit" in html and "March 2024" in html and "Zembla City" in html


def test_place_chooser_shows_kind_and_country(reporter_client):
    PlaceFactory(name="Zembla Port", kind="city", country="NE")
    html = reporter_client.get(choose_url(Place)).json()["html"]
    assert "Zembla Port" in html and "City" in html and "Niger" in html


def test_choosers_allow_choosing_several_at_once(reporter_client):
    ActorFactory(name="Zemblan Front")
    html = reporter_client.get(choose_url(Actor), {"multiple": "1"}).json()["html"]
    assert 'type="checkbox"' in html and "chooser-modal-select" in html
