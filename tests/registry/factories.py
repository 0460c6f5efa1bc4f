"""Factories for registry records (approved unless a test says otherwise)."""

from __future__ import annotations

import datetime as dt

import factory

from apps.registry.models import (
    Actor,
    ActorKind,
    ActorRelation,
    Alias,
    AliasKind,
    Event,
    EventDateClaim,
    EventParticipant,
    EventType,
    ParticipantRole,
    Place,
    PlaceKind,
    Predicate,
    ReviewStatus,
)


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Actor {n}")
    kind = ActorKind.STATE
    review_status = ReviewStatus.APPROVED


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alias

    actor = factory.SubFactory(ActorFactory)
    text = factory.Sequence(lambda n: f"Alias {n}")
    kind = AliasKind.NAME


class RelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActorRelation

    subject = factory.SubFactory(ActorFactory)
    object = factory.SubFactory(ActorFactory, kind=ActorKind.ALLIANCE)
    predicate = Predicate.MEMBER_OF
    start = dt.date(2020, 1, 1)
    start_precision = "day"


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Place {n}")
    kind = PlaceKind.CITY
    review_status = ReviewStatus.APPROVED


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Event {n}")
    event_type = EventType.SUMMIT
    start = dt.date(2024, 5, 1)
    start_precision = "day"
    review_status = ReviewStatus.APPROVED


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventParticipant

    event = factory.SubFactory(EventFactory)
    actor = factory.SubFactory(ActorFactory)
    role = ParticipantRole.ATTENDEE


class DateClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventDateClaim

    event = factory.SubFactory(EventFactory)
    date = dt.date(2024, 5, 1)
    precision = "day"
    source = factory.Sequence(lambda n: f"Source {n}")
