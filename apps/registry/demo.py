"""The demo registry: the Sahel story's actors, relations, places and events, in the desk's words.

The records are data (``demo_data/*.json``; dates as partial ISO strings: "2023", "2025-01",
"2025-04-03"); this module only reads them. Registered with the ``register_demo_loader`` hook
(apps/registry/wagtail_hooks.py) and run by ``manage.py load_demo``.

Rerunning it creates what is missing and touches nothing else: a record that already exists
(by slug) is left exactly as it is, with its aliases, relations, participants and date claims,
so an editor's change survives and an unchanged demo writes no row (and no change-log entry).
Normalisation (QIDs, alias folding, first-day dates) is the models' own, applied on save.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from wagtail.search.tasks import insert_or_update_object_task

from apps.registry.dates import DatePrecision, parse_partial
from apps.registry.models import (
    Actor,
    ActorRelation,
    Alias,
    Event,
    EventDateClaim,
    EventParticipant,
    Place,
    ReviewStatus,
)

DATA_DIR = Path(__file__).resolve().parent / "demo_data"


def read(name: str) -> list[dict[str, Any]]:
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _partial(row: dict[str, Any], key: str) -> dict[str, Any]:
    """``{"start": "2023"}`` → the model's start and start_precision (a missing date: unknown)."""
    if not row.get(key):
        return {key: None, f"{key}_precision": DatePrecision.DAY}
    value, precision = parse_partial(row[key])
    return {key: value, f"{key}_precision": precision}


def _aliases(rows: list[dict[str, Any]], **owner: Any) -> None:
    """One INSERT for an owner's aliases, then one search-index refresh of the owner.

    Saving them one by one re-indexed the owner after every alias (registry.signals): half of
    what loading the demo cost. The aliases belong to an owner created in this same transaction,
    whose save already moved the tagger's registry version, so no reader can see the new version
    without them.
    """
    aliases = [
        Alias(
            **owner,
            text=row["text"],
            language=row.get("language", ""),
            kind=row.get("kind", "name"),
            case_sensitive=row.get("case_sensitive", False),
        )
        for row in rows
    ]
    if not aliases:
        return
    for alias in aliases:
        alias.normalize()  # what save() would do: bulk_create does not call it
    Alias.objects.bulk_create(aliases)
    ((model, record),) = owner.items()
    insert_or_update_object_task.enqueue("registry", model, str(record.pk))


def _missing(model: type, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    existing = set(
        model.objects.filter(slug__in=[row["slug"] for row in rows]).values_list("slug", flat=True)
    )
    return [row for row in rows if row["slug"] not in existing]


def _load_actors() -> set[str]:
    created: set[str] = set()
    for row in _missing(Actor, read("actors")):
        actor = Actor.objects.create(
            slug=row["slug"],
            name=row["name"],
            kind=row["kind"],
            country=row.get("country", ""),
            wikidata_qid=row.get("wikidata_qid", ""),
            description=row.get("description", ""),
            review_status=ReviewStatus.APPROVED,
        )
        _aliases(row.get("aliases", []), actor=actor)
        created.add(actor.slug)
    return created


def _load_relations(new_actors: set[str]) -> int:
    """Relations belong to their subject: written with a subject created in this run."""
    rows = [row for row in read("relations") if row["subject"] in new_actors]
    actors = Actor.objects.in_bulk(
        {s for row in rows for s in (row["subject"], row["object"])}, field_name="slug"
    )
    for row in rows:
        ActorRelation.objects.create(
            subject=actors[row["subject"]],
            predicate=row["predicate"],
            object=actors[row["object"]],
            position_title=row.get("position_title", ""),
            source_note=row.get("source_note", ""),
            **_partial(row, "start"),
            **_partial(row, "end"),
        )
    return len(rows)


def _load_places() -> set[str]:
    created: set[str] = set()
    rows = read("places")  # parents come before their children
    places = Place.objects.in_bulk([row["slug"] for row in rows], field_name="slug")
    for row in _missing(Place, rows):
        place = Place.objects.create(
            slug=row["slug"],
            name=row["name"],
            kind=row["kind"],
            country=row.get("country", ""),
            parent=places.get(row.get("parent")),
            latitude=Decimal(row["latitude"]),
            longitude=Decimal(row["longitude"]),
            geonames_id=row.get("geonames_id"),
            review_status=ReviewStatus.APPROVED,
        )
        _aliases([{"text": text} for text in row.get("aliases", [])], place=place)
        places[place.slug] = place
        created.add(place.slug)
    return created


def _load_events() -> set[str]:
    created: set[str] = set()
    rows = read("events")  # a series comes before its events
    events = Event.objects.in_bulk([row["slug"] for row in rows], field_name="slug")
    places = Place.objects.in_bulk(field_name="slug")
    actors = Actor.objects.in_bulk(field_name="slug")
    for row in _missing(Event, rows):
        event = Event.objects.create(
            slug=row["slug"],
            title=row["title"],
            event_type=row["type"],
            status=row["status"],
            place=places.get(row.get("place")),
            parent=events.get(row.get("parent")),
            summary=row.get("summary", ""),
            sources=row.get("sources", ""),
            review_status=ReviewStatus.APPROVED,
            **_partial(row, "start"),
            **_partial(row, "end"),
        )
        EventParticipant.objects.bulk_create(
            EventParticipant(event=event, actor=actors[p["actor"]], role=p["role"], note=p.get("note", ""))
            for p in row.get("participants", [])
        )
        for claim in row.get("date_claims", []):
            date, precision = parse_partial(claim["date"])
            EventDateClaim.objects.create(
                event=event,
                date=date,
                precision=precision,
                source=claim["source"],
                note=claim.get("note", ""),
            )
        events[event.slug] = event
        created.add(event.slug)
    return created


@transaction.atomic
def load() -> str:
    """Create the demo registry records that are missing; returns a one-line summary."""
    actors = _load_actors()
    relations = _load_relations(actors)
    places = _load_places()
    events = _load_events()
    return (
        f"registry: {len(actors)} actors, {relations} relations, {len(places)} places, "
        f"{len(events)} events created"
    )
