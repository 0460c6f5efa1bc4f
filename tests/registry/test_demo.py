"""The demo registry: big enough for the pages, idempotent, and wired into load_demo."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from apps.registry.models import Actor, ActorRelation, Alias, Event, EventDateClaim, Place

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
