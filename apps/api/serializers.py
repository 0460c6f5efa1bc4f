"""The shapes of the JSON partners receive, for the OpenAPI document, field by field.

Responses themselves are built as dicts in apps/api/selectors.py (article_json, section_json),
thirty times faster than serializing (docs/adr/0013-api-output-as-dicts.md);
tests/api/test_schema.py validates real responses against these declarations."""

from __future__ import annotations

from functools import cache

from rest_framework import serializers

from apps.api.fields import SelectableFieldsMixin
from apps.api.urns import urn
from apps.core.models import SectionPage
from apps.core.public_urls import page_url


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField(
        help_text="A URN naming the kind of problem, e.g. urn:newsdesk:problem:not-found."
    )
    title = serializers.CharField(help_text="Short summary of the kind of problem.")
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong with this request, for a human.")
    instance = serializers.CharField(required=False, help_text="The request path and query.")
    invalid_params = serializers.ListField(
        child=serializers.DictField(child=serializers.CharField()),
        required=False,
        help_text="400 only: each bad parameter as {name, reason}.",
    )


class SectionSerializer(SelectableFieldsMixin, serializers.ModelSerializer):
    uri = serializers.SerializerMethodField(help_text="Stable identifier: urn:newsdesk:section:<id>.")
    url = serializers.SerializerMethodField(help_text="The section's public page.")

    class Meta:
        model = SectionPage
        fields = ["id", "uri", "slug", "title", "intro", "url"]

    def get_uri(self, section: SectionPage) -> str:
        return urn("section", section.pk)

    def get_url(self, section: SectionPage) -> str | None:
        return page_url(section)


@cache
def paginated(item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The list envelope: opaque cursor links (no total count) and the page's items."""
    name = item.__name__.removesuffix("Serializer")
    return type(
        f"Paginated{name}List",
        (serializers.Serializer,),
        {
            "next": serializers.URLField(allow_null=True, help_text="The next page, or null on the last."),
            "previous": serializers.URLField(
                allow_null=True, help_text="The previous page, or null on the first."
            ),
            "results": item(many=True),
            "__module__": __name__,
        },
    )


class SectionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    uri = serializers.SerializerMethodField()
    slug = serializers.CharField()
    title = serializers.CharField()

    def get_uri(self, section: SectionPage) -> str:
        return urn("section", section.pk)


class BylineSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()
    job_title = serializers.CharField()


class CorrectionSerializer(serializers.Serializer):
    date = serializers.DateField()
    text = serializers.CharField()


class TagSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["actor", "event", "place"], help_text="What the tag points at.")
    id = serializers.IntegerField(help_text="The registry record's id (filter with actor=, event=, place=).")
    uri = serializers.CharField(help_text="urn:newsdesk:<type>:<id>.")
    slug = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="Actor kind (person, state, ...), event type or place kind.")
    role = serializers.ChoiceField(choices=["subject", "mentioned"])
    relevance = serializers.FloatField(help_text="0 to 1: how central the record is to the story.")
    country = serializers.CharField(required=False, allow_null=True, help_text="ISO 3166-1 code, if any.")
    wikidata_qid = serializers.CharField(required=False, allow_null=True, help_text="Actors only.")


class ImageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.ChoiceField(choices=["hero", "body"])
    url = serializers.URLField(help_text="A rendition at most 1600 px on each side.")
    width = serializers.IntegerField()
    height = serializers.IntegerField()
    alt_text = serializers.CharField()
    credit = serializers.CharField()
    caption = serializers.CharField()


class PlaceRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class ArticleSerializer(SelectableFieldsMixin, serializers.Serializer):
    """A syndicated article. Needs `article.api` from apps.api.selectors.attach_representations."""

    id = serializers.IntegerField(source="pk")
    uri = serializers.SerializerMethodField(
        help_text="Stable identifier that survives moves: urn:newsdesk:article:<id>."
    )
    url = serializers.SerializerMethodField(
        help_text="The canonical public URL (changes if the article moves)."
    )
    title = serializers.CharField()
    standfirst = serializers.CharField()
    kind = serializers.CharField()
    language = serializers.CharField()
    section = SectionRefSerializer()
    published_at = serializers.DateTimeField(help_text="First publication.")
    updated_at = serializers.DateTimeField(help_text="Last meaningful update (typo fixes leave it alone).")
    revision = serializers.IntegerField(source="live_revision_id", help_text="The published revision's id.")
    dateline = PlaceRefSerializer(source="api.dateline", allow_null=True)
    bylines = BylineSerializer(source="api.bylines", many=True)
    source_attribution = serializers.CharField()
    tags = TagSerializer(
        source="api.tags", many=True, help_text="Confirmed tags of approved registry records."
    )
    body_html = serializers.CharField(source="api.body_html")
    body_text = serializers.CharField(source="api.body_text")
    images = ImageSerializer(source="api.images", many=True, help_text="Syndicable images only.")
    corrections = CorrectionSerializer(source="api.corrections", many=True)

    def get_uri(self, article) -> str:
        return urn("article", article.pk)

    def get_url(self, article) -> str | None:
        return page_url(article)
