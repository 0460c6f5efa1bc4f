"""Suggestions from the registry in the database: counts, positions, roles, events, candidates,
and the automaton following the registry version."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.registry.models import ActorKind, AliasKind, ReviewStatus
from apps.registry.services import merge_actors
from apps.tagging.models import RegistryVersion
from apps.tagging.selectors import current_index, suggest
from tests.registry.factories import (
    ActorFactory,
    AliasFactory,
    EventFactory,
    ParticipantFactory,
    PlaceFactory,
)

pytestmark = pytest.mark.django_db


def slugs(items) -> set[str]:
    return {s.slug for s in items}


def test_counts_first_position_snippet_role_and_relevance(demo_registry):
    s = suggest(
        headline="Mali and Niger cut ties",
        standfirst="The two juntas acted together.",
        body="Officials in Chad watched. Mali said more. Mali again.",
    )
    mali = next(a for a in s.actors if a.slug == "mali")
    assert mali.count == 3
    assert (mali.field, mali.offset) == ("headline", 0)
    assert "Mali and Niger" in mali.snippet
    assert mali.role == "subject"
    chad = next(a for a in s.actors if a.slug == "chad")
    assert (chad.field, chad.offset, chad.count, chad.role) == ("body", len("Officials in "), 1, "mentioned")
    assert mali.relevance > chad.relevance
    assert mali.confidence >= 0.95


def test_often_mentioned_in_the_body_alone_makes_a_subject(demo_registry):
    body = "Chad spoke. Chad again. Chad once more. Niger twice. Niger."
    s = suggest(headline="A quiet day", body=body)
    roles = {a.slug: a.role for a in s.actors}
    assert roles == {"chad": "subject", "niger": "mentioned"}


def test_only_approved_unmerged_actors_are_suggested(db):
    ActorFactory(name="Proposed Land", review_status=ReviewStatus.PROPOSED)
    loser = ActorFactory(name="Old Realm")
    survivor = ActorFactory(name="New Realm")
    merge_actors(loser=loser, survivor=survivor)
    s = suggest(body="Proposed Land, Old Realm and New Realm met.")
    assert slugs(s.actors) == {survivor.slug}


def test_a_new_alias_is_found_at_once_through_the_version_counter(db):
    actor = ActorFactory(name="Republic of Tandor")
    before = RegistryVersion.current()
    assert suggest(body="Tandoria said no").actors == []
    AliasFactory(actor=actor, text="Tandoria")
    assert RegistryVersion.current() > before
    assert slugs(suggest(body="Tandoria said no").actors) == {actor.slug}


@pytest.mark.parametrize("change", ["actor_save", "alias_delete", "place_save", "merge"])
def test_every_registry_change_moves_the_version(db, change):
    actor, other = ActorFactory(), ActorFactory()
    alias = AliasFactory(actor=actor)
    before = RegistryVersion.current()
    if change == "actor_save":
        actor.save()
    elif change == "alias_delete":
        alias.delete()
    elif change == "place_save":
        PlaceFactory()
    else:
        merge_actors(loser=other, survivor=actor)
    assert RegistryVersion.current() > before


def test_the_index_is_not_rebuilt_while_the_version_stands_still(db, django_assert_num_queries):
    ActorFactory(name="Kandor")
    first = current_index()
    with django_assert_num_queries(1):  # the version read only
        assert current_index() is first


def test_events_whose_participants_place_and_date_fit(demo_registry):
    s = suggest(
        headline="AES ministers meet Lavrov in Moscow",
        body="Mali, Niger and Burkina Faso sent their foreign ministers to talks with Sergey Lavrov on 3 April 2025.",
    )
    assert s.events[0]["slug"] == "aes-moscow-meeting-2025"
    evidence = " ".join(s.events[0]["evidence"])
    assert "Moscow" in evidence and "2025" in evidence and "Sergey Lavrov" in evidence


def test_participants_alone_do_not_make_an_event(db):
    a, b = ActorFactory(name="Avaria"), ActorFactory(name="Borovia")
    event = EventFactory(title="Far-off summit", start=dt.date(1999, 1, 1))
    ParticipantFactory(event=event, actor=a)
    ParticipantFactory(event=event, actor=b)
    assert suggest(body="Avaria and Borovia disagree on fishing.").events == []
    assert [e["slug"] for e in suggest(body="Avaria and Borovia held a summit in 1999.").events] == [
        event.slug
    ]


def test_new_actor_candidates_are_unknown_names_and_acronyms(demo_registry):
    s = suggest(
        headline="Mali hosts the Sahel Peace Council",
        body="Fatou Sow of the FLNA met Abdoulaye Diop. The ECOWAS envoy and Mali's army stayed away. "
        "Talks were held in Addis Ababa on Monday.",
    )
    names = {c["name"]: c["kind"] for c in s.candidates}
    assert names == {"Sahel Peace Council": "organization", "Fatou Sow": "person", "FLNA": "organization"}


def test_demonym_alias_kinds_are_reported(db):
    actor = ActorFactory(name="Zembla", kind=ActorKind.STATE)
    AliasFactory(actor=actor, text="Zemblan", kind=AliasKind.DEMONYM)
    (s,) = suggest(body="Zemblan troops").actors
    assert s.alias_kinds == ["demonym"] and s.confidence < 0.9
