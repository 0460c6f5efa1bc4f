"""Registry rules each written once: normalisation, partial-date display, following merges."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.registry import selectors
from apps.registry.dates import parse_partial
from apps.registry.models import Actor, Alias, ReviewStatus
from tests.registry.factories import (
    ActorFactory,
    DateClaimFactory,
    EventFactory,
    RelationFactory,
)

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------- normalisation


def test_save_and_full_clean_give_the_same_canonical_form():
    saved = ActorFactory(wikidata_qid=" q1032 ")
    cleaned = Actor(name="Niger", kind="state", wikidata_qid=" q1033 ")
    cleaned.full_clean(exclude=["wikidata_qid", "slug"])
    assert saved.wikidata_qid == "Q1032"
    assert cleaned.wikidata_qid == "Q1033"

    alias = Alias.objects.create(actor=saved, text="  Goïta  ")
    unsaved = Alias(actor=saved, text="  Niamey ")
    unsaved.full_clean()
    assert (alias.text, alias.normalized) == ("Goïta", "goita")
    assert (unsaved.text, unsaved.normalized) == ("Niamey", "niamey")


def test_partial_dates_are_stored_as_the_first_day_whether_saved_or_cleaned():
    relation = RelationFactory(start=dt.date(2023, 8, 20), start_precision="year")
    event = EventFactory(start=dt.date(2024, 5, 17), start_precision="month")
    claim = DateClaimFactory(date=dt.date(2024, 5, 17), precision="month")
    unsaved = EventFactory.build(start=dt.date(2022, 3, 3), start_precision="year", end=None)
    unsaved.full_clean(exclude=["slug"])
    assert (relation.start, relation.start_upper) == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert (event.start, event.start_upper) == (dt.date(2024, 5, 1), dt.date(2024, 5, 31))
    assert claim.date == dt.date(2024, 5, 1)
    assert (unsaved.start, unsaved.start_upper) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))


# ---------------------------------------------------------------------------- partial-date display


def test_every_record_with_a_partial_date_shows_it_the_same_way():
    relation = RelationFactory(start=dt.date(2022, 1, 9), start_precision="month", end=None)
    event = EventFactory(start=dt.date(2025, 4, 3), start_precision="day")
    claim = DateClaimFactory(date=dt.date(2023, 6, 6), precision="year")
    (entry,) = selectors.actor_timeline(relation.subject)
    assert (relation.start_display, relation.start_iso) == ("January 2022", "2022-01")
    assert (relation.end_display, relation.end_iso) == ("", "")
    assert (event.start_display, event.start_iso) == ("3 April 2025", "2025-04-03")
    assert (claim.display, claim.iso) == ("2023", "2023")
    assert (entry.display, entry.iso) == ("January 2022", "2022-01")


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [("2023", dt.date(2023, 1, 1), "year"), ("2025-01", dt.date(2025, 1, 1), "month"),
     ("2025-04-03", dt.date(2025, 4, 3), "day")],
)  # fmt: skip
def test_parse_partial_reads_what_iso_partial_writes(text, date, precision):
    assert parse_partial(text) == (date, precision)
    assert EventFactory.build(start=date, start_precision=precision).start_iso == text


# ---------------------------------------------------------------------------- merged actors


def test_resolve_merged_ids_follows_chains_in_bulk(django_assert_num_queries):
    last = ActorFactory()
    middle = ActorFactory(merged_into=last, review_status=ReviewStatus.APPROVED)
    first = ActorFactory(merged_into=middle)
    other_loser = ActorFactory(merged_into=last)
    plain = ActorFactory()

    # One query per hop for the whole batch: the ids asked for, then middle and last (the
    # second hop finds that last was merged into nothing).
    with django_assert_num_queries(2):
        resolved = selectors.resolve_merged_ids([first.pk, other_loser.pk, plain.pk, 999_999])

    assert resolved == {first.pk: last.pk, other_loser.pk: last.pk, plain.pk: plain.pk, 999_999: 999_999}
    assert selectors.resolve_merged(first) == last
    assert selectors.resolve_merged(plain) == plain


def test_merged_survivor_is_the_public_end_of_the_chain_or_nothing():
    survivor = ActorFactory()
    loser = ActorFactory(merged_into=ActorFactory(merged_into=survivor))
    hidden_survivor = ActorFactory(review_status=ReviewStatus.PROPOSED)
    to_hidden = ActorFactory(merged_into=hidden_survivor)
    proposed = ActorFactory(review_status=ReviewStatus.PROPOSED)

    assert selectors.merged_survivor(loser) == survivor
    assert selectors.merged_survivor(to_hidden) is None
    assert selectors.merged_survivor(proposed) is None


def test_a_merge_cycle_stops_instead_of_looping():
    a = ActorFactory()
    b = ActorFactory(merged_into=a)
    Actor.objects.filter(pk=a.pk).update(merged_into=b)

    resolved = selectors.resolve_merged_ids([a.pk, b.pk])

    assert set(resolved.values()) <= {a.pk, b.pk}
    a.refresh_from_db()
    assert selectors.merged_survivor(a) is None
