"""Registry records for article tests (the registry area keeps its own factories)."""

from __future__ import annotations

import datetime as dt

import factory

from apps.registry.models import Actor, ActorKind, Event, EventType, Place, PlaceKind, ReviewStatus


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Sahel Actor {n}")
    kind = ActorKind.STATE
    review_status = ReviewStatus.APPROVED


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Town {n}")
    kind = PlaceKind.CITY
    review_status = ReviewStatus.APPROVED


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Regional summit {n}")
    event_type = EventType.SUMMIT
    start = dt.date(2025, 4, 15)
    review_status = ReviewStatus.APPROVED
