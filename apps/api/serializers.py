"""The JSON representations partners receive; documented field by field in the OpenAPI schema."""

from __future__ import annotations

from functools import cache

from rest_framework import serializers

from apps.core.models import SectionPage


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


class SectionSerializer(serializers.ModelSerializer):
    uri = serializers.SerializerMethodField(help_text="Stable identifier: urn:newsdesk:section:<id>.")
    url = serializers.SerializerMethodField(help_text="The section's public page.")

    class Meta:
        model = SectionPage
        fields = ["id", "uri", "slug", "title", "intro", "url"]

    def get_uri(self, section: SectionPage) -> str:
        return f"urn:newsdesk:section:{section.pk}"

    def get_url(self, section: SectionPage) -> str | None:
        return section.get_full_url(self.context.get("request"))


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
