"""Reads of the registry shared by the public pages, the partner API and tagging.

Partial-date rule (docs/registry.md, "Partial dates"): a relation holds on day D when D falls
inside [start, end], both ends inclusive and a missing end meaning "still holds". A partial date
stands for its whole period, so there are two readings:

* ``strict=False`` (default, "may hold"): the interval is widened to whole periods. A relation that
  started in "2023" counts on 2023-06-01; one that ended in "January 2025" still counts on
  2025-01-20. Use it to list everything that might apply (pages, API filters).
* ``strict=True`` ("certainly holds"): the interval is narrowed. "Started in 2023" counts only
  from 2023-12-31, "ended January 2025" only until 2025-01-01.

A missing start means "since before our records" and matches in both readings.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from apps.registry import dates
from apps.registry.models import (
    Actor,
    ActorRelation,
    Event,
    EventDateClaim,
    EventParticipant,
    ParticipantRole,
    Place,
    Predicate,
)

# ---------------------------------------------------------------------------- visibility rule


# Each model's ``public_rule`` is the definition; ``is_public`` reads the same rule in Python.


def public_actors() -> QuerySet[Actor]:
    """Actors anyone outside the newsroom may see: approved and not merged into another."""
    return Actor.objects.public()


def public_events() -> QuerySet[Event]:
    return Event.objects.public()


def public_places() -> QuerySet[Place]:
    return Place.objects.public()


def at_public_place() -> Q:
    """Events whose own place is public: a proposed place never makes an event match a filter."""
    return Place.public_rule.q("place__")


# ---------------------------------------------------------------------------- time-bounded relations


def holds_on(on: dt.date, *, strict: bool = False) -> Q:
    """The Q for "this relation holds on ``on``" (see the module docstring)."""
    if strict:
        started = Q(start__isnull=True) | Q(start_upper__lte=on)
        not_ended = Q(end__isnull=True) | Q(end__gte=on)
    else:
        started = Q(start__isnull=True) | Q(start__lte=on)
        not_ended = Q(end__isnull=True) | Q(end_upper__gte=on)
    return started & not_ended


def relations_as_of(actor: Actor, on: dt.date, *, strict: bool = False) -> QuerySet[ActorRelation]:
    """Relations of ``actor`` (as subject or object) that hold on ``on``, between public actors."""
    public = public_actors()
    return (
        ActorRelation.objects.filter(Q(subject=actor) | Q(object=actor))
        .filter(holds_on(on, strict=strict))
        .filter(subject__in=public, object__in=public)
        .select_related("subject", "object")
        .order_by("predicate", "start", "pk")
    )


def members_of(group: Actor, on: dt.date, *, strict: bool = False) -> QuerySet[Actor]:
    """Public actors that are members of ``group`` on ``on``: one query."""
    relations = ActorRelation.objects.filter(
        holds_on(on, strict=strict), object=group, predicate=Predicate.MEMBER_OF
    )
    return public_actors().filter(pk__in=relations.values("subject_id")).order_by("name")


# ---------------------------------------------------------------------------- actor page


@dataclass(frozen=True)
class TimelineEntry:
    date: dt.date | None
    precision: str
    kind: str  # "event", "relation_start", "relation_end"
    label: str
    url: str = ""
    detail: str = ""

    @property
    def display(self) -> str:
        return dates.format_partial(self.date, self.precision)

    @property
    def iso(self) -> str:
        return dates.iso_partial(self.date, self.precision)

    @property
    def sort_key(self) -> tuple:
        return (*dates.sort_key(self.date, self.precision), self.label)


@dataclass
class RelationView:
    relation: ActorRelation
    other: Actor
    outgoing: bool  # the actor is the subject


@dataclass
class ActorProfile:
    actor: Actor
    aliases: list
    current: list[RelationView]
    past: list[RelationView]
    timeline: list[TimelineEntry]
    graph: RelationshipGraph
    participations: list[EventParticipant] = field(default_factory=list)


def actor_relations(actor: Actor) -> list[ActorRelation]:
    """Every relation of ``actor`` with a public counterpart, both directions, in one query."""
    public = public_actors()
    return list(
        ActorRelation.objects.filter(
            Q(subject=actor, object__in=public) | Q(object=actor, subject__in=public)
        )
        .select_related("subject", "object")
        .order_by("start", "pk")
    )


def actor_participations(actor: Actor) -> list[EventParticipant]:
    return list(
        EventParticipant.objects.filter(actor=actor, event__in=public_events())
        .select_related("event")
        .order_by("event__start", "event__pk")
    )


def actor_timeline(
    actor: Actor,
    *,
    relations: list[ActorRelation] | None = None,
    participations: list[EventParticipant] | None = None,
) -> list[TimelineEntry]:
    """Events the actor took part in and its relations' starts and ends, oldest first.

    Partial dates sort at the start of their period, coarser first ("2023" before "March 2023"
    before "16 September 2023"); undated entries go last.
    """
    relations = actor_relations(actor) if relations is None else relations
    participations = actor_participations(actor) if participations is None else participations
    entries: list[TimelineEntry] = []
    seen_events: set[int] = set()
    for participation in participations:
        event = participation.event
        if event.pk in seen_events:
            continue
        seen_events.add(event.pk)
        entries.append(
            TimelineEntry(
                date=event.start,
                precision=event.start_precision,
                kind="event",
                label=event.title,
                url=event.get_absolute_url(),
                detail=participation.get_role_display(),
            )
        )
    for relation in relations:
        outgoing = relation.subject_id == actor.pk
        other = relation.object if outgoing else relation.subject
        text = _relation_sentence(relation)
        if relation.start:
            entries.append(
                TimelineEntry(
                    date=relation.start,
                    precision=relation.start_precision,
                    kind="relation_start",
                    label=f"Begins: {text}",
                    url=other.get_absolute_url(),
                )
            )
        if relation.end:
            entries.append(
                TimelineEntry(
                    date=relation.end,
                    precision=relation.end_precision,
                    kind="relation_end",
                    label=f"Ends: {text}",
                    url=other.get_absolute_url(),
                )
            )
    return sorted(entries, key=lambda entry: entry.sort_key)


def _relation_sentence(relation: ActorRelation) -> str:
    title = f" as {relation.position_title}" if relation.position_title else ""
    return f"{relation.subject.name} {relation.get_predicate_display()} {relation.object.name}{title}"


# ---------------------------------------------------------------------------- relationship picture


@dataclass(frozen=True)
class GraphNode:
    actor: Actor
    x: float
    y: float
    label_anchor: str
    label_y: float


@dataclass(frozen=True)
class GraphEdge:
    node: GraphNode
    label: str
    current: bool
    predicate: str
    label_x: float
    label_y: float
    # The line runs subject -> object (arrowhead at the object), stopping short of both circles.
    x1: float
    y1: float
    x2: float
    y2: float
    directed: bool


@dataclass
class RelationshipGraph:
    width: int
    height: int
    cx: float
    cy: float
    centre: Actor
    edges: list[GraphEdge]

    @property
    def centre_label_y(self) -> float:
        return self.cy + 36


def relationship_graph(
    actor: Actor, relations: list[ActorRelation], *, on: dt.date, width: int = 760, height: int = 460
) -> RelationshipGraph:
    """A radial layout: the actor in the middle, each counterpart on a circle around it.

    Several relations to the same counterpart share one spoke and one label, so the picture
    stays readable however many relations there are. Arrows point from subject to object.
    """
    by_other: dict[int, list[ActorRelation]] = {}
    others: dict[int, Actor] = {}
    for relation in relations:
        other = relation.object if relation.subject_id == actor.pk else relation.subject
        others[other.pk] = other
        by_other.setdefault(other.pk, []).append(relation)
    cx, cy = width / 2, height / 2
    radius = min(width, height) / 2 - 55
    edges: list[GraphEdge] = []
    count = len(others)
    for i, (other_pk, rels) in enumerate(sorted(by_other.items(), key=lambda item: others[item[0]].name)):
        angle = -math.pi / 2 + 2 * math.pi * i / max(count, 1)
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = cx + radius * cos, cy + radius * sin
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        label_y = y + (24 if sin > 0.3 else (-15 if sin < -0.3 else 4))
        node = GraphNode(
            actor=others[other_pk], x=round(x, 1), y=round(y, 1), label_anchor=anchor, label_y=label_y
        )
        outgoing = {rel.subject_id == actor.pk for rel in rels}
        directed = len(outgoing) == 1
        # Inner end just outside the centre circle (r=16), outer end outside the node (r=9) plus the arrowhead.
        inner = (cx + 20 * cos, cy + 20 * sin)
        outer = (cx + (radius - 14) * cos, cy + (radius - 14) * sin)
        start, end = (inner, outer) if outgoing == {True} or not directed else (outer, inner)
        edges.append(
            GraphEdge(
                node=node,
                label="; ".join(sorted({rel.position_title or rel.get_predicate_display() for rel in rels})),
                current=any(_holds(rel, on) for rel in rels),
                predicate=rels[0].predicate,
                label_x=round(cx + (x - cx) * 0.55, 1),
                label_y=round(cy + (y - cy) * 0.55 - 4, 1),
                x1=round(start[0], 1),
                y1=round(start[1], 1),
                x2=round(end[0], 1),
                y2=round(end[1], 1),
                directed=directed,
            )
        )
    return RelationshipGraph(width=width, height=height, cx=cx, cy=cy, centre=actor, edges=edges)


def _holds(relation: ActorRelation, on: dt.date) -> bool:
    """Python twin of ``holds_on`` (default reading) for relations already in memory."""
    started = relation.start is None or relation.start <= on
    not_ended = relation.end is None or (relation.end_upper or relation.end) >= on
    return started and not_ended


def actor_profile(actor: Actor, *, on: dt.date | None = None) -> ActorProfile:
    """Everything the actor page shows, in a fixed number of queries whatever the record's size.

    Apps that add to the page (articles tagged with the actor) extend the view's context with
    their own selector rather than adding queries inside the template.
    """
    on = on or timezone.localdate()
    relations = actor_relations(actor)
    participations = actor_participations(actor)
    current: list[RelationView] = []
    past: list[RelationView] = []
    for relation in relations:
        outgoing = relation.subject_id == actor.pk
        view = RelationView(
            relation=relation, other=relation.object if outgoing else relation.subject, outgoing=outgoing
        )
        # Past = ended before ``on``; a relation that starts later is listed as current, not past.
        ended = relation.end is not None and (relation.end_upper or relation.end) < on
        (past if ended else current).append(view)
    return ActorProfile(
        actor=actor,
        aliases=list(actor.aliases.all()),
        current=current,
        past=past,
        timeline=actor_timeline(actor, relations=relations, participations=participations),
        graph=relationship_graph(actor, relations, on=on),
        participations=participations,
    )


def resolve_merged(actor: Actor, *, max_hops: int = 10) -> Actor:
    """Follow ``merged_into`` to the surviving record (merges can chain)."""
    seen = {actor.pk}
    while actor.merged_into_id and len(seen) <= max_hops:
        actor = Actor.objects.get(pk=actor.merged_into_id)
        if actor.pk in seen:
            break
        seen.add(actor.pk)
    return actor


# ---------------------------------------------------------------------------- indexes and event page


def actor_index(*, kind: str = "", country: str = "") -> QuerySet[Actor]:
    qs = public_actors()
    if kind:
        qs = qs.filter(kind=kind)
    if country:
        qs = qs.filter(country=country)
    return qs.order_by("name")


def event_index(*, event_type: str = "", country: str = "", year: int | None = None) -> QuerySet[Event]:
    qs = public_events().select_related("place")
    if event_type:
        qs = qs.filter(event_type=event_type)
    if country:
        qs = qs.filter(at_public_place(), place__country=country)
    if year:
        qs = qs.filter(start__year=year)
    return qs.order_by("-start", "title")


# Hosts and initiators first, targets last: the order a reader scans an event in.
ROLE_ORDER = [
    ParticipantRole.HOST,
    ParticipantRole.INITIATOR,
    ParticipantRole.MEDIATOR,
    ParticipantRole.ATTENDEE,
    ParticipantRole.MEMBER,
    ParticipantRole.TARGET,
]


@dataclass
class EventProfile:
    event: Event
    participants_by_role: list[tuple[str, list[EventParticipant]]]
    date_claims: list[EventDateClaim]
    disputed: bool
    children: list[Event]


def event_profile(event: Event) -> EventProfile:
    """The event page's data in a fixed number of queries (participants, claims, series)."""
    participants = sorted(
        event.participants.filter(actor__in=public_actors()).select_related("actor"),
        key=lambda p: (ROLE_ORDER.index(p.role) if p.role in ROLE_ORDER else 99, p.actor.name),
    )
    grouped: dict[str, list[EventParticipant]] = {}
    for participant in participants:
        grouped.setdefault(participant.get_role_display(), []).append(participant)
    claims = list(event.date_claims.all())
    distinct_dates = {(claim.date, claim.precision) for claim in claims}
    if event.start:
        distinct_dates.add((event.start, event.start_precision))
    children = list(public_events().filter(parent=event).order_by("start", "title"))
    return EventProfile(
        event=event,
        participants_by_role=list(grouped.items()),
        date_claims=claims,
        disputed=len(distinct_dates) > 1,
        children=children,
    )


def event_queryset_for_page() -> QuerySet[Event]:
    return public_events().select_related("place", "place__parent", "parent")


def place_events(place: Place) -> QuerySet[Event]:
    return (
        public_events()
        .filter(at_public_place())
        .filter(Q(place=place) | Q(place__parent=place))
        .order_by("-start", "title")
    )


def actors_with_prefetched_aliases(qs: QuerySet[Actor]) -> QuerySet[Actor]:
    from apps.registry.models import Alias

    return qs.prefetch_related(Prefetch("aliases", queryset=Alias.objects.order_by("text")))
