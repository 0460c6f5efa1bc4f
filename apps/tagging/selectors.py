"""Reads: the process's registry index (rebuilt when the registry version moves), suggestions
for an article's text with the events that fit, and the text of a page or a posted form."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading

from django.db.models import Prefetch, Q

from apps.core.models import SectionPage
from apps.registry.models import Alias, Event, EventParticipant
from apps.registry.selectors import public_actors, public_events, public_places
from apps.tagging.matcher import ACTOR, LEXICON, PLACE, AliasEntry, Matcher
from apps.tagging.models import RegistryVersion, RejectedSuggestion, WireImport
from apps.tagging.suggestions import SUGGEST_THRESHOLD, RegistryIndex, Suggestions, Target, suggest_tags

EVENT_TRIGGERS: dict[str, list[str]] = LEXICON["event_triggers"]
MAX_EVENTS = 5
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")

# The largest id a database integer column holds (PostgreSQL integer, the PositiveIntegerField
# object ids): a larger posted id names nothing and would fail in the database instead.
MAX_ID = 2_147_483_647
# A Draftail value longer than this is not parsed: the suggest view's text limit then refuses it.
MAX_RICH_TEXT = 1_000_000

_lock = threading.Lock()
_cached: RegistryIndex | None = None


def build_index(version: int) -> RegistryIndex:
    """Read approved, unmerged actors and approved places with their aliases (three queries)."""
    actors = {
        row["id"]: Target(row["id"], row["slug"], row["name"], row["kind"], row["country"])
        for row in public_actors().values("id", "slug", "name", "kind", "country")
    }
    places = {
        row["id"]: Target(row["id"], row["slug"], row["name"], row["kind"], row["country"])
        for row in public_places().values("id", "slug", "name", "kind", "country")
    }
    entries = [
        AliasEntry(ACTOR, a.id, a.name, "name", False, a.kind, a.country, a.name) for a in actors.values()
    ]
    entries += [
        AliasEntry(PLACE, p.id, p.name, "name", False, "", p.country, p.name) for p in places.values()
    ]
    for row in Alias.objects.values("actor_id", "place_id", "text", "kind", "case_sensitive"):
        if row["actor_id"] in actors:
            a = actors[row["actor_id"]]
            entries.append(
                AliasEntry(
                    ACTOR, a.id, row["text"], row["kind"], row["case_sensitive"], a.kind, a.country, a.name
                )
            )
        elif row["place_id"] in places:
            p = places[row["place_id"]]
            entries.append(
                AliasEntry(
                    PLACE, p.id, row["text"], row["kind"], row["case_sensitive"], "", p.country, p.name
                )
            )
    return RegistryIndex(matcher=Matcher(entries, version=version), actors=actors, places=places)


def current_index() -> RegistryIndex:
    """The process's index: one query to read the version, a rebuild only when it has moved."""
    global _cached
    version = RegistryVersion.current()
    index = _cached
    if index is not None and index.version == version:
        return index
    with _lock:
        if _cached is None or _cached.version != version:
            _cached = build_index(version)
        return _cached


def suggest(
    *,
    headline: str = "",
    standfirst: str = "",
    body: str = "",
    on: dt.date | None = None,
    page_id: int | None = None,
) -> Suggestions:
    """Suggestions for an article's text; ``page_id`` drops what editors rejected on that page."""
    suggestions = suggest_tags(current_index(), headline=headline, standfirst=standfirst, body=body)
    text = "\n".join((headline, standfirst, body))
    suggestions.events = fitting_events(suggestions, text=text, on=on)
    if page_id:
        rejected = set(RejectedSuggestion.objects.filter(page_id=page_id).values_list("kind", "object_id"))
        suggestions.actors = [s for s in suggestions.actors if ("actor", s.id) not in rejected]
        suggestions.places = [s for s in suggestions.places if ("place", s.id) not in rejected]
        suggestions.events = [e for e in suggestions.events if ("event", e["id"]) not in rejected]
    return suggestions


def fitting_events(suggestions: Suggestions, *, text: str, on: dt.date | None = None) -> list[dict]:
    """Registry events whose participants, place, date and type fit what the text mentions."""
    actors = {s.id: s for s in suggestions.actors if s.confidence >= SUGGEST_THRESHOLD}
    places = {s.id: s for s in suggestions.places if s.confidence >= SUGGEST_THRESHOLD}
    if not actors:
        return []
    years = {int(y) for y in _YEAR.findall(text)} or ({on.year} if on else set())
    lowered = text.casefold()
    events = (
        public_events()
        .filter(participants__actor_id__in=list(actors))
        .distinct()
        .select_related("place")
        .prefetch_related(
            Prefetch("participants", queryset=EventParticipant.objects.only("event_id", "actor_id"))
        )
    )
    ranked = []
    for event in events:
        evidence: list[str] = []
        participant_ids = {p.actor_id for p in event.participants.all()}
        found = [actors[i] for i in participant_ids if i in actors]
        evidence.append("participants mentioned: " + ", ".join(sorted(a.name for a in found)))
        score = 0.4 * len(found) / max(1, len(participant_ids)) + 0.1 * (len(found) >= 2)
        if event.place_id and event.place_id in places:
            score += 0.15
            evidence.append(f"place mentioned: {places[event.place_id].name}")
        if years and event.start and _years_fit(event, years):
            score += 0.2
            evidence.append("date fits: " + ", ".join(str(y) for y in sorted(years)))
        triggers = [w for w in EVENT_TRIGGERS.get(event.event_type, []) if w in lowered]
        if triggers:
            score += 0.15
            evidence.append("wording: " + ", ".join(triggers[:3]))
        if len(evidence) < 3:  # the participants alone are not enough
            continue
        ranked.append(
            {
                "type": "event",
                "id": event.id,
                "slug": event.slug,
                "name": event.title,
                "event_type": event.event_type,
                "date": event.start_display,
                "relevance": round(min(1.0, score), 2),
                "role": "subject" if score >= 0.6 else "mentioned",
                "evidence": evidence,
            }
        )
    ranked.sort(key=lambda e: (-e["relevance"], e["name"]))
    return ranked[:MAX_EVENTS]


def _years_fit(event: Event, years: set[int]) -> bool:
    last = (event.end_upper or event.start_upper or event.start).year
    return any(event.start.year <= y <= last for y in years)


# ------------------------------------------------------------------------------ wire inbox


def sections_for(user) -> list[SectionPage]:
    """Live sections the user may add articles to (the inbox's choices and what it lists)."""
    return [
        s
        for s in SectionPage.objects.live().order_by("title")
        if s.permissions_for_user(user).can_add_subpage()
    ]


def recent_imports(sections: list[SectionPage], limit: int = 50) -> list[WireImport]:
    """The latest imports whose draft is under one of ``sections`` (one query)."""
    if not sections:
        return []
    under = Q()
    for section in sections:
        under |= Q(page__path__startswith=section.path)
    return list(WireImport.objects.filter(under).select_related("page", "user")[:limit])


# ------------------------------------------------------------------------------ posted ids


def posted_id(value) -> int | None:
    """The id a posted value names (a JSON int, or a string of ASCII digits) within 1..MAX_ID;
    None for anything else (a bool, a float, "²", a number no database column holds)."""
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit() and len(value) <= len(str(MAX_ID))):
            return None
        value = int(value)
    elif not isinstance(value, int) or isinstance(value, bool):
        return None
    return value if 0 < value <= MAX_ID else None


# ------------------------------------------------------------------------------ article text


def _rich_text(value: str) -> str:
    """Text of a Draftail value (contentstate JSON) or of stored rich-text HTML."""
    if len(value) > MAX_RICH_TEXT:
        return value
    try:
        data = json.loads(value)
    except (TypeError, ValueError, RecursionError):  # RecursionError: JSON nested too deep
        return re.sub(r"<[^>]+>", " ", value)
    if isinstance(data, dict) and isinstance(data.get("blocks"), list):
        return "\n".join(str(b.get("text", "")) for b in data["blocks"] if isinstance(b, dict))
    return ""


_BODY_META = re.compile(r"^body-(\d+-)*(count|type|id|deleted|order)$|-(type|id|deleted|order|count)$")


def text_from_form(data) -> dict[str, str]:
    """Headline, standfirst and body from the article editor's posted form (StreamField inputs)."""
    body = []
    for key in data:
        if key.startswith("body-") and not _BODY_META.search(key):
            for value in data.getlist(key) if hasattr(data, "getlist") else [data[key]]:
                text = _rich_text(value) if value.lstrip().startswith(("{", "<")) else value
                if text.strip():
                    body.append(text.strip())
    return {
        "headline": data.get("title", ""),
        "standfirst": data.get("standfirst", ""),
        "body": "\n\n".join(body),
    }


def text_from_page(page) -> dict[str, str]:
    """Headline, standfirst and body of an ArticlePage (or a revision of one)."""
    body = []
    for block in page.body:
        value = block.value
        source = getattr(value, "source", None)
        if source is not None:
            body.append(_rich_text(source))
        elif isinstance(value, str):
            body.append(value)
        elif hasattr(value, "items"):
            body.extend(
                str(v.source if hasattr(v, "source") else v)
                for _, v in value.items()
                if isinstance(v, str) or hasattr(v, "source")
            )
    return {
        "headline": page.title,
        "standfirst": page.standfirst or "",
        "body": "\n\n".join(b for b in body if b.strip()),
    }
