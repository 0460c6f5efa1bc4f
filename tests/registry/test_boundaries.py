"""The day boundaries of "a relation holds on a day" and of the actor page's past/current split.

Each reader of the rule is checked on the first and last day (both inclusive) and on the day
outside, so moving a `<=` to `<` anywhere fails here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from apps.registry import selectors
from tests.registry.factories import ActorFactory, RelationFactory

pytestmark = pytest.mark.django_db

FIRST = dt.date(2021, 3, 10)
LAST = dt.date(2024, 7, 20)
ONE_DAY = dt.timedelta(days=1)


@pytest.fixture
def relation():
    return RelationFactory(start=FIRST, start_precision="day", end=LAST, end_precision="day")


def via_members_of(relation, on, strict):
    return relation.subject in selectors.members_of(relation.object, on, strict=strict)


def via_relations_as_of(relation, on, strict):
    return relation in selectors.relations_as_of(relation.subject, on, strict=strict)


def via_actor_relations(relation, on, strict):
    (row,) = selectors.actor_relations(relation.subject, on=on)
    return row.holds


def via_graph(relation, on, strict):
    (edge,) = selectors.actor_profile(relation.subject, on=on).graph.edges
    return edge.current


READERS = [via_members_of, via_relations_as_of, via_actor_relations, via_graph]
STRICT_READERS = [via_members_of, via_relations_as_of]


@pytest.mark.parametrize("reader", READERS)
def test_a_day_precision_relation_holds_on_its_first_and_last_day_only(relation, reader):
    assert not reader(relation, FIRST - ONE_DAY, False)
    assert reader(relation, FIRST, False)
    assert reader(relation, LAST, False)
    assert not reader(relation, LAST + ONE_DAY, False)


@pytest.mark.parametrize("reader", STRICT_READERS)
def test_strict_reading_has_the_same_inclusive_day_bounds(relation, reader):
    assert not reader(relation, FIRST - ONE_DAY, True)
    assert reader(relation, FIRST, True)
    assert reader(relation, LAST, True)
    assert not reader(relation, LAST + ONE_DAY, True)


@pytest.mark.parametrize("reader", READERS)
def test_partial_dates_widen_to_their_whole_period_by_default(reader):
    relation = RelationFactory(
        start=dt.date(2021, 5, 9), start_precision="month", end=dt.date(2023, 2, 14), end_precision="year"
    )
    assert not reader(relation, dt.date(2021, 4, 30), False)
    assert reader(relation, dt.date(2021, 5, 1), False)
    assert reader(relation, dt.date(2023, 12, 31), False)
    assert not reader(relation, dt.date(2024, 1, 1), False)


@pytest.mark.parametrize("reader", STRICT_READERS)
def test_strict_reading_narrows_partial_dates_to_certain_days(reader):
    relation = RelationFactory(
        start=dt.date(2021, 5, 9), start_precision="month", end=dt.date(2023, 2, 14), end_precision="year"
    )
    assert not reader(relation, dt.date(2021, 5, 30), True)
    assert reader(relation, dt.date(2021, 5, 31), True)
    assert reader(relation, dt.date(2023, 1, 1), True)
    assert not reader(relation, dt.date(2023, 1, 2), True)


def test_actor_profile_lists_a_relation_as_current_through_its_last_day(relation):
    actor = relation.subject

    on_last_day = selectors.actor_profile(actor, on=LAST)
    day_after = selectors.actor_profile(actor, on=LAST + ONE_DAY)

    assert [row.relation for row in on_last_day.current] == [relation]
    assert on_last_day.past == []
    assert day_after.current == []
    assert [row.relation for row in day_after.past] == [relation]


def test_a_partial_end_is_past_only_after_its_whole_period(desk):
    relation = RelationFactory(end=dt.date(2024, 2, 5), end_precision="month")
    actor = relation.subject

    assert [r.relation for r in selectors.actor_profile(actor, on=dt.date(2024, 2, 29)).current] == [relation]
    assert [r.relation for r in selectors.actor_profile(actor, on=dt.date(2024, 3, 1)).past] == [relation]


def test_actor_page_splits_past_and_current_at_today(client, desk):
    today = timezone.localdate()
    actor = ActorFactory()
    ends_today = RelationFactory(subject=actor, start=dt.date(2000, 1, 1), end=today)
    ended_yesterday = RelationFactory(subject=actor, start=dt.date(2000, 1, 1), end=today - ONE_DAY)

    profile = client.get(actor.get_absolute_url()).context["profile"]

    assert [row.relation for row in profile.current] == [ends_today]
    assert [row.relation for row in profile.past] == [ended_yesterday]
