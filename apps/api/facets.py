"""`facets=` on the articles list: counts of the most frequent values over the whole filtered set.

Cost (docs/api.md, "Facets"): one GROUP BY query per facet asked for, over the filtered set, whatever
the page size; at most FACET_LIMIT values each, most frequent first (ties by name, then id).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from rest_framework import serializers

from apps.api.params import Param, names_pattern, states
from apps.api.urns import urn
from apps.articles.models import ArticleKind, ArticlePage
from apps.articles.selectors import public_actor_tags, public_place_tags

FACETS = ("actor", "place", "section", "kind")
FACET_LIMIT = 20
_KIND_LABELS = dict(ArticleKind.choices)


@states(pattern=names_pattern(FACETS))
def parse_facets(raw: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(part.strip() for part in raw.split(",")))
    if not names or any(not name for name in names):
        raise ValueError("has an empty name; give facet names separated by ','.")
    unknown = [name for name in names if name not in FACETS]
    if unknown:
        raise ValueError(f"unknown facet(s) {', '.join(unknown)}; available: {', '.join(FACETS)}.")
    return names


FACETS_PARAM = Param(
    "facets",
    parse_facets,
    f"Comma-separated facets to count over the whole filtered set: {', '.join(FACETS)}. "
    f"Each gives its {FACET_LIMIT} most frequent values with counts and costs one query.",
)


def _tag_facet(tags: QuerySet, page_ids: QuerySet, key: str, kind: str) -> list[dict[str, Any]]:
    rows = (
        tags.filter(page_id__in=page_ids)
        .values(f"{key}_id", f"{key}__slug", f"{key}__name")
        .annotate(count=Count("page_id", distinct=True))
        .order_by("-count", f"{key}__name", f"{key}_id")[:FACET_LIMIT]
    )
    return [
        {
            "id": row[f"{key}_id"],
            "uri": urn(kind, row[f"{key}_id"]),
            "slug": row[f"{key}__slug"],
            "name": row[f"{key}__name"],
            "count": row["count"],
        }
        for row in rows
    ]


def compute_facets(
    articles: QuerySet[ArticlePage], names: tuple[str, ...]
) -> dict[str, list[dict[str, Any]]]:
    """Counts over `articles` (the filtered set, not the page): one query per facet."""
    page_ids = articles.order_by().values("pk")
    facets: dict[str, list[dict[str, Any]]] = {}
    for name in names:
        if name == "actor":
            facets[name] = _tag_facet(public_actor_tags(), page_ids, "actor", "actor")
        elif name == "place":
            facets[name] = _tag_facet(public_place_tags(), page_ids, "place", "place")
        elif name == "section":
            rows = (
                ArticlePage.objects.filter(pk__in=page_ids)
                .values("section_id", "section__slug", "section__title")
                .annotate(count=Count("pk"))
                .order_by("-count", "section__title", "section_id")[:FACET_LIMIT]
            )
            facets[name] = [
                {
                    "id": row["section_id"],
                    "uri": urn("section", row["section_id"]),
                    "slug": row["section__slug"],
                    "name": row["section__title"],
                    "count": row["count"],
                }
                for row in rows
            ]
        elif name == "kind":
            rows = (
                ArticlePage.objects.filter(pk__in=page_ids)
                .values("kind")
                .annotate(count=Count("pk"))
                .order_by("-count", "kind")[:FACET_LIMIT]
            )
            facets[name] = [
                {
                    "slug": row["kind"],
                    "name": str(_KIND_LABELS.get(row["kind"], row["kind"])),
                    "count": row["count"],
                }
                for row in rows
            ]
    return facets


class FacetValueSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, help_text="actor, place and section facets.")
    uri = serializers.CharField(required=False, help_text="urn:newsdesk:<type>:<id> (not for kind).")
    slug = serializers.CharField(help_text="Use it as the filter value, e.g. actor=<slug>.")
    name = serializers.CharField()
    count = serializers.IntegerField(help_text="Articles in the filtered set with this value.")


class FacetsSerializer(serializers.Serializer):
    actor = FacetValueSerializer(many=True, required=False)
    place = FacetValueSerializer(many=True, required=False)
    section = FacetValueSerializer(many=True, required=False)
    kind = FacetValueSerializer(many=True, required=False)


def with_facets(envelope: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The list envelope plus `facets` (present only when `facets=` was given)."""
    return type(
        envelope.__name__.replace("List", "FacetedList"),
        (envelope,),
        {
            "facets": FacetsSerializer(
                required=False, help_text="Only with `facets=`: counts over the filtered set."
            ),
            "__module__": __name__,
        },
    )
