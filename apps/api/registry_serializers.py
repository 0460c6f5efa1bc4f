"""JSON for the registry endpoints (actors, events, places), documented field by field.

Detail serializers read what `apps.api.registry_views` loaded onto the record as `record.api`
(aliases, relations, participants, claims, articles) in a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from apps.api.fields import SelectableFieldsMixin
from apps.api.urns import urn
from apps.core.public_urls import absolute_url
from apps.registry.dates import iso_partial
from apps.registry.models import Actor, Event, Place

# How many events and articles an actor's or event's detail embeds: the newest ones (a popular
# actor has 17,000 participations in the 100k corpus); the lists linked from it have the rest.
EMBEDDED_PER_RECORD = 20


class _PublicUrlMixin:
    def get_url(self, record: Any) -> str:
        # The public site's address from PUBLIC_BASE_URL, never the request's host.
        return absolute_url(record.get_absolute_url())


class ActorRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uri = serializers.CharField(help_text="urn:newsdesk:actor:<id>.")
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField(
        help_text="person, organization, state, alliance, armed_group, military_unit, media_outlet or other."
    )


class PlaceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uri = serializers.CharField(help_text="urn:newsdesk:place:<id>.")
    slug = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField(allow_null=True, help_text="ISO 3166-1 alpha-2, if any.")


class EventRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uri = serializers.CharField(help_text="urn:newsdesk:event:<id>.")
    slug = serializers.CharField()
    title = serializers.CharField()
    type = serializers.CharField(help_text="Event type (summit, visit, troop_withdrawal, ...).")
    start = serializers.CharField(allow_null=True, help_text="Partial ISO date: 2023, 2023-09 or 2023-09-16.")


class ArticleRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uri = serializers.CharField(help_text="urn:newsdesk:article:<id>; fetch it at /api/v1/articles/<id>/.")
    title = serializers.CharField()
    url = serializers.URLField()
    published_at = serializers.DateTimeField()


class AliasSerializer(serializers.Serializer):
    text = serializers.CharField()
    language = serializers.CharField(help_text="BCP 47 code, or empty for any language.")
    kind = serializers.CharField(
        help_text="name, acronym, former_name, spelling_variant, demonym or metonym."
    )


class RelationSerializer(serializers.Serializer):
    predicate = serializers.CharField(help_text="member_of, holds_position, leads, part_of, allied_with, ...")
    direction = serializers.ChoiceField(
        choices=["outgoing", "incoming"],
        help_text="outgoing: this actor is the subject (Mali member_of AES); incoming: it is the object.",
    )
    other = ActorRefSerializer(help_text="The actor at the other end of the relation.")
    position_title = serializers.CharField(help_text='For holds_position/leads, e.g. "Foreign Minister".')
    start = serializers.CharField(
        allow_null=True, help_text="Partial ISO date, or null: since before our records."
    )
    start_precision = serializers.CharField()
    end = serializers.CharField(allow_null=True, help_text="Partial ISO date, or null: still holds.")
    end_precision = serializers.CharField()
    current = serializers.BooleanField(help_text="Holds on the as_of date (today when as_of is not given).")
    source_note = serializers.CharField()


class ParticipationSerializer(serializers.Serializer):
    event = EventRefSerializer()
    role = serializers.CharField(help_text="host, initiator, mediator, attendee, member or target.")


class ActorSerializer(SelectableFieldsMixin, _PublicUrlMixin, serializers.ModelSerializer):
    kind = serializers.CharField(
        help_text="person, organization, state, alliance, armed_group, military_unit, media_outlet or other."
    )
    uri = serializers.SerializerMethodField(help_text="Stable identifier: urn:newsdesk:actor:<id>.")
    url = serializers.SerializerMethodField(help_text="The actor's public page.")
    country = serializers.SerializerMethodField(help_text="ISO 3166-1 alpha-2, or null.")
    wikidata_qid = serializers.SerializerMethodField(help_text="Wikidata item id (Q...), or null.")

    class Meta:
        model = Actor
        fields = [
            "id",
            "uri",
            "slug",
            "name",
            "kind",
            "country",
            "wikidata_qid",
            "description",
            "url",
            "updated_at",
        ]

    def get_uri(self, actor: Actor) -> str:
        return urn("actor", actor.pk)

    def get_country(self, actor: Actor) -> str | None:
        return actor.country or None

    def get_wikidata_qid(self, actor: Actor) -> str | None:
        return actor.wikidata_qid or None


class ActorDetailSerializer(ActorSerializer):
    as_of = serializers.DateField(
        source="api.as_of", allow_null=True, help_text="The as_of date the relations were read for, or null."
    )
    aliases = AliasSerializer(source="api.aliases", many=True)
    relations = RelationSerializer(
        source="api.relations",
        many=True,
        help_text="With as_of: only relations that may hold on that day; without: all, `current` = holds today.",
    )
    events = ParticipationSerializer(
        source="api.events",
        many=True,
        help_text=(
            f"Its newest participations in events, with the role (at most {EMBEDDED_PER_RECORD}): latest "
            "event start first (undated events first), then the newest event; all of its events are at `events_url`."
        ),
    )
    events_url = serializers.URLField(
        source="api.events_url",
        help_text="The events list filtered to this actor (/api/v1/events/?participant=<id>), by id, paged.",
    )
    articles = ArticleRefSerializer(
        source="api.articles",
        many=True,
        help_text=(
            f"The newest visible articles tagged with the actor (at most {EMBEDDED_PER_RECORD}); "
            "page with /articles/?actor=<id>."
        ),
    )

    class Meta(ActorSerializer.Meta):
        fields = [
            *ActorSerializer.Meta.fields,
            "as_of",
            "aliases",
            "relations",
            "events",
            "events_url",
            "articles",
        ]


class PlaceSerializer(SelectableFieldsMixin, _PublicUrlMixin, serializers.ModelSerializer):
    kind = serializers.CharField(help_text="country, region, city or site.")
    uri = serializers.SerializerMethodField(help_text="Stable identifier: urn:newsdesk:place:<id>.")
    url = serializers.SerializerMethodField(help_text="The place's public page.")
    country = serializers.SerializerMethodField(help_text="ISO 3166-1 alpha-2, or null.")
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    # Declared, not derived: a model integer field's bounds depend on the database backend, and the
    # committed OpenAPI document must be the same on SQLite and PostgreSQL.
    geonames_id = serializers.IntegerField(allow_null=True, help_text="GeoNames id, if known.")
    parent = serializers.SerializerMethodField(help_text="The enclosing place (a city's country), or null.")

    class Meta:
        model = Place
        fields = [
            "id",
            "uri",
            "slug",
            "name",
            "kind",
            "country",
            "latitude",
            "longitude",
            "geonames_id",
            "parent",
            "url",
        ]

    def get_uri(self, place: Place) -> str:
        return urn("place", place.pk)

    def get_country(self, place: Place) -> str | None:
        return place.country or None

    def get_parent(self, place: Place) -> dict | None:
        parent = place.parent if place.parent_id else None
        return place_ref(parent) if parent is not None and parent.is_public else None


class PlaceDetailSerializer(PlaceSerializer):
    aliases = AliasSerializer(source="api.aliases", many=True)

    class Meta(PlaceSerializer.Meta):
        fields = [*PlaceSerializer.Meta.fields, "aliases"]


class ParticipantSerializer(serializers.Serializer):
    actor = ActorRefSerializer()
    role = serializers.CharField(help_text="host, initiator, mediator, attendee, member or target.")
    note = serializers.CharField()


class DateClaimSerializer(serializers.Serializer):
    date = serializers.CharField(help_text="Partial ISO date this source gives.")
    precision = serializers.CharField()
    source = serializers.CharField(help_text="Who reports this date.")
    source_url = serializers.CharField()
    note = serializers.CharField()


class EventSerializer(SelectableFieldsMixin, _PublicUrlMixin, serializers.ModelSerializer):
    uri = serializers.SerializerMethodField(help_text="Stable identifier: urn:newsdesk:event:<id>.")
    url = serializers.SerializerMethodField(help_text="The event's public page.")
    type = serializers.CharField(
        source="event_type", help_text="Event type (summit, visit, troop_withdrawal, ...)."
    )
    status = serializers.CharField(help_text="planned, occurred, cancelled or disputed.")
    start_precision = serializers.CharField(help_text="year, month or day.")
    end_precision = serializers.CharField(help_text="year, month or day.")
    start = serializers.SerializerMethodField(
        help_text="Partial ISO date: 2023, 2023-09 or 2023-09-16; or null."
    )
    end = serializers.SerializerMethodField(help_text="Partial ISO date, or null.")
    place = serializers.SerializerMethodField(help_text="Where it happened, or null.")

    class Meta:
        model = Event
        fields = [
            "id", "uri", "slug", "title", "type", "status", "start", "start_precision", "end",
            "end_precision", "place", "summary", "url", "updated_at",
        ]  # fmt: skip

    def get_uri(self, event: Event) -> str:
        return urn("event", event.pk)

    def get_start(self, event: Event) -> str | None:
        return event.start_iso or None

    def get_end(self, event: Event) -> str | None:
        return event.end_iso or None

    def get_place(self, event: Event) -> dict | None:
        place = event.place if event.place_id else None
        return place_ref(place) if place is not None and place.is_public else None


class EventDetailSerializer(EventSerializer):
    participants = ParticipantSerializer(
        source="api.participants", many=True, help_text="Public actors and roles."
    )
    date_claims = DateClaimSerializer(
        source="api.date_claims", many=True, help_text="Dates sources give, kept when they disagree."
    )
    disputed_date = serializers.BooleanField(
        source="api.disputed", help_text="True when sources disagree on the date."
    )
    sources = serializers.ListField(child=serializers.CharField(), source="source_list")
    parent = EventRefSerializer(source="api.parent", allow_null=True, help_text="The series it belongs to.")
    articles = ArticleRefSerializer(
        source="api.articles",
        many=True,
        help_text=f"Source articles: the newest visible ones that report it (at most {EMBEDDED_PER_RECORD}).",
    )

    class Meta(EventSerializer.Meta):
        fields = [
            *EventSerializer.Meta.fields,
            "participants",
            "date_claims",
            "disputed_date",
            "sources",
            "parent",
            "articles",
        ]


def actor_ref(actor: Actor) -> dict[str, Any]:
    return {
        "id": actor.pk,
        "uri": urn("actor", actor.pk),
        "slug": actor.slug,
        "name": actor.name,
        "kind": actor.kind,
    }


def place_ref(place: Place) -> dict[str, Any]:
    return {
        "id": place.pk,
        "uri": urn("place", place.pk),
        "slug": place.slug,
        "name": place.name,
        "country": place.country or None,
    }


def _event_ref(pk: int, slug: str, title: str, event_type: str, start: str) -> dict[str, Any]:
    return {
        "id": pk,
        "uri": urn("event", pk),
        "slug": slug,
        "title": title,
        "type": event_type,
        "start": start or None,
    }


def event_ref(event: Event) -> dict[str, Any]:
    return _event_ref(event.pk, event.slug, event.title, event.event_type, event.start_iso)


def participation_row(row: dict[str, Any]) -> dict[str, Any]:
    """One of registry.newest_participations' rows as ParticipationSerializer renders it."""
    start = iso_partial(row["event__start"], row["event__start_precision"])
    event = _event_ref(
        row["event_id"], row["event__slug"], row["event__title"], row["event__event_type"], start
    )
    return {"event": event, "role": row["role"]}


# The events list's rows, built from a .values() page (registry_views.EventListView): the same
# JSON as EventSerializer (which stays for the schema and the detail), without DRF's per-field
# machinery, which cost ~12 ms of a 20-event page on the 100k corpus (docs/adr/0016).
EVENT_ROW_FIELDS = (
    "id", "slug", "title", "event_type", "status", "start", "start_precision", "end", "end_precision",
    "summary", "updated_at", "place_id", "place__slug", "place__name", "place__country",
)  # fmt: skip
_INSTANT = serializers.DateTimeField()


def event_row(row: dict[str, Any], *, place_public: bool, wanted: Any = None) -> dict[str, Any]:
    """One event of the list as EventSerializer renders it (`wanted`: the `fields` selection)."""
    place = None
    if row["place_id"] is not None and place_public:
        place = {
            "id": row["place_id"],
            "uri": urn("place", row["place_id"]),
            "slug": row["place__slug"],
            "name": row["place__name"],
            "country": row["place__country"] or None,
        }
    data = {
        "id": row["id"],
        "uri": urn("event", row["id"]),
        "slug": row["slug"],
        "title": row["title"],
        "type": row["event_type"],
        "status": row["status"],
        "start": iso_partial(row["start"], row["start_precision"]) or None,
        "start_precision": row["start_precision"],
        "end": iso_partial(row["end"], row["end_precision"]) or None,
        "end_precision": row["end_precision"],
        "place": place,
        "summary": row["summary"],
        "url": absolute_url(reverse("registry:event_detail", kwargs={"slug": row["slug"]})),
        "updated_at": _INSTANT.to_representation(row["updated_at"]),
    }
    if wanted is None:
        return data
    return {name: value for name, value in data.items() if name in wanted}
