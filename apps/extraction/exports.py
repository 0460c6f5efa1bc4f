"""Events for researchers, in an ACLED-like shape: one row per event (docs/extraction.md maps
every column to the registry).

Dates keep their precision: ``event_date`` is "2022", "2022-01" or "2022-01-31" and
``time_precision`` says which; a year is never written as 1 January. Source articles are the
articles that reported the event (provenance rows and public event tags) among ``articles``, the
caller's visibility rule: the public site's, or a partner's entitled content.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet

from apps.articles.models import ArticlePage
from apps.articles.selectors import public_event_tags
from apps.core.public_urls import page_url
from apps.extraction.models import EventSource
from apps.registry.countries import COUNTRY_NAMES
from apps.registry.models import Event, EventParticipant

COLUMNS = [
    "event_id",
    "event_slug",
    "title",
    "event_date",
    "time_precision",
    "end_date",
    "end_precision",
    "event_type",
    "event_type_label",
    "status",
    "actor1",
    "actor1_role",
    "actor2",
    "actor2_role",
    "assoc_actors",
    "participants",
    "location",
    "location_kind",
    "country",
    "iso",
    "latitude",
    "longitude",
    "geo_precision",
    "source_articles",
    "sources",
    "notes",
]
# ACLED's geo precision: 1 the place itself (a town, a site), 2 a region, 3 only the country.
GEO_PRECISION = {"city": 1, "site": 1, "region": 2, "country": 3}
ACTOR1_ROLES = ("initiator", "host")
ACTOR2_ROLES = ("target", "attendee", "member", "mediator")


def export_queryset(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("place__parent").prefetch_related(
        Prefetch("participants", queryset=EventParticipant.objects.select_related("actor").order_by("pk"))
    )


def _sources(events: list[Event], articles: QuerySet[ArticlePage]) -> dict[int, list[ArticlePage]]:
    """Visible articles reporting each event: two queries for the links, one for the pages."""
    ids = [e.pk for e in events]
    links: dict[int, set[int]] = defaultdict(set)
    for event_id, page_id in EventSource.objects.filter(event_id__in=ids).values_list(
        "event_id", "article_id"
    ):
        links[event_id].add(page_id)
    for event_id, page_id in public_event_tags().filter(event_id__in=ids).values_list("event_id", "page_id"):
        links[event_id].add(page_id)
    wanted = {p for pages in links.values() for p in pages}
    pages = {
        p.pk: p
        for p in articles.filter(Q(pk__in=wanted)).only(
            "id", "title", "url_path", "path", "depth", "published_at"
        )
    }
    return {
        event_id: sorted(
            (pages[p] for p in page_ids if p in pages),
            key=lambda p: (p.published_at is None, p.published_at, p.pk),
        )
        for event_id, page_ids in links.items()
    }


def _actor(p: EventParticipant) -> dict:
    return {"id": p.actor_id, "slug": p.actor.slug, "name": p.actor.name, "role": p.role}


def _pick(
    participants: list[EventParticipant], roles: Iterable[str], exclude=None
) -> EventParticipant | None:
    for role in roles:
        for p in participants:
            if p.role == role and p is not exclude:
                return p
    return None


def event_records(events: Iterable[Event], *, articles: QuerySet[ArticlePage]) -> list[dict]:
    """One dict per event, with actors and source articles as lists (the JSON export)."""
    events = list(events)
    sources = _sources(events, articles)
    records = []
    for event in events:
        participants = list(event.participants.all())
        actor1 = _pick(participants, ACTOR1_ROLES)
        actor2 = _pick(participants, ACTOR2_ROLES, exclude=actor1)
        place = event.place
        country = (place.country or (place.parent.country if place.parent_id else "")) if place else ""
        records.append(
            {
                "event_id": event.pk,
                "event_slug": event.slug,
                "title": event.title,
                "event_date": event.start_iso or None,
                "time_precision": event.start_precision if event.start else None,
                "end_date": event.end_iso or None,
                "end_precision": event.end_precision if event.end else None,
                "event_type": event.event_type,
                "event_type_label": event.get_event_type_display(),
                "status": event.status,
                "actor1": _actor(actor1) if actor1 else None,
                "actor2": _actor(actor2) if actor2 else None,
                "assoc_actors": [_actor(p) for p in participants if p is not actor1 and p is not actor2],
                "participants": [_actor(p) for p in participants],
                "location": place.name if place else None,
                "location_kind": place.kind if place else None,
                "country": COUNTRY_NAMES.get(country) or None,
                "iso": country or None,
                "latitude": float(place.latitude) if place and place.latitude is not None else None,
                "longitude": float(place.longitude) if place and place.longitude is not None else None,
                "geo_precision": GEO_PRECISION.get(place.kind) if place else None,
                "source_articles": [
                    {"id": a.pk, "title": a.title, "url": page_url(a)} for a in sources.get(event.pk, [])
                ],
                "sources": event.source_list,
                "notes": event.summary,
            }
        )
    return records


def _flat(record: dict) -> dict:
    """A JSON record as one CSV row: lists joined with " | ", an actor as its name."""
    row = dict(record)
    for key in ("actor1", "actor2"):
        actor = record[key]
        row[key] = actor["name"] if actor else ""
        row[f"{key}_role"] = actor["role"] if actor else ""
    row["assoc_actors"] = " | ".join(f"{a['name']} ({a['role']})" for a in record["assoc_actors"])
    row["participants"] = " | ".join(f"{a['slug']}:{a['role']}" for a in record["participants"])
    row["source_articles"] = " | ".join(a["url"] for a in record["source_articles"])
    row["sources"] = " | ".join(record["sources"])
    return {column: "" if row.get(column) is None else row[column] for column in COLUMNS}


def csv_rows(records: list[dict]) -> list[dict]:
    return [_flat(r) for r in records]


def to_csv(records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(csv_rows(records))
    return out.getvalue()


def to_json(records: list[dict]) -> str:
    return json.dumps({"columns": COLUMNS, "events": records}, ensure_ascii=False, indent=2)
