"""CSV for the events list (`format=csv`): the researchers' export shape (apps.extraction.exports),
one row per event, the same page, filters and entitlements as the JSON list."""

from __future__ import annotations

from rest_framework.renderers import BaseRenderer

from apps.extraction.exports import to_csv


class EventCSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        # Errors (problem+json bodies) are dicts without records; they keep their JSON renderer.
        return to_csv(data).encode(self.charset)
