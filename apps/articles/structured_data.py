"""JSON-LD `NewsArticle` and OpenGraph for the article page.

The JSON-LD goes out as a `<script type="application/ld+json">` data block: a browser never
executes a script whose type is not JavaScript, so CSP `script-src 'self'` does not apply
to it and no nonce or hash is needed (docs/adr/0005-draft-safe-tags-and-visibility.md).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from apps.articles.models import ArticleKind, ArticlePage, TagRole
from apps.core.models import DeskSettings
from apps.core.public_urls import absolute_url, page_url

# Inside <script>, "</script>" or "<!--" would end or confuse the block: escape <, > and &.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

_SCHEMA_TYPE = {
    ArticleKind.NEWS: "NewsArticle",
    ArticleKind.ANALYSIS: "AnalysisNewsArticle",
    ArticleKind.OPINION: "OpinionNewsArticle",
    ArticleKind.EXPLAINER: "BackgroundNewsArticle",
}


def _hero_image_url(page: ArticlePage, request: HttpRequest | None) -> str | None:
    if page.hero_image is None:
        return None
    return absolute_url(page.hero_image.get_rendition("fill-1200x630").url)


def _thing(tag: Any, schema_type: str) -> dict:
    data: dict[str, Any] = {"@type": schema_type, "name": tag.name, "url": absolute_url(tag.url)}
    if tag.wikidata_qid:
        data["sameAs"] = f"https://www.wikidata.org/wiki/{tag.wikidata_qid}"
    return data


def news_article_data(
    page: ArticlePage,
    *,
    request: HttpRequest | None = None,
    bylines: list | None = None,
    actor_tags: list | None = None,
    event_tags: list | None = None,
    place_tags: list | None = None,
    **_: Any,
) -> dict:
    publisher_name = DeskSettings.for_request(request).publisher_name if request is not None else "Newsdesk"
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": _SCHEMA_TYPE.get(page.kind, "NewsArticle"),
        "headline": page.title[:110],
        "description": page.standfirst,
        "inLanguage": page.language,
        "url": page_url(page),
        "mainEntityOfPage": page_url(page),
        "datePublished": page.published_at.isoformat() if page.published_at else None,
        "dateModified": page.modified_at.isoformat() if page.modified_at else None,
        "author": [{"@type": "Person", "name": byline.author.name} for byline in bylines or []],
        "publisher": {"@type": "NewsMediaOrganization", "name": publisher_name},
        "articleSection": page.section.title if page.section_id else None,
    }
    image = _hero_image_url(page, request)
    if image:
        data["image"] = [image]
    about, mentions = [], []
    for tags, schema_type in ((actor_tags, "Thing"), (event_tags, "Event"), (place_tags, "Place")):
        for tag in tags or []:  # selectors.PublicTag
            kind = schema_type
            if schema_type == "Thing":
                kind = "Person" if tag.actor_kind == "person" else "Organization"
            (about if tag.role == TagRole.SUBJECT else mentions).append(_thing(tag, kind))
    if about:
        data["about"] = about
    if mentions:
        data["mentions"] = mentions
    if page.dateline_id:
        data["contentLocation"] = {"@type": "Place", "name": page.dateline.name}
    return {key: value for key, value in data.items() if value not in (None, "", [])}


def news_article_json_ld(
    page: ArticlePage, *, request: HttpRequest | None = None, **context: Any
) -> SafeString:
    data = news_article_data(page, request=request, **context)
    return mark_safe(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES))  # noqa: S308


def open_graph(page: ArticlePage, *, request: HttpRequest | None = None) -> dict[str, str]:
    tags = {
        "og:type": "article",
        "og:title": page.seo_title or page.title,
        "og:description": page.search_description or page.standfirst,
        "og:url": page_url(page) or "",
        "og:locale": "fr_FR" if page.language == "fr" else "en_GB",
    }
    image = _hero_image_url(page, request)
    if image:
        tags["og:image"] = image
    if page.published_at:
        tags["article:published_time"] = page.published_at.isoformat()
    if page.modified_at:
        tags["article:modified_time"] = page.modified_at.isoformat()
    if page.section_id:
        tags["article:section"] = page.section.title
    return tags
