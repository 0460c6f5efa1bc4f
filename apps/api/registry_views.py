"""Registry endpoints: actors (aliases, time-bounded relations with `as_of`, events, articles),
events (participants, date claims, source articles) and places. Thin: visibility comes from the
registry's and the articles' selectors, paging and errors from the part-1 spine."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, QuerySet
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api import registry_serializers as rs
from apps.api.fields import FIELDS_PARAM, fields_param, wants
from apps.api.filters import tagged_page_ids
from apps.api.params import Param, parse_choice
from apps.api.registry_filters import (
    ACTOR_FILTER_PARAMS,
    ACTOR_ORDERING,
    AS_OF,
    EVENT_FILTER_PARAMS,
    EVENT_ORDERING,
    PLACE_FILTER_PARAMS,
    PLACE_ORDERING,
    filter_actors,
    filter_events,
    filter_places,
)
from apps.api.renderers import EventCSVRenderer
from apps.api.selectors import partner_articles
from apps.api.serializers import paginated
from apps.api.urns import urn
from apps.api.views import PAGE_PARAMS, PartnerAPIView, problem_responses
from apps.articles.selectors import newest_first, public_actor_tags, public_event_tags, tagged_with
from apps.changes import selectors as change_log
from apps.core.public_urls import absolute_url, page_url
from apps.extraction import exports
from apps.partners.models import Partner
from apps.partners.selectors import entitled_section_ids
from apps.registry import selectors as registry
from apps.registry.models import Actor, ActorRelation, Event, Place


class Attached:
    """Loaded extras of one record, read by the detail serializers as `record.api.<name>`."""

    def __init__(self, **values: Any):
        self.__dict__.update(values)


def tagged_articles(partner: Partner, **record: Any) -> list[dict[str, Any]]:
    """The newest articles tagged with the actor or event that this partner may see. A record
    with few tags gives its page ids to the page query (FEW_TAGGED: apps/api/filters.py)."""
    articles = partner_articles(partner)
    tags = (public_actor_tags() if "actor" in record else public_event_tags()).filter(**record)
    pages = tagged_page_ids(tags)
    if pages is None:
        articles = tagged_with(articles, **record)
    else:
        articles = newest_first(articles.filter(pk__in=pages))
    rows = articles.only("id", "title", "url_path", "path", "depth", "published_at")[: rs.EMBEDDED_PER_RECORD]
    return [
        {
            "id": page.pk,
            "uri": urn("article", page.pk),
            "title": page.title,
            "url": page_url(page),
            "published_at": page.published_at,
        }
        for page in rows
    ]


def _aliases(aliases) -> list[dict[str, str]]:
    return [{"text": a.text, "language": a.language, "kind": a.kind} for a in aliases]


class RegistryListView(PartnerAPIView):
    """List endpoints: filter, page by cursor, serialize the page (constant queries per page)."""

    serializer: type = rs.ActorSerializer
    list_params: list = []
    ordering = ACTOR_ORDERING

    def base_queryset(self) -> QuerySet:
        raise NotImplementedError

    def apply_filters(self, qs: QuerySet, values: dict[str, Any]) -> QuerySet:
        raise NotImplementedError

    def get(self, request: Request) -> Response:
        values = self.query(self.list_params)
        qs = self.apply_filters(self.base_queryset(), values)
        page = self.page(qs, ordering=self.ordering, values=values)
        context = {"request": request, FIELDS_PARAM: values.get(FIELDS_PARAM)}
        data = self.serializer(page.items, many=True, context=context).data
        return Response({"next": page.next, "previous": page.previous, "results": data})


def list_schema(resource: str, serializer: type, params: list, summary: str):
    return extend_schema(
        operation_id=f"{resource}_list",
        summary=summary,
        parameters=[param.openapi() for param in params],
        responses={
            200: OpenApiResponse(paginated(serializer), description=f"A page of {resource}."),
            **problem_responses(400, 401, 403, 429),
        },
        tags=[resource],
    )


def detail_schema(resource: str, serializer: type, params: list, summary: str, *, redirects: bool = False):
    responses: dict = {200: OpenApiResponse(serializer, description="The record.")}
    if redirects:
        responses[301] = OpenApiResponse(
            description="This id was merged into another actor: `Location` is the survivor's URL."
        )
    return extend_schema(
        operation_id=f"{resource}_retrieve",
        summary=summary,
        parameters=[param.openapi() for param in params],
        responses={**responses, **problem_responses(400, 401, 403, 404, 429)},
        tags=[resource],
    )


# ---------------------------------------------------------------------------- actors


ACTOR_LIST_PARAMS = [*ACTOR_FILTER_PARAMS, fields_param(rs.ActorSerializer), *PAGE_PARAMS]


class ActorListView(RegistryListView):
    """Approved, unmerged actors, by name."""

    serializer = rs.ActorSerializer
    list_params = ACTOR_LIST_PARAMS
    ordering = ACTOR_ORDERING

    def base_queryset(self) -> QuerySet[Actor]:
        return registry.public_actors()

    def apply_filters(self, qs: QuerySet[Actor], values: dict[str, Any]) -> QuerySet[Actor]:
        return filter_actors(qs, values, today=timezone.localdate())

    @list_schema("actors", rs.ActorSerializer, ACTOR_LIST_PARAMS, "Actors in the registry")
    def get(self, request: Request) -> Response:
        return super().get(request)


ACTOR_DETAIL_PARAMS = [AS_OF, fields_param(rs.ActorDetailSerializer)]


def _relation_dict(relation: ActorRelation, *, current: bool) -> dict[str, Any]:
    return {
        "predicate": relation.predicate,
        "direction": "outgoing" if relation.outgoing else "incoming",
        "other": rs.actor_ref(relation.other),
        "position_title": relation.position_title,
        "start": relation.start_iso or None,
        "start_precision": relation.start_precision,
        "end": relation.end_iso or None,
        "end_precision": relation.end_precision,
        "current": current,
        "source_note": relation.source_note,
    }


def actor_extras(
    actor: Actor, *, as_of: dt.date | None, fields, partner: Partner, request: Request
) -> Attached:
    """Aliases, relations (as of a day, or all), the newest events and articles: one query each,
    only if asked; `events_url` links the events list to the rest of its events."""
    extras = Attached(as_of=as_of, aliases=[], relations=[], events=[], articles=[], events_url=None)
    if wants(fields, "aliases"):
        extras.aliases = _aliases(actor.aliases.order_by("kind", "text"))
    if wants(fields, "relations"):
        if as_of is not None:
            # Only what may hold on that day; each of them is current on it.
            relations = registry.relations_as_of(actor, as_of)
        else:
            # Every relation, each marked with whether it holds today.
            relations = registry.actor_relations(actor, on=timezone.localdate())
        extras.relations = [_relation_dict(r, current=r.holds) for r in relations]
    if wants(fields, "events"):
        rows = registry.newest_participations(actor, limit=rs.EMBEDDED_PER_RECORD)
        extras.events = [rs.participation_row(row) for row in rows]
    if wants(fields, "events_url"):
        extras.events_url = absolute_url(f"{reverse('api:event-list')}?participant={actor.pk}")
    if wants(fields, "articles"):
        extras.articles = tagged_articles(partner, actor=actor)
    return extras


def survivor_redirect(request: Request, actor: Actor) -> HttpResponsePermanentRedirect | None:
    """A merged-away id answers 301 to its public survivor (the registry's one rule), else None."""
    survivor = registry.merged_survivor(actor)
    if survivor is None:
        return None
    location = reverse("api:actor-detail", kwargs={"pk": survivor.pk})
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(location + (f"?{query}" if query else ""))


class ActorDetailView(PartnerAPIView):
    """One actor with its aliases, relations (as of a day), events and the articles tagging it."""

    @detail_schema("actors", rs.ActorDetailSerializer, ACTOR_DETAIL_PARAMS, "One actor", redirects=True)
    def get(self, request: Request, pk: int) -> Response | HttpResponsePermanentRedirect:
        values = self.query(ACTOR_DETAIL_PARAMS)
        actor = Actor.objects.filter(pk=pk).first()
        if actor is None:
            raise Http404
        if not actor.is_public:
            redirect = survivor_redirect(request, actor)
            if redirect is None:
                raise Http404
            return redirect
        fields = values.get(FIELDS_PARAM)
        actor.api = actor_extras(
            actor, as_of=values.get("as_of"), fields=fields, partner=request.user, request=request
        )
        context = {"request": request, FIELDS_PARAM: fields}
        return Response(rs.ActorDetailSerializer(actor, context=context).data)


# ---------------------------------------------------------------------------- events


EVENT_FORMAT = Param(
    "format",
    parse_choice(["json", "csv"]),
    "`csv`: the page as CSV, one row per event in the researchers' export shape (columns in "
    "docs/extraction.md; `Link` header for the next page; `fields` does not apply). Default `json`.",
    enum=["json", "csv"],
)
EVENT_LIST_PARAMS = [*EVENT_FILTER_PARAMS, fields_param(rs.EventSerializer), EVENT_FORMAT, *PAGE_PARAMS]


class EventListView(RegistryListView):
    """Approved events, in registry order (by id)."""

    serializer = rs.EventSerializer
    list_params = EVENT_LIST_PARAMS
    ordering = EVENT_ORDERING

    def validator_state(self, partner: Partner) -> tuple[int, dt.datetime | None, int]:
        # From a statement compiled once per process (the base view's query, rebuilt with its
        # sections subquery, cost ~27 ms a request).
        seq, modified, head = change_log.validator_state(
            partner_id=partner.pk, section_ids=entitled_section_ids(partner)
        )
        return seq, modified, head.seq

    def base_queryset(self) -> QuerySet[Event]:
        return registry.public_events().select_related("place")

    def apply_filters(self, qs: QuerySet[Event], values: dict[str, Any]) -> QuerySet[Event]:
        return filter_events(qs, values)

    @extend_schema(
        operation_id="events_list",
        summary="Events in the registry",
        parameters=[param.openapi() for param in EVENT_LIST_PARAMS],
        responses={
            (200, "application/json"): OpenApiResponse(
                paginated(rs.EventSerializer), description="A page of events."
            ),
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="With `format=csv`: the page as CSV, one row per event."
            ),
            **problem_responses(400, 401, 403, 429),
        },
        tags=["events"],
    )
    def get(self, request: Request) -> Response:
        values = self.query(self.list_params)
        if values.get("format") != "csv":
            return self.json_page(request, values)
        qs = self.apply_filters(self.base_queryset(), values)
        page = self.page(exports.export_queryset(qs), ordering=self.ordering, values=values)
        records = exports.event_records(page.items, articles=partner_articles(request.user))
        request.accepted_renderer, request.accepted_media_type = (
            EventCSVRenderer(),
            EventCSVRenderer.media_type,
        )
        links = [
            f'<{url}>; rel="{rel}"' for rel, url in (("next", page.next), ("prev", page.previous)) if url
        ]
        headers = {"Link": ", ".join(links)} if links else None
        return Response(records, headers=headers, content_type="text/csv; charset=utf-8")

    def json_page(self, request: Request, values: dict[str, Any]) -> Response:
        """The page as .values() rows with the place's public rule a column, built as plain dicts
        (rs.event_row: the same JSON as rs.EventSerializer)."""
        qs = self.apply_filters(registry.public_events(), values).annotate(
            place_public=ExpressionWrapper(registry.at_public_place(), output_field=BooleanField())
        )
        page = self.page(
            qs.values(*rs.EVENT_ROW_FIELDS, "place_public"), ordering=self.ordering, values=values
        )
        wanted = values.get(FIELDS_PARAM)
        results = [
            rs.event_row(row, place_public=bool(row["place_public"]), wanted=wanted) for row in page.items
        ]
        return Response({"next": page.next, "previous": page.previous, "results": results})


EVENT_DETAIL_PARAMS = [fields_param(rs.EventDetailSerializer)]


def event_extras(event: Event, *, fields, partner: Partner, request: Request) -> Attached:
    extras = Attached(participants=[], date_claims=[], disputed=False, parent=None, articles=[])
    if wants(fields, "participants"):
        extras.participants = [
            {"actor": rs.actor_ref(p.actor), "role": p.role, "note": p.note}
            for p in registry.event_participants(event)
        ]
    if wants(fields, "date_claims", "disputed_date"):
        claims = list(event.date_claims.all())
        extras.date_claims = [
            {
                "date": c.iso,
                "precision": c.precision,
                "source": c.source,
                "source_url": c.source_url,
                "note": c.note,
            }
            for c in claims
        ]
        extras.disputed = registry.is_date_disputed(event, claims)
    if wants(fields, "parent") and event.parent_id:
        parent = registry.public_series(event)
        extras.parent = rs.event_ref(parent) if parent is not None else None
    if wants(fields, "articles"):
        extras.articles = tagged_articles(partner, event=event)
    return extras


class EventDetailView(PartnerAPIView):
    """One event with participants and roles, date claims with their sources, source articles."""

    @detail_schema("events", rs.EventDetailSerializer, EVENT_DETAIL_PARAMS, "One event")
    def get(self, request: Request, pk: int) -> Response:
        values = self.query(EVENT_DETAIL_PARAMS)
        event = registry.public_events().select_related("place").filter(pk=pk).first()
        if event is None:
            raise Http404
        fields = values.get(FIELDS_PARAM)
        event.api = event_extras(event, fields=fields, partner=request.user, request=request)
        context = {"request": request, FIELDS_PARAM: fields}
        return Response(rs.EventDetailSerializer(event, context=context).data)


# ---------------------------------------------------------------------------- places


PLACE_LIST_PARAMS = [*PLACE_FILTER_PARAMS, fields_param(rs.PlaceSerializer), *PAGE_PARAMS]


class PlaceListView(RegistryListView):
    """Approved places, by name."""

    serializer = rs.PlaceSerializer
    list_params = PLACE_LIST_PARAMS
    ordering = PLACE_ORDERING

    def base_queryset(self) -> QuerySet[Place]:
        return registry.public_places().select_related("parent")

    def apply_filters(self, qs: QuerySet[Place], values: dict[str, Any]) -> QuerySet[Place]:
        return filter_places(qs, values)

    @list_schema("places", rs.PlaceSerializer, PLACE_LIST_PARAMS, "Places in the registry")
    def get(self, request: Request) -> Response:
        return super().get(request)


PLACE_DETAIL_PARAMS = [fields_param(rs.PlaceDetailSerializer)]


class PlaceDetailView(PartnerAPIView):
    """One place with its aliases."""

    @detail_schema("places", rs.PlaceDetailSerializer, PLACE_DETAIL_PARAMS, "One place")
    def get(self, request: Request, pk: int) -> Response:
        values = self.query(PLACE_DETAIL_PARAMS)
        place = registry.public_places().select_related("parent").filter(pk=pk).first()
        if place is None:
            raise Http404
        fields = values.get(FIELDS_PARAM)
        place.api = Attached(
            aliases=_aliases(place.aliases.order_by("kind", "text")) if wants(fields, "aliases") else []
        )
        context = {"request": request, FIELDS_PARAM: fields}
        return Response(rs.PlaceDetailSerializer(place, context=context).data)
