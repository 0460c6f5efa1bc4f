"""Content negotiation that answers JSON rather than 406 when the client asks for something else
(a browser's text/html, a sloppy Accept header): the API has one representation."""

from __future__ import annotations

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import APISettings


class JSONFallbackNegotiation(DefaultContentNegotiation):
    # `format` is not a parameter of ours (it would be an unknown one, or ninjs' own `format=`):
    # no URL format override here, while Wagtail's admin API keeps DRF's default.
    settings = APISettings({"URL_FORMAT_OVERRIDE": None})

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            return renderers[0], renderers[0].media_type
