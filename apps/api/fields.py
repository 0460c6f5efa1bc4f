"""`fields=`: a partner names the top-level fields it wants and gets only those.

Unknown names are a 400 naming them (never silently dropped). Trimming happens in the serializer,
before any field is computed, so a method field that is not asked for costs nothing; views can also
ask `wants()` to skip loading what only the dropped fields need.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rest_framework import serializers

from apps.api.params import Param, names_pattern, states

FIELDS_PARAM = "fields"


def parse_fields(allowed: Sequence[str]):
    """A parser for `fields=a,b,c` that accepts only the serializer's own top-level fields."""

    @states(pattern=names_pattern(allowed))
    def parse(raw: str) -> tuple[str, ...]:
        names = tuple(dict.fromkeys(part.strip() for part in raw.split(",")))
        if not names or any(not name for name in names):
            raise ValueError("has an empty name; give field names separated by ','.")
        unknown = [name for name in names if name not in allowed]
        if unknown:
            raise ValueError(f"unknown field(s) {', '.join(unknown)}; available: {', '.join(allowed)}.")
        return names

    return parse


def fields_param(serializer: type[serializers.Serializer]) -> Param:
    allowed = list(serializer().fields)
    return Param(
        FIELDS_PARAM,
        parse_fields(allowed),
        "Comma-separated top-level fields to return (others are left out and not computed). "
        f"Available: {', '.join(allowed)}.",
    )


def wants(fields: Iterable[str] | None, *names: str) -> bool:
    """Whether any of `names` will be in the response (all are when no `fields=` was given)."""
    return fields is None or any(name in fields for name in names)


class SelectableFieldsMixin:
    """Keeps only `context["fields"]` on the top-level item serializer (not on nested ones)."""

    def get_fields(self):  # type: ignore[no-untyped-def]
        fields = super().get_fields()  # type: ignore[misc]
        wanted = self.context.get(FIELDS_PARAM)  # type: ignore[attr-defined]
        parent = self.parent  # type: ignore[attr-defined]
        is_item = parent is None or (isinstance(parent, serializers.ListSerializer) and parent.parent is None)
        if wanted is None or not is_item:
            return fields
        return {name: field for name, field in fields.items() if name in wanted}


# ArticleSerializer fields read from `article.api` (attach_representations): skip loading it
# when none of them is asked for.
ARTICLE_REPRESENTATION_FIELDS = (
    "dateline",
    "bylines",
    "tags",
    "body_html",
    "body_text",
    "images",
    "corrections",
)
