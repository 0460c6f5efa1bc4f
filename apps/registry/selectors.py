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

import bisect
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Collate
from django.utils import timezone

from apps.registry import dates
from apps.registry.graph import RelationshipGraph, relationship_graph
from apps.registry.models import (
    Actor,
    ActorRelation,
    Alias,
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


def _started(on: dt.date, *, strict: bool) -> Q:
    field = "start_upper" if strict else "start"
    return Q(start__isnull=True) | Q(**{f"{field}__lte": on})


def _not_ended(on: dt.date, *, strict: bool) -> Q:
    field = "end" if strict else "end_upper"
    return Q(end__isnull=True) | Q(**{f"{field}__gte": on})


def holds_on(on: dt.date, *, strict: bool = False) -> Q:
    """The Q for "this relation holds on ``on``" (see the module docstring): the only definition.

    Relations read into memory carry it as annotations (``with_holding``), never a Python copy.
    """
    return _started(on, strict=strict) & _not_ended(on, strict=strict)


def with_holding(qs: QuerySet[ActorRelation], on: dt.date) -> QuerySet[ActorRelation]:
    """Annotate ``holds`` (holds on ``on``) and ``ended`` (ended before ``on``), default reading."""
    return qs.annotate(
        holds=ExpressionWrapper(holds_on(on), output_field=BooleanField()),
        ended=ExpressionWrapper(~_not_ended(on, strict=False), output_field=BooleanField()),
    )


def _with_counterparts(actor: Actor, relations: QuerySet[ActorRelation]) -> list[ActorRelation]:
    """Read the relations, each with ``other`` (the counterpart) and ``outgoing`` (actor is subject)."""
    rows = list(relations.select_related("subject", "object"))
    for relation in rows:
        relation.outgoing = relation.subject_id == actor.pk
        relation.other = relation.object if relation.outgoing else relation.subject
    return rows


def relations_as_of(actor: Actor, on: dt.date, *, strict: bool = False) -> list[ActorRelation]:
    """Relations of ``actor`` (as subject or object) that hold on ``on``, between public actors."""
    public = public_actors()
    return _with_counterparts(
        actor,
        with_holding(ActorRelation.objects.filter(Q(subject=actor) | Q(object=actor)), on)
        .filter(holds_on(on, strict=strict))
        .filter(subject__in=public, object__in=public)
        .order_by("predicate", "start", "pk"),
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

    display = dates.display_property("date", "precision")
    iso = dates.iso_property("date", "precision")

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
    timeline: Page  # one page of TimelineEntry (TIMELINE_PAGE_SIZE)
    graph: RelationshipGraph


def actor_relations(actor: Actor, *, on: dt.date | None = None) -> list[ActorRelation]:
    """Every relation of ``actor`` with a public counterpart, both directions, in one query.

    Each carries ``holds``/``ended`` for the day ``on`` (default today) and ``other``, the
    counterpart, and ``outgoing`` (the actor is the subject).
    """
    on = on or timezone.localdate()
    # The counterpart's public rule on the joined row, not ``object__in=<public actors>``: that
    # form hashed every public actor per request (34 ms on the 100k corpus for an actor with none).
    public_object, public_subject = Actor.public_rule.q("object__"), Actor.public_rule.q("subject__")
    return _with_counterparts(
        actor,
        with_holding(
            ActorRelation.objects.filter(
                (Q(subject=actor) & public_object) | (Q(object=actor) & public_subject)
            ),
            on,
        ).order_by("start", "pk"),
    )


def actor_participations(actor: Actor) -> list[EventParticipant]:
    return list(
        EventParticipant.objects.filter(actor=actor, event__in=public_events())
        .select_related("event")
        .order_by("event__start", "event__pk")
    )


# The newest participations' columns: the event's reference and the role, no model instances.
PARTICIPATION_ROW_FIELDS = (
    "role", "event_id", "event__slug", "event__title", "event__event_type", "event__start",
    "event__start_precision",
)  # fmt: skip


def newest_participations(actor: Actor, *, limit: int) -> list[dict]:
    """The ``limit`` newest participations of ``actor`` in public events, as ``.values()`` rows
    (PARTICIPATION_ROW_FIELDS), in one query: latest event start first, then the newest event,
    then the newest participation (an actor can hold two roles in one event).

    Undated events come first, on both backends: that is the order of the index on ``start`` read
    backwards, which PostgreSQL then walks until it has ``limit`` rows. Putting them last instead
    (``NULLS LAST``) joins and sorts every participation: 0.5 ms against 28-72 ms for the
    100k corpus's most active actor (17,000 participations); for some actors with a few hundred
    the walk is slower than the sort, 27-40 against 7-13 ms (docs/adr/0016-notes/actor-detail.md)."""
    return list(
        EventParticipant.objects.filter(Event.public_rule.q("event__"), actor=actor)
        .order_by(F("event__start").desc(nulls_first=True), F("event_id").desc(), F("pk").desc())
        .values(*PARTICIPATION_ROW_FIELDS)[:limit]
    )


def _event_entry(event: Event, role_display: str) -> TimelineEntry:
    return TimelineEntry(
        date=event.start,
        precision=event.start_precision,
        kind="event",
        label=event.title,
        url=event.get_absolute_url(),
        detail=role_display,
    )


def _relation_entries(actor: Actor, relations: Iterable[ActorRelation]) -> list[TimelineEntry]:
    """Each relation's start and end (when known) as timeline entries, in the relations' order."""
    entries: list[TimelineEntry] = []
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
    return entries


def actor_timeline(
    actor: Actor,
    *,
    relations: list[ActorRelation] | None = None,
    participations: list[EventParticipant] | None = None,
) -> list[TimelineEntry]:
    """Events the actor took part in and its relations' starts and ends, oldest first.

    Partial dates sort at the start of their period, coarser first ("2023" before "March 2023"
    before "16 September 2023"); undated entries go last. The whole timeline: the actor page
    shows it a page at a time (``actor_timeline_page``), in the same order.
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
        entries.append(_event_entry(event, participation.get_role_display()))
    entries.extend(_relation_entries(actor, relations))
    return sorted(entries, key=lambda entry: entry.sort_key)


TIMELINE_PAGE_SIZE = 50

_ROLE_LABELS = dict(ParticipantRole.choices)


def _timeline_events(actor: Actor) -> QuerySet[Event]:
    """The public events ``actor`` took part in, once each, in ``TimelineEntry.sort_key`` order.

    The order is the sort key's, written in SQL: the first day of the period (undated last),
    coarser precision first, then the title compared by code point as Python compares strings
    (``COLLATE "C"`` on PostgreSQL; SQLite's default collation already is), then the id (the
    whole timeline's stable sort kept events of one key in id order). Each event carries
    ``timeline_role``, the role of the actor's first participation in it.
    """
    taking_part = EventParticipant.objects.filter(actor=actor)
    title = Collate("title", "C") if connection.vendor == "postgresql" else F("title")
    rank = Case(
        When(start__isnull=True, then=Value(9)),
        *(When(start_precision=precision, then=Value(r)) for precision, r in dates.PRECISION_RANK.items()),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        public_events()
        .filter(pk__in=taking_part.values("event_id"))
        .annotate(
            timeline_rank=rank,
            timeline_role=Subquery(
                taking_part.filter(event=OuterRef("pk")).order_by("pk").values("role")[:1]
            ),
        )
        .only("pk", "slug", "title", "start", "start_precision")
        .order_by(F("start").asc(nulls_last=True), "timeline_rank", title, "pk")
    )


class _TimelineSequence:
    """An actor's whole timeline as a sequence a ``Paginator`` slices, reading one window of events.

    The relation entries (few, and already read for the relations table) are sorted in memory;
    the events (thousands for a busy actor) are counted and read a slice at a time, in the same
    order, from SQL. Merged, an event with ``i`` events before it stands at ``i`` plus the
    relation entries that sort before it (ties: the event first, as the whole timeline's stable
    sort has it), so the events of the entries ``[lo, hi)`` are among events ``[lo - m, hi)``
    where ``m`` is the number of relation entries; a relation entry's place is known whenever an
    event read sorts before it (or none was to be read) and one after it (or the events ran out),
    and otherwise it lies outside the window.
    """

    def __init__(self, actor: Actor, relations: list[ActorRelation]):
        self.relation_entries = sorted(_relation_entries(actor, relations), key=lambda entry: entry.sort_key)
        self.events = _timeline_events(actor)

    def count(self) -> int:
        return self.events.count() + len(self.relation_entries)

    def __getitem__(self, window: slice) -> list[TimelineEntry]:
        lo, hi = window.start or 0, window.stop
        m = len(self.relation_entries)
        first = max(0, lo - m)
        events = list(self.events[first:hi]) if hi > first else []
        event_entries = [_event_entry(e, _ROLE_LABELS.get(e.timeline_role, e.timeline_role)) for e in events]
        event_keys = [entry.sort_key for entry in event_entries]
        relation_keys = [entry.sort_key for entry in self.relation_entries]
        placed = [
            (first + i + bisect.bisect_left(relation_keys, key), entry)
            for i, (key, entry) in enumerate(zip(event_keys, event_entries, strict=True))
        ]
        ran_out = len(events) < hi - first
        for j, (key, entry) in enumerate(zip(relation_keys, self.relation_entries, strict=True)):
            before = bisect.bisect_right(event_keys, key)  # events read that sort before it
            if (first > 0 and before == 0) or (before == len(events) and not ran_out):
                continue  # before event ``first`` (so before ``lo``) or after the last read (at or past ``hi``)
            placed.append((first + before + j, entry))
        return [entry for position, entry in sorted(placed, key=lambda item: item[0]) if lo <= position < hi]


def actor_timeline_page(
    actor: Actor,
    *,
    relations: list[ActorRelation] | None = None,
    page_number: str | int | None = None,
    per_page: int = TIMELINE_PAGE_SIZE,
) -> Page:
    """One page of ``actor_timeline`` (``TIMELINE_PAGE_SIZE`` entries) in one query (the page's
    events, one more than shown to know whether a next page exists), whatever the number of
    events. Bad page numbers get the first page, out-of-range ones the last (which counts)."""
    relations = actor_relations(actor) if relations is None else relations
    return UncountedPaginator(_TimelineSequence(actor, relations), per_page).get_page(page_number)


# ---------------------------------------------------------------------------- paging without a count


class UncountedPaginator(Paginator):
    """A ``Paginator`` that pages without counting the list: each page reads one item more than
    it shows to know whether another follows, and ``uncounted`` tells the templates to leave
    out "of N pages". Counting a busy actor's 17,000 events or a section's 16,000 visible
    articles was most of the page's time on the 100k corpus (docs/adr/0016). Only an
    out-of-range page number counts, to clamp to the last page as ``get_page`` always has.
    """

    uncounted = True

    def validate_number(self, number) -> int:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from error
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def get_page(self, number) -> Page:
        try:
            return super().get_page(number)
        except EmptyPage:  # past the end: only now count, for the last page
            return self.page(self.num_pages)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        items = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not items and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return _UncountedPage(items[: self.per_page], number, self, more=len(items) > self.per_page)


class _UncountedPage(Page):
    def __init__(self, object_list, number: int, paginator: Paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self) -> bool:
        return self.more

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


def _relation_sentence(relation: ActorRelation) -> str:
    title = f" as {relation.position_title}" if relation.position_title else ""
    return f"{relation.subject.name} {relation.get_predicate_display()} {relation.object.name}{title}"


def actor_profile(
    actor: Actor, *, on: dt.date | None = None, timeline_page: str | int | None = None
) -> ActorProfile:
    """Everything the actor page shows, in a fixed number of queries whatever the record's size:
    the timeline one page (``timeline_page``) at a time.

    Apps that add to the page (articles tagged with the actor) register an
    ``register_actor_page_context`` hook rather than adding queries inside the template.
    """
    relations = actor_relations(actor, on=on)
    current: list[RelationView] = []
    past: list[RelationView] = []
    for relation in relations:
        view = RelationView(relation=relation, other=relation.other, outgoing=relation.outgoing)
        # Past = ended before ``on``; a relation that starts later is listed as current, not past.
        (past if relation.ended else current).append(view)
    return ActorProfile(
        actor=actor,
        aliases=list(actor.aliases.all()),
        current=current,
        past=past,
        timeline=actor_timeline_page(actor, relations=relations, page_number=timeline_page),
        graph=relationship_graph(actor, relations),
    )


# ---------------------------------------------------------------------------- merged actors

MAX_MERGE_HOPS = 10


def resolve_merged_ids(ids: Iterable[int]) -> dict[int, int]:
    """Each actor id mapped to the id of the record it was finally merged into (itself if none).

    Merges can chain (A into B, later B into C): one query per hop for the whole batch, at
    most ``MAX_MERGE_HOPS``; a cycle stops where it closes. Unknown ids map to themselves.
    """
    ids = list(ids)
    next_of: dict[int, int | None] = {}
    pending = set(ids)
    for _ in range(MAX_MERGE_HOPS + 1):
        pending -= next_of.keys()
        if not pending:
            break
        found = dict(Actor.objects.filter(pk__in=pending).values_list("pk", "merged_into_id"))
        next_of.update({pk: found.get(pk) for pk in pending})
        pending = {nxt for nxt in found.values() if nxt is not None}
    resolved: dict[int, int] = {}
    for start in ids:
        pk, seen = start, {start}
        while next_of.get(pk) is not None and next_of[pk] not in seen and len(seen) <= MAX_MERGE_HOPS:
            pk = next_of[pk]
            seen.add(pk)
        resolved[start] = pk
    return resolved


def resolve_merged(actor: Actor) -> Actor:
    """The surviving record ``actor`` was merged into (``actor`` itself when it was not)."""
    if not actor.merged_into_id:
        return actor
    return Actor.objects.get(pk=resolve_merged_ids([actor.pk])[actor.pk])


def merged_survivor(actor: Actor) -> Actor | None:
    """Where a non-public actor's URL goes: its public survivor if it was merged away, else None.

    The one "merged: 301 to the survivor, otherwise 404" rule of the actor page and the API.
    """
    if not actor.merged_into_id:
        return None
    survivor = resolve_merged(actor)
    return survivor if survivor.pk != actor.pk and survivor.is_public else None


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


def event_participants(event: Event) -> list[EventParticipant]:
    """Public participants in reading order (``ROLE_ORDER``, then name): one query."""
    participants = event.participants.filter(actor__in=public_actors()).select_related("actor")
    return sorted(
        participants,
        key=lambda p: (ROLE_ORDER.index(p.role) if p.role in ROLE_ORDER else len(ROLE_ORDER), p.actor.name),
    )


def is_date_disputed(event: Event, claims: Iterable[EventDateClaim]) -> bool:
    """Sources disagree when the claims and the event's own start give more than one date."""
    distinct = {(claim.date, claim.precision) for claim in claims}
    if event.start:
        distinct.add((event.start, event.start_precision))
    return len(distinct) > 1


def public_series(event: Event) -> Event | None:
    """The series the event belongs to, when that series is public."""
    if not event.parent_id:
        return None
    return public_events().filter(pk=event.parent_id).first()


def event_profile(event: Event) -> EventProfile:
    """The event page's data in a fixed number of queries (participants, claims, series)."""
    grouped: dict[str, list[EventParticipant]] = {}
    for participant in event_participants(event):
        grouped.setdefault(participant.get_role_display(), []).append(participant)
    claims = list(event.date_claims.all())
    children = list(public_events().filter(parent=event).order_by("start", "title"))
    return EventProfile(
        event=event,
        participants_by_role=list(grouped.items()),
        date_claims=claims,
        disputed=is_date_disputed(event, claims),
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
    return qs.prefetch_related(Prefetch("aliases", queryset=Alias.objects.order_by("text")))
