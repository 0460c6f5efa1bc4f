"""The extractor's rules on a small registry built in memory (no database): triggers, clauses,
hypotheticals, roles, places, dates, folding, relation changes."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.extraction.extractor import extract
from apps.tagging.matcher import ACTOR, PLACE, AliasEntry, Matcher
from apps.tagging.suggestions import RegistryIndex, Target

ACTORS = [
    Target(1, "mali", "Mali", "state", "ML"),
    Target(2, "france", "France", "state", "FR"),
    Target(3, "russia", "Russia", "state", "RU"),
    Target(4, "ecowas", "ECOWAS", "alliance", ""),
    Target(5, "lavrov", "Sergey Lavrov", "person", "RU"),
    Target(6, "niger", "Niger", "state", "NE"),
    Target(7, "takuba", "Takuba", "military_unit", ""),
]
PLACES = [Target(10, "moscow", "Moscow", "city", "RU"), Target(11, "bamako", "Bamako", "city", "ML")]
ALIASES = [
    ("malian", 1, "demonym"),
    ("french", 2, "demonym"),
    ("russian", 3, "demonym"),
    ("kremlin", 3, "metonym"),
]


@pytest.fixture(scope="module")
def index() -> RegistryIndex:
    entries = [AliasEntry(ACTOR, a.id, a.name, "name", False, a.kind, a.country, a.name) for a in ACTORS]
    entries += [AliasEntry(PLACE, p.id, p.name, "name", False, "", p.country, p.name) for p in PLACES]
    by_id = {a.id: a for a in ACTORS}
    entries += [
        AliasEntry(ACTOR, i, text.title(), kind, False, by_id[i].kind, by_id[i].country, by_id[i].name)
        for text, i, kind in ALIASES
    ]
    return RegistryIndex(
        matcher=Matcher(entries, version=1),
        actors={a.id: a for a in ACTORS},
        places={p.id: p for p in PLACES},
    )


def run(index, body: str, on: str = "2025-04-04", lang: str = "en", headline: str = ""):
    return extract(index, headline=headline, body=body, published=dt.date.fromisoformat(on), lang_code=lang)


def roles(candidate) -> set[tuple[int, str]]:
    return set(candidate.participants)


def test_a_meeting_in_moscow_makes_russia_and_its_minister_hosts(index):
    [event] = run(
        index, "Mali's foreign minister met Russian Foreign Minister Sergey Lavrov in Moscow on Thursday."
    ).events
    assert event.event_type == "bilateral_meeting" and event.place_id == 10
    assert roles(event) == {(1, "attendee"), (3, "host"), (5, "host")}
    assert (event.date.date, event.date.precision) == (dt.date(2025, 4, 3), "day")


def test_a_visit_adds_the_place_state_as_host_and_the_future_makes_it_planned(index):
    [event] = run(index, "Mali's president will visit Moscow in June.", on="2025-05-20").events
    assert event.event_type == "visit" and event.status == "planned"
    assert roles(event) == {(1, "attendee"), (3, "host")}
    assert (event.date.date, event.date.precision) == (dt.date(2025, 6, 1), "month")


def test_expulsion_suppresses_the_withdrawal_reading_and_roles_follow_the_trigger(index):
    [event] = run(index, "Mali expelled France's ambassador on Monday and told him to leave Bamako.").events
    assert event.event_type == "diplomatic_expulsion"
    assert roles(event) == {(1, "initiator"), (2, "target")}
    assert event.place_id == 11


def test_asked_troops_to_leave_is_a_statement_not_a_withdrawal(index):
    [event] = run(index, "Niger asked French troops to leave the country on Thursday.").events
    assert event.event_type == "statement" and roles(event) == {(6, "initiator"), (2, "target")}


def test_a_withdrawal_needs_a_military_word_and_makes_the_state_left_the_host(index):
    assert run(index, "France left Mali on Monday.").events == []
    [event] = run(index, "France withdrew its last soldiers from Mali on Monday.").events
    assert event.event_type == "troop_withdrawal" and roles(event) == {(2, "initiator"), (1, "host")}


def test_a_parenthetical_is_not_a_participant(index):
    [event] = run(
        index, "The Takuba force, which fought alongside the French, pulled out of Mali in June."
    ).events
    assert roles(event) == {(7, "initiator"), (1, "host")}


def test_two_clauses_two_events_each_with_its_own_date(index):
    events = run(
        index,
        "Mali cut its ties with Russia on Sunday, saying Russia had backed the rebels who ambushed Malian soldiers in July.",
        on="2024-08-06",
    ).events
    by_type = {e.event_type: e for e in events}
    assert set(by_type) == {"severance_of_ties", "attack"}
    assert by_type["severance_of_ties"].date.date == dt.date(2024, 8, 4)
    assert (by_type["attack"].date.date, by_type["attack"].date.precision) == (dt.date(2024, 7, 1), "month")


def test_a_hypothetical_is_not_an_event(index):
    assert run(index, "Mali promised to defend Niger should France ever attack it.").events == []


def test_leaving_needs_an_organisation_after_the_verb_and_proposes_the_membership_end(index):
    result = run(index, "Mali and Niger announced on Sunday that they were leaving ECOWAS.", on="2024-01-29")
    [event] = result.events
    assert event.event_type == "membership_withdrawal"
    assert roles(event) == {(1, "initiator"), (6, "initiator"), (4, "target")}
    assert {(c.subject_id, c.object_id, c.change, c.predicate) for c in result.relations} == {
        (1, 4, "end", "member_of"),
        (6, 4, "end", "member_of"),
    }


def test_an_undated_headline_folds_into_the_dated_sentence(index):
    events = run(
        index, "Mali expelled France's ambassador in early 2022.", headline="Mali expels the French envoy"
    ).events
    assert len(events) == 1
    assert (events[0].date.date, events[0].date.precision, events[0].field) == (
        dt.date(2022, 1, 1),
        "year",
        "body",
    )


def test_french_lexicon(index):
    [event] = run(
        index,
        "Le Niger a rompu mardi ses relations diplomatiques avec la France.",
        on="2024-08-07",
        lang="fr",
    ).events
    assert event.event_type == "severance_of_ties" and roles(event) == {(6, "initiator"), (2, "target")}
    assert event.date.date == dt.date(2024, 8, 6)


def test_a_sentence_without_registry_actors_proposes_nothing(index):
    assert run(index, "Soldiers seized power in the capital last week.").events == []
