"""Filters of the registry endpoints: parameters declared once (validation + OpenAPI), applied here.

Like the articles filters, a value that names nothing is a 400 naming the parameter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from apps.api.exceptions import InvalidParameters
from apps.api.filters import (
    TERMS_HELP,
    _choices,
    _country_terms,
    _resolve_by_id_or_slug,
    combine_terms,
    resolve_actors,
)
from apps.api.pagination import Ordering
from apps.api.params import Param, Terms, parse_day, parse_terms
from apps.registry.models import (
    Actor,
    ActorKind,
    Event,
    EventParticipant,
    EventStatus,
    EventType,
    Place,
    PlaceKind,
)
from apps.registry.selectors import at_public_place, members_of, public_places

ACTOR_ORDERING = Ordering("name", (("name", False), ("id", False)))
PLACE_ORDERING = Ordering("name", (("name", False), ("id", False)))
# Events page by id: `start` can be unknown (null), which a keyset cannot place.
EVENT_ORDERING = Ordering("id", (("id", False),))


AS_OF_HELP = (
    "A day (YYYY-MM-DD). Relations that may hold on that day: started on or before it (a partial start "
    "counts from the first day of its period) and not ended before it (a partial end counts to its last day)."
)
AS_OF = Param("as_of", parse_day, AS_OF_HELP)

ACTOR_FILTER_PARAMS = [
    Param("kind", _choices(ActorKind.values), "Actor kind; `a|b` for any of several."),
    Param("country", _country_terms, f"ISO 3166-1 alpha-2 code of the actor's country. {TERMS_HELP}"),
    Param(
        "member_of",
        parse_terms,
        "Members of this group (id, slug or QID) on the `as_of` day (default today). " + TERMS_HELP,
    ),
    AS_OF,
]

EVENT_FILTER_PARAMS = [
    Param("type", _choices(EventType.values), "Event type; `a|b` for any of several."),
    Param(
        "status", _choices(EventStatus.values), "planned, occurred, cancelled or disputed; `a|b` for several."
    ),
    Param(
        "date_from",
        parse_day,
        "Events that may fall on or after this day (YYYY-MM-DD); partial dates count to the end of their period.",
    ),
    Param("date_to", parse_day, "Events that may fall on or before this day (YYYY-MM-DD)."),
    Param(
        "participant",
        parse_terms,
        f"Actor id, slug or QID taking part (a merged-away actor means its survivor). {TERMS_HELP}",
    ),
    Param(
        "place", parse_terms, f"Place id or slug; a country also matches the places inside it. {TERMS_HELP}"
    ),
]

PLACE_FILTER_PARAMS = [
    Param("kind", _choices(PlaceKind.values), "Place kind; `a|b` for any of several."),
    Param("country", _country_terms, f"ISO 3166-1 alpha-2 code. {TERMS_HELP}"),
]


def _renamed(error: InvalidParameters, name: str) -> InvalidParameters:
    return InvalidParameters(
        [
            {"name": name, "reason": item["reason"].replace("'actor'", f"'{name}'")}
            for item in error.invalid_params
        ]
    )


def _actor_ids(name: str, terms: Terms) -> list[int]:
    try:
        return resolve_actors(terms)
    except InvalidParameters as error:
        raise _renamed(error, name) from None


def filter_actors(qs: QuerySet[Actor], values: dict[str, Any], *, today: dt.date) -> QuerySet[Actor]:
    if "kind" in values:
        qs = qs.filter(kind__in=values["kind"].values)
    if "country" in values:
        terms: Terms = values["country"]
        if terms.match_all and len(terms.values) > 1:
            return qs.none()  # an actor has one country
        qs = qs.filter(country__in=terms.values)
    if "member_of" in values:
        terms = values["member_of"]
        on = values.get("as_of", today)
        groups = Actor.objects.filter(pk__in=_actor_ids("member_of", terms)).only("pk")
        member_sets = [members_of(group, on).values("pk") for group in groups]
        if terms.match_all:
            for members in member_sets:
                qs = qs.filter(pk__in=members)
        else:
            either = Q()
            for members in member_sets:
                either |= Q(pk__in=members)
            qs = qs.filter(either)
    elif "as_of" in values:
        raise InvalidParameters(
            [{"name": "as_of", "reason": "'as_of' only applies with 'member_of' on this list."}]
        )
    return qs


def place_ids(terms: Terms) -> list[int]:
    return _resolve_by_id_or_slug("place", public_places(), terms)


def filter_events(qs: QuerySet[Event], values: dict[str, Any]) -> QuerySet[Event]:
    if "type" in values:
        qs = qs.filter(event_type__in=values["type"].values)
    if "status" in values:
        qs = qs.filter(status__in=values["status"].values)
    if "date_from" in values:
        day = values["date_from"]
        # Ends (or, without an end, starts) in a period reaching that day.
        qs = qs.filter(Q(end_upper__gte=day) | Q(end__isnull=True, start_upper__gte=day))
    if "date_to" in values:
        qs = qs.filter(start__lte=values["date_to"])
    if "date_from" in values and "date_to" in values and values["date_from"] > values["date_to"]:
        raise InvalidParameters([{"name": "date_to", "reason": "'date_to' is before 'date_from'."}])
    if "participant" in values:
        terms: Terms = values["participant"]
        ids = _actor_ids("participant", terms)
        taking_part = lambda actors: EventParticipant.objects.filter(actor_id__in=actors).values("event_id")  # noqa: E731
        qs = combine_terms(qs, terms, taking_part, ids)
    if "place" in values:
        terms = values["place"]
        ids = place_ids(terms)
        # Through the event's own place only when that place is public (a country matches its cities).
        where = lambda places: at_public_place() & (Q(place_id__in=places) | Q(place__parent_id__in=places))  # noqa: E731
        if terms.match_all:
            for one in ids:
                qs = qs.filter(where([one]))
        else:
            qs = qs.filter(where(ids))
    return qs


def filter_places(qs: QuerySet[Place], values: dict[str, Any]) -> QuerySet[Place]:
    if "kind" in values:
        qs = qs.filter(kind__in=values["kind"].values)
    if "country" in values:
        terms: Terms = values["country"]
        if terms.match_all and len(terms.values) > 1:
            return qs.none()
        qs = qs.filter(country__in=terms.values)
    return qs
