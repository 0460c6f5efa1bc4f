"""members_of / relations_as_of / actor_timeline and the partial-date rule (docs/registry.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.registry import selectors
from apps.registry.demo import load
from apps.registry.models import Actor, ActorKind, Predicate, ReviewStatus
from tests.registry.factories import ActorFactory, EventFactory, ParticipantFactory, RelationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_registry():
    load()
    return {actor.slug: actor for actor in Actor.objects.all()}


def names(qs) -> set[str]:
    return {actor.name for actor in qs}


def test_aes_members_mid_2024_are_exactly_the_three_sahel_states(demo_registry):
    members = selectors.members_of(demo_registry["aes"], dt.date(2024, 6, 1))
    assert names(members) == {"Mali", "Burkina Faso", "Niger"}


def test_ecowas_has_none_of_the_aes_states_in_mid_2025(demo_registry):
    members = names(selectors.members_of(demo_registry["ecowas"], dt.date(2025, 6, 1)))
    assert members.isdisjoint({"Mali", "Burkina Faso", "Niger"})


def test_ecowas_still_had_the_three_in_mid_2024(demo_registry):
    members = names(selectors.members_of(demo_registry["ecowas"], dt.date(2024, 6, 1)))
    assert {"Mali", "Burkina Faso", "Niger"} <= members


def test_aes_had_no_members_before_the_charter(demo_registry):
    assert not selectors.members_of(demo_registry["aes"], dt.date(2023, 9, 15)).exists()
    assert selectors.members_of(demo_registry["aes"], dt.date(2023, 9, 16)).count() == 3


def test_members_of_is_one_query(demo_registry, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(selectors.members_of(demo_registry["aes"], dt.date(2024, 6, 1)))


# ---- partial dates: a relation that started in "2023", asked about on 2023-06-01


@pytest.fixture
def started_in_2023():
    return RelationFactory(start=dt.date(2023, 8, 20), start_precision="year")


def test_year_start_is_stored_as_first_day_with_last_day_alongside(started_in_2023):
    started_in_2023.refresh_from_db()
    assert started_in_2023.start == dt.date(2023, 1, 1)
    assert started_in_2023.start_upper == dt.date(2023, 12, 31)


def test_default_reading_counts_a_2023_start_on_2023_06_01(started_in_2023):
    group = started_in_2023.object
    assert started_in_2023.subject in selectors.members_of(group, dt.date(2023, 6, 1))


def test_strict_reading_excludes_a_2023_start_until_the_year_is_over(started_in_2023):
    group = started_in_2023.object
    assert started_in_2023.subject not in selectors.members_of(group, dt.date(2023, 6, 1), strict=True)
    assert started_in_2023.subject not in selectors.members_of(group, dt.date(2023, 12, 30), strict=True)
    assert started_in_2023.subject in selectors.members_of(group, dt.date(2023, 12, 31), strict=True)


def test_neither_reading_counts_a_2023_start_in_2022(started_in_2023):
    group = started_in_2023.object
    assert started_in_2023.subject not in selectors.members_of(group, dt.date(2022, 12, 31))
    assert started_in_2023.subject not in selectors.members_of(group, dt.date(2022, 12, 31), strict=True)


def test_month_end_counts_through_the_month_by_default_and_not_at_all_when_strict():
    relation = RelationFactory(
        start=dt.date(1975, 1, 1), start_precision="year", end=dt.date(2025, 1, 29), end_precision="month"
    )
    group = relation.object
    assert relation.end == dt.date(2025, 1, 1)
    assert relation.subject in selectors.members_of(group, dt.date(2025, 1, 31))
    assert relation.subject not in selectors.members_of(group, dt.date(2025, 2, 1))
    assert relation.subject not in selectors.members_of(group, dt.date(2025, 1, 15), strict=True)
    assert relation.subject in selectors.members_of(group, dt.date(2025, 1, 1), strict=True)


def test_day_precision_end_is_inclusive():
    relation = RelationFactory(end=dt.date(2024, 3, 10))
    assert relation.subject in selectors.members_of(relation.object, dt.date(2024, 3, 10))
    assert relation.subject not in selectors.members_of(relation.object, dt.date(2024, 3, 11))


def test_unknown_start_means_since_before_the_records():
    relation = RelationFactory(start=None)
    assert relation.subject in selectors.members_of(relation.object, dt.date(1900, 1, 1))
    assert relation.subject in selectors.members_of(relation.object, dt.date(1900, 1, 1), strict=True)


def test_relations_as_of_sees_both_directions_and_respects_dates():
    mali = ActorFactory(name="Mali")
    bloc = ActorFactory(name="Bloc", kind=ActorKind.ALLIANCE)
    minister = ActorFactory(name="Minister", kind=ActorKind.PERSON)
    membership = RelationFactory(subject=mali, object=bloc, end=dt.date(2022, 1, 1))
    post = RelationFactory(
        subject=minister, object=mali, predicate=Predicate.HOLDS_POSITION, position_title="Foreign Minister"
    )
    assert set(selectors.relations_as_of(mali, dt.date(2021, 6, 1))) == {membership, post}
    assert set(selectors.relations_as_of(mali, dt.date(2023, 6, 1))) == {post}


def test_proposed_and_merged_actors_are_not_public():
    approved = ActorFactory()
    proposed = ActorFactory(review_status=ReviewStatus.PROPOSED)
    merged = ActorFactory(merged_into=approved)
    public = set(selectors.public_actors())
    assert approved in public
    assert proposed not in public
    assert merged not in public


def test_members_of_hides_proposed_members():
    relation = RelationFactory(subject=ActorFactory(review_status=ReviewStatus.PROPOSED))
    assert not selectors.members_of(relation.object, dt.date(2024, 1, 1)).exists()


# ---- timeline


def test_timeline_orders_partial_dates_at_the_start_of_their_period_coarser_first():
    actor = ActorFactory(name="Mali")
    EventFactory.reset_sequence()
    day = ParticipantFactory(actor=actor, event=EventFactory(title="Day", start=dt.date(2023, 9, 16))).event
    year = ParticipantFactory(
        actor=actor, event=EventFactory(title="Year", start=dt.date(2023, 5, 5), start_precision="year")
    ).event
    month = ParticipantFactory(
        actor=actor, event=EventFactory(title="Month", start=dt.date(2023, 9, 30), start_precision="month")
    ).event
    earlier = ParticipantFactory(
        actor=actor, event=EventFactory(title="Earlier", start=dt.date(2022, 12, 31))
    ).event
    undated = ParticipantFactory(actor=actor, event=EventFactory(title="Undated", start=None)).event
    relation = RelationFactory(
        subject=actor,
        start=dt.date(2023, 3, 1),
        start_precision="month",
        end=dt.date(2024, 1, 1),
        end_precision="year",
    )
    labels = [entry.label for entry in selectors.actor_timeline(actor)]
    assert labels == [
        earlier.title,
        year.title,
        f"Begins: Mali member of {relation.object.name}",
        month.title,
        day.title,
        f"Ends: Mali member of {relation.object.name}",
        undated.title,
    ]


def test_timeline_renders_each_precision():
    actor = ActorFactory()
    ParticipantFactory(actor=actor, event=EventFactory(start=dt.date(2025, 4, 3)))
    ParticipantFactory(actor=actor, event=EventFactory(start=dt.date(2022, 1, 9), start_precision="month"))
    ParticipantFactory(actor=actor, event=EventFactory(start=dt.date(2020, 7, 9), start_precision="year"))
    shown = [(entry.display, entry.iso) for entry in selectors.actor_timeline(actor)]
    assert shown == [("2020", "2020"), ("January 2022", "2022-01"), ("3 April 2025", "2025-04-03")]


def test_timeline_leaves_out_unapproved_events():
    actor = ActorFactory()
    ParticipantFactory(actor=actor, event=EventFactory(review_status=ReviewStatus.PROPOSED))
    assert selectors.actor_timeline(actor) == []
