"""merge_actors: every row moves, exact duplicates collapse, self-relations are dropped and reported."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from wagtail import hooks
from wagtail.models import ModelLogEntry

from apps.registry.models import Actor, ActorKind, ActorRelation, Alias, EventParticipant, Predicate
from apps.registry.services import AFTER_MERGE_HOOK, merge_actors
from tests.registry.factories import (
    ActorFactory,
    AliasFactory,
    EventFactory,
    ParticipantFactory,
    RelationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    survivor = ActorFactory(name="Sergey Lavrov", kind=ActorKind.PERSON)
    loser = ActorFactory(name="Sergei Lavrov", kind=ActorKind.PERSON, wikidata_qid="Q1")
    return loser, survivor


def test_distinct_aliases_move_to_the_survivor(pair):
    loser, survivor = pair
    AliasFactory(actor=survivor, text="Lavrov")
    AliasFactory(actor=loser, text="Serguei Lavrov", language="fr")
    merge_actors(loser=loser, survivor=survivor)
    texts = set(Alias.objects.filter(actor=survivor).values_list("text", flat=True))
    assert texts == {"Lavrov", "Serguei Lavrov", "Sergei Lavrov"}  # the loser's name joins as an alias
    assert not Alias.objects.filter(actor=loser).exists()


def test_exact_duplicate_alias_collapses_into_one(pair):
    loser, survivor = pair
    AliasFactory(actor=survivor, text="Lavrov")
    AliasFactory(actor=loser, text="LAVROV")  # same once folded
    report = merge_actors(loser=loser, survivor=survivor)
    assert Alias.objects.filter(actor=survivor, normalized="lavrov").count() == 1
    assert any("LAVROV" in line for line in report.collapsed)


def test_distinct_relations_move_in_both_directions(pair):
    loser, survivor = pair
    russia = ActorFactory(name="Russia")
    ministry = ActorFactory(name="Ministry")
    outgoing = RelationFactory(subject=loser, object=russia, predicate=Predicate.HOLDS_POSITION)
    incoming = RelationFactory(subject=ministry, object=loser, predicate=Predicate.LEADS)
    merge_actors(loser=loser, survivor=survivor)
    outgoing.refresh_from_db()
    incoming.refresh_from_db()
    assert outgoing.subject == survivor
    assert incoming.object == survivor


def test_exact_duplicate_relation_collapses_into_one(pair):
    loser, survivor = pair
    russia = ActorFactory(name="Russia")
    RelationFactory(
        subject=survivor, object=russia, predicate=Predicate.HOLDS_POSITION, start=dt.date(2004, 1, 1)
    )
    RelationFactory(
        subject=loser, object=russia, predicate=Predicate.HOLDS_POSITION, start=dt.date(2004, 1, 1)
    )
    report = merge_actors(loser=loser, survivor=survivor)
    assert ActorRelation.objects.filter(subject=survivor, object=russia).count() == 1
    assert len(report.collapsed) == 1


def test_duplicate_relation_with_unknown_start_also_collapses(pair):
    loser, survivor = pair
    russia = ActorFactory(name="Russia")
    RelationFactory(subject=survivor, object=russia, start=None)
    RelationFactory(subject=loser, object=russia, start=None)
    merge_actors(loser=loser, survivor=survivor)
    assert ActorRelation.objects.filter(subject=survivor, object=russia).count() == 1


def test_same_relation_with_different_start_is_kept(pair):
    loser, survivor = pair
    russia = ActorFactory(name="Russia")
    RelationFactory(subject=survivor, object=russia, start=dt.date(2004, 1, 1))
    RelationFactory(subject=loser, object=russia, start=dt.date(2010, 1, 1))
    merge_actors(loser=loser, survivor=survivor)
    assert ActorRelation.objects.filter(subject=survivor, object=russia).count() == 2


def test_relation_between_loser_and_survivor_is_dropped_and_reported(pair):
    loser, survivor = pair
    between = RelationFactory(subject=loser, object=survivor, predicate=Predicate.ALLIED_WITH)
    reverse = RelationFactory(subject=survivor, object=loser, predicate=Predicate.HOSTILE_TO)
    report = merge_actors(loser=loser, survivor=survivor)
    assert not ActorRelation.objects.filter(pk__in=[between.pk, reverse.pk]).exists()
    assert len(report.dropped_self_relations) == 2
    assert not ActorRelation.objects.filter(subject=survivor, object=survivor).exists()


def test_participants_move_and_duplicates_collapse(pair):
    loser, survivor = pair
    meeting = EventFactory(title="Moscow meeting")
    summit = EventFactory(title="Summit")
    ParticipantFactory(event=meeting, actor=survivor, role="host")
    ParticipantFactory(event=meeting, actor=loser, role="host")  # exact duplicate
    ParticipantFactory(event=meeting, actor=loser, role="attendee")  # distinct role: kept
    ParticipantFactory(event=summit, actor=loser, role="attendee")
    merge_actors(loser=loser, survivor=survivor)
    rows = set(EventParticipant.objects.filter(actor=survivor).values_list("event__title", "role"))
    assert rows == {("Moscow meeting", "host"), ("Moscow meeting", "attendee"), ("Summit", "attendee")}
    assert not EventParticipant.objects.filter(actor=loser).exists()


def test_earlier_merges_into_the_loser_now_point_at_the_survivor(pair):
    loser, survivor = pair
    older = ActorFactory(name="S. Lavrov", merged_into=loser)
    merge_actors(loser=loser, survivor=survivor)
    older.refresh_from_db()
    assert older.merged_into == survivor


def test_loser_is_marked_merged_and_survivor_takes_the_free_qid(pair):
    loser, survivor = pair
    merge_actors(loser=loser, survivor=survivor)
    loser.refresh_from_db()
    survivor.refresh_from_db()
    assert loser.merged_into == survivor
    assert survivor.wikidata_qid == "Q1"
    assert loser.wikidata_qid == ""


def test_merge_is_logged_on_both_records(pair, django_user_model):
    loser, survivor = pair
    editor = django_user_model.objects.create_user(username="ed")
    merge_actors(loser=loser, survivor=survivor, user=editor)
    entries = ModelLogEntry.objects.filter(action__in=["registry.merge", "registry.merged_away"])
    assert {(e.action, int(e.object_id), e.user_id) for e in entries} == {
        ("registry.merge", survivor.pk, editor.pk),
        ("registry.merged_away", loser.pk, editor.pk),
    }


def test_the_merge_hook_is_called_inside_the_merge(pair):
    loser, survivor = pair
    received = []

    def listener(loser, survivor):
        received.append((loser.pk, survivor.pk, loser.merged_into_id, connection.in_atomic_block))

    with hooks.register_temporarily(AFTER_MERGE_HOOK, listener):
        merge_actors(loser=loser, survivor=survivor)
    assert received == [(loser.pk, survivor.pk, survivor.pk, True)]


def test_merge_rolls_back_entirely_when_a_listener_fails(pair):
    loser, survivor = pair
    AliasFactory(actor=loser, text="Only on the loser")

    def failing(**kwargs):
        raise RuntimeError("downstream failure")

    with hooks.register_temporarily(AFTER_MERGE_HOOK, failing), pytest.raises(RuntimeError):
        merge_actors(loser=loser, survivor=survivor)
    loser.refresh_from_db()
    assert loser.merged_into is None
    assert Alias.objects.filter(actor=loser, text="Only on the loser").exists()


@pytest.mark.parametrize("case", ["self", "loser_already_merged", "survivor_merged"])
def test_invalid_merges_are_refused(case):
    a, b, c = ActorFactory(), ActorFactory(), ActorFactory()
    if case == "self":
        kwargs = {"loser": a, "survivor": a}
    elif case == "loser_already_merged":
        Actor.objects.filter(pk=a.pk).update(merged_into=c)
        kwargs = {"loser": a, "survivor": b}
    else:
        Actor.objects.filter(pk=b.pk).update(merged_into=c)
        kwargs = {"loser": a, "survivor": b}
    with pytest.raises(ValidationError):
        merge_actors(**kwargs)


def test_merge_finds_every_table_that_points_at_actor():
    """Tables added by other apps (article tags) are moved without this app naming them."""
    from django.apps import apps

    from apps.registry.services import _pointers_to_actor

    expected = {
        (model._meta.label, field.name)
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.get_fields()
        if getattr(field, "many_to_one", False) and field.concrete and field.related_model is Actor
    }
    found = {(model._meta.label, field.name) for model, field in _pointers_to_actor()}
    assert expected <= found
    assert {
        ("registry.Alias", "actor"),
        ("registry.ActorRelation", "object"),
        ("registry.Actor", "merged_into"),
    } <= found


def test_survivor_is_found_by_the_losers_aliases_after_a_merge():
    from wagtail.search.backends import get_search_backend

    survivor = ActorFactory(name="Sergey Lavrov")
    loser = ActorFactory(name="SERGEY LAVROV")  # same folded name: no alias is added for it
    AliasFactory(actor=loser, text="Lavrov the diplomat")
    merge_actors(loser=loser, survivor=survivor)
    backend = get_search_backend()
    found = list(backend.search("diplomat", Actor))
    assert found == [survivor]
