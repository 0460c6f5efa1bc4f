"""The demo registry: big enough for the pages, idempotent, and wired into load_demo."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.changes.models import Change
from apps.registry.demo import load
from apps.registry.models import Actor, ActorRelation, Alias, Event, EventDateClaim, Place, ReviewStatus

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (Actor, Alias, ActorRelation, Place, Event, EventDateClaim))


def test_load_demo_loads_the_registry_and_is_idempotent(desk, capsys):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    actors, aliases, relations, places, events, claims = first
    assert aliases > actors
    assert actors >= 30 and relations >= 20 and events >= 12 and places >= 10 and claims >= 2
    assert "registry:" in capsys.readouterr().out


def test_demo_has_the_facts_the_pages_rely_on(desk):
    call_command("load_demo")
    goita = Actor.objects.get(slug="assimi-goita")
    assert goita.aliases.filter(normalized="assimi goita").exists()
    assert Actor.objects.get(slug="aes").aliases.get(text="AES").case_sensitive
    moscow_meeting = Event.objects.get(slug="aes-moscow-meeting-2025")
    assert str(moscow_meeting.start) == "2025-04-03" and moscow_meeting.place.slug == "moscow"
    ouaga = Event.objects.get(slug="aes-military-chiefs-ouagadougou-2025")
    assert ouaga.parent.children.count() == 3
    assert Event.objects.get(slug="aes-founding").date_claims.count() == 2


WRITES = ("INSERT", "UPDATE", "DELETE")


def test_rerunning_the_registry_demo_on_an_unchanged_demo_writes_nothing(desk):
    load()
    changes_before = Change.objects.count()

    with CaptureQueriesContext(connection) as queries:
        summary = load()

    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert Change.objects.count() == changes_before
    assert summary == "registry: 0 actors, 0 relations, 0 places, 0 events created"


def test_rerunning_the_demo_keeps_what_an_editor_changed(desk):
    load()
    mali = Actor.objects.get(slug="mali")
    mali.description = "Edited by the desk."
    mali.wikidata_qid = ""
    mali.save()
    mali.aliases.filter(text="Bamako").delete()
    relation = ActorRelation.objects.filter(subject=mali, object__slug="ecowas").get()
    relation.source_note = "Checked by the desk."
    relation.save()
    event = Event.objects.get(slug="aes-founding")
    event.title = "The AES is founded"
    event.save()
    event.participants.filter(actor__slug="aes").delete()
    event.date_claims.all().delete()
    place = Place.objects.get(slug="bamako")
    place.review_status = ReviewStatus.PROPOSED
    place.save()
    before = counts()

    load()

    mali.refresh_from_db()
    assert (mali.description, mali.wikidata_qid) == ("Edited by the desk.", "")
    assert not mali.aliases.filter(text="Bamako").exists()
    relation.refresh_from_db()
    assert relation.source_note == "Checked by the desk."
    event.refresh_from_db()
    assert event.title == "The AES is founded"
    assert not event.participants.filter(actor__slug="aes").exists()
    assert not event.date_claims.exists()
    assert Place.objects.get(slug="bamako").review_status == ReviewStatus.PROPOSED
    assert counts() == before


def test_rerunning_the_demo_recreates_a_deleted_record_only(desk):
    load()
    Event.objects.get(slug="goita-moscow-visit").delete()
    before = counts()

    assert load() == "registry: 0 actors, 0 relations, 0 places, 1 events created"

    event = Event.objects.get(slug="goita-moscow-visit")
    assert event.participants.count() == 3 and event.place.slug == "moscow"
    assert counts()[:4] == before[:4]


def test_demo_dates_are_read_with_their_precision(desk):
    load()
    exit_ = ActorRelation.objects.get(subject__slug="niger", object__slug="ecowas", predicate="member_of")
    assert (exit_.start_iso, exit_.start_precision) == ("1975", "year")
    assert (exit_.end_iso, exit_.end_precision) == ("2025-01", "month")
    assert Actor.objects.get(slug="niger").wikidata_qid == "Q1032"
