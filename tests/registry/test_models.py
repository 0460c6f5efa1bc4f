"""Invariants the database enforces even when code is wrong, and the model-level validation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.registry.dates import format_partial
from apps.registry.models import Actor, ActorRelation, Alias, Event, Place
from apps.registry.text import fold
from tests.registry.factories import ActorFactory, EventFactory, PlaceFactory, RelationFactory

pytestmark = pytest.mark.django_db


def rejects(fn) -> bool:
    try:
        with transaction.atomic():
            fn()
    except IntegrityError:
        return True
    return False


def test_db_rejects_a_relation_to_itself():
    mali = ActorFactory()
    assert rejects(lambda: ActorRelation.objects.create(subject=mali, object=mali, predicate="allied_with"))


def test_db_rejects_an_end_before_the_start():
    a, b = ActorFactory(), ActorFactory()
    assert rejects(
        lambda: ActorRelation.objects.create(
            subject=a, object=b, predicate="member_of", start=dt.date(2025, 3, 5), end=dt.date(2025, 3, 4)
        )
    )
    # The whole of the end's period counts: "ended 2025" after "started 5 March 2025" is fine.
    assert not rejects(
        lambda: ActorRelation.objects.create(
            subject=a,
            object=b,
            predicate="member_of",
            start=dt.date(2025, 3, 5),
            end=dt.date(2025, 1, 1),
            end_precision="year",
        )
    )


def test_db_rejects_an_event_ending_before_it_starts():
    assert rejects(lambda: EventFactory(start=dt.date(2025, 4, 16), end=dt.date(2025, 4, 15)))


@pytest.mark.parametrize("qid", ["12", "q12", "Q", "Q01", "X12"])
def test_db_rejects_a_malformed_qid(qid):
    # Bypass save()'s upper-casing to test the constraint itself.
    actor = ActorFactory()
    assert rejects(lambda: Actor.objects.filter(pk=actor.pk).update(wikidata_qid=qid))


def test_qid_is_unique_only_when_set():
    ActorFactory(wikidata_qid="")
    ActorFactory(wikidata_qid="")
    ActorFactory(wikidata_qid="Q912")
    assert rejects(lambda: ActorFactory(wikidata_qid="Q912"))


def test_qid_validation_error_in_full_clean():
    with pytest.raises(ValidationError) as excinfo:
        Actor(name="Mali", slug="mali", kind="state", wikidata_qid="912").full_clean()
    assert "wikidata_qid" in excinfo.value.message_dict


def test_db_rejects_duplicate_folded_alias_per_owner_but_not_across_owners():
    mali, niger = ActorFactory(), ActorFactory()
    Alias.objects.create(actor=mali, text="Sahel")
    assert rejects(lambda: Alias.objects.create(actor=mali, text="SAHÉL"))
    assert not rejects(lambda: Alias.objects.create(actor=niger, text="Sahel"))
    assert not rejects(lambda: Alias.objects.create(actor=mali, text="Sahel", language="fr"))


def test_db_requires_exactly_one_alias_owner():
    actor, place = ActorFactory(), PlaceFactory()
    assert rejects(lambda: Alias.objects.create(text="Nobody's"))
    assert rejects(lambda: Alias.objects.create(actor=actor, place=place, text="Both"))


def test_db_rejects_duplicate_relation():
    relation = RelationFactory()
    assert rejects(
        lambda: RelationFactory(subject=relation.subject, object=relation.object, start=relation.start)
    )


def test_db_rejects_coordinates_out_of_range():
    assert rejects(lambda: PlaceFactory(latitude=91))
    assert rejects(lambda: PlaceFactory(longitude=-181))


def test_db_rejects_self_parent_and_self_merge():
    place = PlaceFactory()
    assert rejects(lambda: Place.objects.filter(pk=place.pk).update(parent=place.pk))
    event = EventFactory()
    assert rejects(lambda: Event.objects.filter(pk=event.pk).update(parent=event.pk))
    actor = ActorFactory()
    assert rejects(lambda: Actor.objects.filter(pk=actor.pk).update(merged_into=actor.pk))


def test_position_title_only_for_positions():
    relation = RelationFactory.build(
        subject=ActorFactory(), object=ActorFactory(), predicate="member_of", position_title="Minister"
    )
    with pytest.raises(ValidationError) as excinfo:
        relation.full_clean()
    assert "position_title" in excinfo.value.message_dict


def test_slug_is_made_from_the_name_and_kept_unique():
    first = Actor.objects.create(name="Niger", kind="state")
    second = Actor.objects.create(name="Niger", kind="other")
    assert (first.slug, second.slug) == ("niger", "niger-2")


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Goïta", "goita"),
        ("  Alliance  des ÉTATS du Sahel ", "alliance des etats du sahel"),
        ("N\u2019Djamena", "n'djamena"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("precision", "shown"), [("year", "2022"), ("month", "January 2022"), ("day", "9 January 2022")]
)
def test_partial_date_display(precision, shown):
    assert format_partial(dt.date(2022, 1, 9), precision) == shown
