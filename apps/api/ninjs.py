"""IPTC ninjs 2.x rendition of an article (`Accept: application/vnd.iptc.ninjs+json` or `?format=ninjs`).

Built from IPTC's ninjs 2.1 JSON schema (the copy in apps/api/schemas/ holds its licence note):

* `uri` is the only required property: our stable urn, never the (movable) page URL.
* people / organisations / places / events entries allow only name, rel, uri, literal (and a few
  contact or geo properties we do not send): no relevance or anything else there.
* `subjects` is the only place a relevance may go: an integer from 0 to 100. So every tag is also a
  subject, carrying our relevance (0-1) scaled to 0-100.
* Corrections are for readers: `descriptions` with role "correction". `ednote` is meant for the
  receiving newsroom's staff, so we do not use it for them.
"""

from __future__ import annotations

from typing import Any

from django.utils.cache import patch_vary_headers
from rest_framework.request import Request
from rest_framework.response import Response

from apps.api.exceptions import InvalidParameters
from apps.api.params import Param, parse_choice
from apps.api.renderers import FastJSONRenderer
from apps.api.urns import urn
from apps.core.public_urls import page_url
from apps.registry.models import ActorKind

NINJS_MEDIA_TYPE = "application/vnd.iptc.ninjs+json"
NINJS_VERSION = "2.1"
NINJS_SCHEMA = "http://www.iptc.org/std/ninjs/ninjs-schema_2.1.json"
CORRECTION_ROLE = "correction"

# Our tag roles as ninjs `rel` values.
TAG_REL = {"subject": "subject", "mentioned": "mentioned"}


class NinjsRenderer(FastJSONRenderer):
    """JSON with the ninjs media type; selected by Accept or by `?format=ninjs`."""

    media_type = NINJS_MEDIA_TYPE
    format = "ninjs"


FORMATS = ["json", "ninjs"]
FORMAT_PARAM = Param(
    "format",
    parse_choice(FORMATS),
    "json (default) or ninjs (IPTC ninjs 2.1, as with `Accept: application/vnd.iptc.ninjs+json`).",
    enum=FORMATS,
)
# The article detail view's renderers: JSON first, so */* and unknown Accept values get JSON.
RENDERERS = [FastJSONRenderer, NinjsRenderer]


def wants_ninjs(request: Any, values: dict[str, Any]) -> bool:
    """`?format=ninjs` wins; otherwise the renderer DRF negotiated from Accept."""
    if values.get("format") is not None:
        return values["format"] == "ninjs"
    renderer = getattr(request, "accepted_renderer", None)
    return isinstance(renderer, NinjsRenderer)


def _relevance(value: float) -> int:
    return max(0, min(100, round(value * 100)))


def _entry(tag: dict[str, Any]) -> dict[str, str]:
    """A people/organisations/places/events entry: exactly the properties ninjs allows there."""
    return {"name": tag["name"], "uri": tag["uri"], "rel": TAG_REL.get(tag["role"], tag["role"])}


def _words(text: str) -> int:
    return len(text.split())


def article_ninjs(article: Any, *, request: Any) -> dict[str, Any]:
    """The ninjs object for an article with `article.api` loaded (apps.api.selectors.attach_representations)."""
    rep = article.api
    item: dict[str, Any] = {
        "uri": urn("article", article.pk),
        "standard": {"name": "ninjs", "version": NINJS_VERSION, "schema": NINJS_SCHEMA},
        "type": "text",
        "representationtype": "full",
        "profile": f"newsdesk-{article.kind}",
        "version": str(article.live_revision_id or ""),
        "firstcreated": article.published_at.isoformat(),
        "versioncreated": (article.updated_at or article.published_at).isoformat(),
        "pubstatus": "usable",
        "language": article.language,
        "slugline": article.slug,
        "headlines": [{"role": "main", "value": article.title}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": rep.body_html,
                "charcount": len(rep.body_text),
                "wordcount": _words(rep.body_text),
            },
            {
                "role": "main",
                "contenttype": "text/plain",
                "value": rep.body_text,
                "charcount": len(rep.body_text),
                "wordcount": _words(rep.body_text),
            },
        ],
        "genres": [{"literal": article.kind, "name": article.get_kind_display()}],
    }
    if article.expire_at:
        item["expires"] = article.expire_at.isoformat()
    url = page_url(article)
    if url:
        item["altids"] = [{"role": "url", "value": url}]
    descriptions = []
    if article.standfirst:
        descriptions.append({"role": "summary", "contenttype": "text/plain", "value": article.standfirst})
    for correction in rep.corrections:
        descriptions.append(
            {
                "role": CORRECTION_ROLE,
                "contenttype": "text/plain",
                "value": f"{correction['date'].isoformat()}: {correction['text']}",
            }
        )
    if descriptions:
        item["descriptions"] = descriptions
    if rep.bylines:
        item["by"] = ", ".join(byline["name"] for byline in rep.bylines)
    if rep.dateline:
        item["located"] = rep.dateline["name"]
    if article.source_attribution:
        item["infosources"] = [{"name": article.source_attribution}]

    people, organisations, places, events, subjects = [], [], [], [], []
    for tag in rep.tags:
        if tag["type"] == "actor":
            (people if tag["kind"] == ActorKind.PERSON else organisations).append(_entry(tag))
        elif tag["type"] == "place":
            places.append(_entry(tag))
        elif tag["type"] == "event":
            events.append(_entry(tag))
        subjects.append({**_entry(tag), "literal": tag["slug"], "relevance": _relevance(tag["relevance"])})
    for key, values in (
        ("people", people),
        ("organisations", organisations),
        ("places", places),
        ("events", events),
        ("subjects", subjects),
    ):
        if values:
            item[key] = values

    associations = [
        {
            "name": image["role"],
            "uri": urn("image", image["id"]),
            "type": "picture",
            "descriptions": [{"role": "alt", "value": image["alt_text"]}]
            + ([{"role": "caption", "value": image["caption"]}] if image["caption"] else []),
            **({"by": image["credit"]} if image["credit"] else {}),
            "renditions": [
                {
                    "name": "max1600",
                    "href": image["url"],
                    "width": image["width"],
                    "height": image["height"],
                }
            ],
        }
        for image in rep.images
    ]
    if associations:
        item["associations"] = associations
    return item


def article_response(request: Request, article: Any, values: dict[str, Any], json_data: Any) -> Response:
    """The article as JSON (`json_data()`) or ninjs, by `?format=` or Accept; caches vary on both."""
    if wants_ninjs(request, values):
        if values.get("fields"):
            raise InvalidParameters(
                [{"name": "fields", "reason": "'fields' applies to the JSON representation."}]
            )
        request.accepted_renderer, request.accepted_media_type = NinjsRenderer(), NINJS_MEDIA_TYPE
        response = Response(article_ninjs(article, request=request))
    else:
        if isinstance(getattr(request, "accepted_renderer", None), NinjsRenderer):  # ?format=json wins
            request.accepted_renderer, request.accepted_media_type = (
                FastJSONRenderer(),
                FastJSONRenderer.media_type,
            )
        response = Response(json_data())
    patch_vary_headers(response, ("Accept", "Authorization"))
    return response
