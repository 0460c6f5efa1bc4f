"""Reads for the partner API: what a partner may see, and everything an article's representation
needs, loaded for a whole page of articles in a fixed number of queries."""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import django
import wagtail
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    Exists,
    F,
    Field,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Cast
from django.db.models.query import ValuesIterable
from django.utils.html import escape, format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe
from rest_framework.fields import DateTimeField
from wagtail.images.models import Filter
from wagtail.models import Page
from wagtail.rich_text.rewriters import FIND_A_TAG, extract_attrs

from apps.api.urns import urn
from apps.articles.models import ArticleByline, ArticleCorrection, ArticlePage
from apps.articles.selectors import public_actor_tags, public_event_tags, public_place_tags
from apps.core import public_urls, safe_links
from apps.core.compiled import Compiled, compile_statement, once_per_process
from apps.core.models import ImageRights, NewsImage, NewsRendition
from apps.core.public_urls import absolute_url, page_url, site_root_paths, url_for_path
from apps.core.safe_links import drop_unsafe_links, is_safe_href
from apps.core.selectors import publicly_visible_pages
from apps.partners import selectors as partner_selectors
from apps.partners.models import Partner
from apps.registry.models import Place

RENDITION = "max-1600x1600"
_RENDITION_FILTER = Filter(spec=RENDITION)  # parsed once


def partner_articles(
    partner: Partner, *, now: datetime | None = None, section_ids: list[int] | None = None
) -> QuerySet[ArticlePage]:
    """What this partner may see: the one rule, kept in apps.partners.selectors (the change feed
    uses it too)."""
    return partner_selectors.partner_articles(partner, now=now, section_ids=section_ids)


def for_representation(qs: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    return qs.select_related("section", "dateline")


@dataclass(slots=True)
class SectionRef:
    pk: int
    slug: str
    title: str


@dataclass(slots=True)
class DatelineRef:
    pk: int
    slug: str
    name: str
    is_public: bool


# A list page's columns: what article_json, attach_representations and the cursor read, and the
# place's public rule's own fields (Place.public_rule decides, as for an instance).
_DATELINE_RULE = tuple(Place.public_rule.required)
_ROW_COLUMNS = (
    "id", "title", "url_path", "standfirst", "kind", "language", "published_at", "updated_at",
    "live_revision_id", "source_attribution", "hero_image_id", "body",
    "section_id", "section__slug", "section__title",
    "dateline_id", "dateline__slug", "dateline__name", *(f"dateline__{name}" for name in _DATELINE_RULE),
)  # fmt: skip


_COPIED = (
    "title", "standfirst", "kind", "language", "published_at", "updated_at", "live_revision_id",
    "source_attribution", "hero_image_id", "body",
)  # fmt: skip


class ArticleRow:
    """One article of a list page, read as values: the attributes the API reads, named as on
    ArticlePage. Building 21 ArticlePage instances with their sections (ClusterableModels, ~40
    columns each) cost ~5 ms of a list request on the 100k corpus (docs/adr/0016-notes/rows.md)."""

    __slots__ = ("api", "dateline", "pk", "section", "url", *_COPIED)

    def __init__(self, row: dict[str, Any], roots: list) -> None:
        self.pk = row["id"]
        for name in _COPIED:
            setattr(self, name, row[name])
        self.url = url_for_path(row["url_path"], roots=roots)
        self.section = SectionRef(row["section_id"], row["section__slug"], row["section__title"])
        self.dateline = None
        if row["dateline_id"] is not None:
            rule = SimpleNamespace(**{name: row[f"dateline__{name}"] for name in _DATELINE_RULE})
            self.dateline = DatelineRef(
                row["dateline_id"],
                row["dateline__slug"],
                row["dateline__name"],
                Place.public_rule.holds(rule),
            )

    @property
    def page_ptr_id(self) -> int:  # the orderings' tie-breaker
        return self.pk


class _RowIterable(ValuesIterable):
    def __iter__(self):
        roots = site_root_paths()  # once per page, not once per article
        for row in super().__iter__():
            yield ArticleRow(row, roots)


def article_rows(qs: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """`qs` (filtered, not yet ordered or sliced) yielding ArticleRow values instead of pages."""
    rows = qs.values(*_ROW_COLUMNS)
    rows._iterable_class = _RowIterable
    return rows


@dataclass
class Representation:
    """What one article's JSON needs beyond its own row; attached as `article.api`."""

    bylines: list[dict[str, Any]] = field(default_factory=list)
    corrections: list[dict[str, Any]] = field(default_factory=list)
    tags: list[dict[str, Any]] = field(default_factory=list)
    images: list[dict[str, Any]] = field(default_factory=list)
    body_html: str = ""
    body_text: str = ""
    dateline: dict[str, Any] | None = None


def _image_facts(image: NewsImage) -> dict[str, Any]:
    """What the output says about a syndicable image: read once per request, and the only image
    input of a body's HTML (so it goes into the body's cache key: _bodies)."""
    spec = image.clean_filter_for_svg(_RENDITION_FILTER)
    try:
        # The prefetched rendition for the image's focal point, as get_rendition picks it, without
        # get_rendition's write of each rendition to the cache (a Redis round trip per image).
        rendition = image.find_existing_rendition(spec)
    except NewsRendition.DoesNotExist:
        rendition = image.get_rendition(spec)  # never rendered at this size: made once
    return {
        "id": image.pk,
        "url": absolute_url(rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt_text": image.default_alt_text,
        "credit": image.credit,
        "caption": image.caption,
    }


def _image_dict(facts: dict[str, Any], *, role: str, credit: str = "", caption: str = "") -> dict:
    return {
        "id": facts["id"],
        "role": role,
        "url": facts["url"],
        "width": facts["width"],
        "height": facts["height"],
        "alt_text": facts["alt_text"],
        "credit": credit or facts["credit"],
        "caption": caption or facts["caption"],
    }


def _list_items(raw: Any) -> list[str]:
    """A ListBlock's raw items: `{"type": "item", "value": ..., "id": ...}` dicts (Wagtail 2.16+)
    or, in older revisions, the bare values."""
    items = []
    for item in raw if isinstance(raw, list) else []:
        value = item.get("value") if isinstance(item, dict) else item
        if isinstance(value, str) and value.strip():
            items.append(value)
    return items


def _struct(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _block_html(block: dict, images: dict[int, dict[str, Any]], related: dict[int, tuple[str, str]]) -> str:
    """One body block as partner HTML, from its raw (stored JSON) value: the same blocks and
    words the site's templates show, minus what partners may not have."""
    kind, value = block.get("type"), block.get("value")
    if kind == "paragraph":
        return value if isinstance(value, str) else ""  # database HTML: _expand_links resolves links
    if kind == "heading":
        value = _struct(value)
        level = "h3" if value.get("level") == "h3" else "h2"
        return format_html("<{}>{}</{}>", level, value.get("text", ""), level)
    if kind == "quote":
        value = _struct(value)
        lines = escape(value.get("quote", "")).splitlines()
        return format_html(
            "<blockquote><p>{}</p><footer>{}</footer></blockquote>",
            mark_safe("<br>".join(lines)),  # noqa: S308 - each line escaped above
            value.get("attribution", ""),
        )
    if kind == "image":
        value = _struct(value)
        image = images.get(value.get("image"))
        if image is None:  # missing or rights-restricted: never sent to partners
            return ""
        caption = value.get("caption") or image["caption"]
        credit = value.get("credit") or image["credit"]
        figcaption = (
            format_html(
                "<figcaption>{}{}</figcaption>",
                caption,
                format_html(" <small>{}</small>", credit) if credit else "",
            )
            if caption or credit
            else ""
        )
        return format_html(
            '<figure data-image-id="{}"><img src="{}" width="{}" height="{}" alt="{}">{}</figure>',
            image["id"],
            image["url"],
            image["width"],
            image["height"],
            image["alt_text"],
            figcaption,
        )
    if kind == "embed":
        url = value if isinstance(value, str) else ""
        if not url.startswith(("https://", "http://")) or not is_safe_href(url):
            return ""
        return format_html('<p class="embed"><a href="{}">{}</a></p>', url, url)
    if kind == "fact_box":
        value = _struct(value)
        items = format_html_join("", "<li>{}</li>", ((fact,) for fact in _list_items(value.get("facts"))))
        return format_html(
            '<aside class="fact-box"><h3>{}</h3><ul>{}</ul></aside>', value.get("title", ""), items
        )
    if kind == "related_article":
        value = _struct(value)
        target = related.get(value.get("article"))
        if target is None:  # not visible to this partner: leave it out
            return ""
        title, url = target
        return format_html(
            '<aside class="related">{}: <a href="{}">{}</a></aside>',
            value.get("label") or "Related",
            url,
            title,
        )
    return ""


# A stored page id: ASCII digits that fit a bigint ("²" passes str.isdigit and breaks int()).
_PAGE_ID = re.compile(r"[0-9]{1,18}")


def _page_link_id(attrs: dict[str, str]) -> int | None:
    page_id = attrs.get("id", "")
    return int(page_id) if attrs.get("linktype") == "page" and _PAGE_ID.fullmatch(page_id) else None


def _page_link_ids(blocks: list[dict]) -> list[int]:
    found = []
    for block in blocks:
        if block.get("type") == "paragraph" and isinstance(block.get("value"), str):
            for attrs in FIND_A_TAG.findall(block["value"]):
                page_id = _page_link_id(extract_attrs(attrs))
                if page_id is not None:
                    found.append(page_id)
    return found


def _expand_links(body: str, links: dict[int, str]) -> str:
    """Database rich text to public HTML: page links get their URL, links to gone pages lose it."""

    def replace(match: re.Match) -> str:
        attrs = extract_attrs(match.group(1))
        linktype = attrs.get("linktype")
        if linktype is None:
            # An external, mailto or tel link is stored as it is shown; any other scheme
            # (javascript:, data: ...) loses its href.
            href = attrs.get("href")
            if not is_safe_href(href):
                return "<a>"
            if href.startswith("/") and not href.startswith("//"):  # a site path: on the public base
                return format_html('<a href="{}">', absolute_url(href))
            return match.group(0)
        page_id = _page_link_id(attrs)
        url = links.get(page_id) if page_id is not None else None
        return format_html('<a href="{}">', url) if url else "<a>"

    # Then any link Wagtail's tag pattern does not see (single-quoted or unquoted href).
    return drop_unsafe_links(FIND_A_TAG.sub(replace, body))


# Tags after which the words of the next block start (a line break, the end of a block).
_BLOCK_END = re.compile(
    r"(<br\s*/?>|</(?:p|li|h[1-6]|blockquote|footer|figcaption|aside|ul|ol|figure)>)", re.I
)


def body_text(body_html: str) -> str:
    """The visible words of partner body HTML, one space between blocks."""
    spaced = _BLOCK_END.sub(r"\1 ", body_html)
    return re.sub(r"\s+", " ", html.unescape(strip_tags(spaced))).strip()


_KINDS = ("byline", "correction", "actor", "event", "place")


def _null(output_field: Field) -> Cast:
    return Cast(Value(None), output_field=output_field)


_COLUMNS = (
    "what",
    "owner",
    "rank",
    "weight",
    "tag_role",
    "record",
    "label",
    "handle",
    "sort",
    "land",
    "qid",
    "day",
)


# Typed NULLs for the columns a branch does not fill: PostgreSQL resolves a UNION column from its
# first branches, and two bare NULLs make it text, which a later float or date cannot join. Built
# once: annotate() copies expressions as it resolves them.
_NULLS = {name: _null(CharField()) for name in _COLUMNS[2:]} | {
    "rank": _null(IntegerField()),
    "weight": _null(FloatField()),
    "record": _null(IntegerField()),
    "day": _null(DateField()),
}


class _AnyOf(Func):
    """`column = ANY(array)`: one parameter for any number of ids (PostgreSQL)."""

    template = "%(expressions)s)"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def _child_rows_union(pages: Any) -> QuerySet:
    """The query behind _child_rows; `pages` is what each part filters `page_id` with (a list of
    ids, or an expression)."""

    def rows(qs, kind: str, **columns):
        defaults = {**_NULLS, **columns}
        where = Q(page_id__in=pages) if isinstance(pages, list) else _AnyOf(F("page_id"), pages)
        return (
            qs.filter(where)
            .order_by()
            .annotate(what=Value(kind, output_field=CharField()), owner=F("page_id"), **defaults)
            .values_list(*_COLUMNS)
        )

    def tag(qs, kind: str, name: str, tag_kind: str, **columns):
        return rows(
            qs,
            kind,
            rank=F("pk"),
            weight=F("relevance"),
            tag_role=F("role"),
            record=F(f"{kind}_id"),
            label=F(f"{kind}__{name}"),
            handle=F(f"{kind}__slug"),
            sort=F(f"{kind}__{tag_kind}"),
            **columns,
        )

    union = rows(
        ArticleByline.objects.all(),
        "byline",
        rank=F("sort_order"),
        label=F("author__name"),
        handle=F("author__slug"),
        sort=F("author__job_title"),
    ).union(
        rows(
            ArticleCorrection.objects.all(),
            "correction",
            rank=F("sort_order"),
            label=F("text"),
            day=F("date"),
        ),
        tag(
            public_actor_tags(),
            "actor",
            "name",
            "kind",
            land=F("actor__country"),
            qid=F("actor__wikidata_qid"),
        ),
        tag(public_event_tags(), "event", "title", "event_type"),
        tag(public_place_tags(), "place", "name", "kind", land=F("place__country")),
        all=True,
    )
    return union


# On PostgreSQL the union's SQL is compiled once per process (apps.core.compiled), with
# `page_id = ANY(%s)` and one array parameter per part for the ids: building and compiling it
# through the ORM cost ~7 ms per request (docs/adr/0016-notes/cache.md). The ids' slots are found
# by a marker array, one per part: anything else would send the wrong ids.
_MARKER = [-7_319_004_211]


@once_per_process
def _compiled_union() -> Compiled:
    from django.contrib.postgres.fields import ArrayField

    marker = Value(_MARKER, output_field=ArrayField(BigIntegerField()))
    return compile_statement([_child_rows_union(marker)], {"ids": _MARKER}, expect={"ids": 5})


def _child_rows_raw(ids: list[int]) -> list[tuple]:
    return _compiled_union().fetchall({"ids": ids})


def _child_rows(ids: list[int]) -> list[tuple]:
    """Bylines, corrections and public actor, event and place tags of these pages in one query
    (UNION ALL of values, not model instances), in each list's display order.

    Rows: (kind, page_id, rank, relevance, role, record id, name or text, slug, job title or kind,
    country, QID, correction date). Five queries folded into one (docs/adr/0016).
    """
    found = _child_rows_raw(ids) if connection.vendor == "postgresql" else list(_child_rows_union(ids))

    def order(row: tuple) -> tuple:
        kind, _, rank, relevance, role, *_, day = row
        if kind in {"byline", "correction"}:  # sort_order (NULL last, as PostgreSQL), then date
            return (_KINDS.index(kind), rank is None, rank or 0, "", 0.0, day or date.min)
        return (_KINDS.index(kind), False, 0, role, -relevance, date.min, rank)  # role, -relevance, pk

    return sorted(found, key=order)


def _syndicable_images(image_ids: set[int]) -> dict[int, NewsImage]:
    """The images partners may have (never rights-restricted ones), each with its RENDITION
    attached: one query through the rendition table (each image comes with its renditions), and a
    second only for images never rendered at that size (get_rendition creates those)."""
    syndicable = NewsImage.objects.filter(pk__in=image_ids).exclude(rights=ImageRights.RESTRICTED)
    images: dict[int, NewsImage] = {}
    for rendition in NewsRendition.objects.filter(image__in=syndicable, filter_spec=RENDITION).select_related(
        "image"
    ):
        # Wagtail's get_rendition picks the focal-point match from this list, with no query.
        image = images.setdefault(rendition.image_id, rendition.image)
        image.__dict__.setdefault("prefetched_renditions", []).append(rendition)
    missing = image_ids - images.keys()
    if missing:
        images.update(
            {image.pk: image for image in syndicable.filter(pk__in=missing).prefetch_renditions(RENDITION)}
        )
    return images


# Bump when the body's HTML or text changes shape without this module changing (the key also
# carries a digest of the code that renders it, so a deploy never serves an older rendering).
BODY_VERSION = "1"
_BODY_CODE = hashlib.blake2b(
    b"\0".join(
        [
            BODY_VERSION.encode(),
            Path(__file__).read_bytes(),
            Path(safe_links.__file__).read_bytes(),
            Path(public_urls.__file__).read_bytes(),
            f"{django.__version__} {wagtail.__version__}".encode(),
        ]
    ),
    digest_size=6,
).hexdigest()


def _body_inputs(
    blocks: list[dict],
    link_ids: list[int],
    *,
    images: dict[int, dict[str, Any]],
    related: dict[int, tuple[str, str]],
    links: dict[int, str],
) -> tuple[dict[int, dict[str, Any]], dict[int, tuple[str, str]], dict[int, str]]:
    """The images, related articles and link targets this body names, out of the page's: the
    body is rendered from these alone, so that they (all of them) can go into its cache key."""
    own_images: dict[int, dict[str, Any]] = {}
    own_related: dict[int, tuple[str, str]] = {}
    for block in blocks:
        kind, value = block.get("type"), _struct(block.get("value"))
        if kind == "image" and (pk := value.get("image")) in images:
            own_images[pk] = images[pk]
        elif kind == "related_article" and (pk := value.get("article")) in related:
            own_related[pk] = related[pk]
    own_links = {pk: links[pk] for pk in link_ids if pk in links}
    return own_images, own_related, own_links


def _render_body(blocks: list[dict], images: dict, related: dict, links: dict) -> tuple[str, str]:
    body = _expand_links("".join(_block_html(block, images, related) for block in blocks), links)
    return body, body_text(body)


def _bodies(
    articles: Sequence[ArticlePage],
    bodies: dict[int, list[dict]],
    page_links: dict[int, list[int]],
    *,
    images: dict[int, dict[str, Any]],
    related: dict[int, tuple[str, str]],
    links: dict[int, str],
) -> dict[int, tuple[str, str]]:
    """Each article's (body_html, body_text), from the cache when this exact rendering was built
    before (docs/adr/0016-notes/cache.md).

    The key is the article, its live revision and a digest of everything the rendering reads: the
    stored blocks, the facts of the syndicable images it shows, the title and URL of each related
    article this partner may see, the URL of each publicly visible page it links, the public base
    URL and the rendering code. Those inputs are read per request as before, so anything that
    changes what a partner may get (a new revision, rights withdrawn, a page gone private, a
    partner without the related article) is a different key: a cached body can never say more
    than a fresh one. One get_many and one set_many per request.
    """
    seconds = settings.API_BODY_CACHE_SECONDS
    inputs = {
        article.pk: _body_inputs(
            bodies[article.pk], page_links[article.pk], images=images, related=related, links=links
        )
        for article in articles
    }
    if not seconds:
        return {pk: _render_body(bodies[pk], *own) for pk, own in inputs.items()}
    base = public_urls.public_base_url()
    keys = {}
    for article in articles:
        own_images, own_related, own_links = inputs[article.pk]
        material = json.dumps(
            [
                base,
                bodies[article.pk],
                list(own_images.items()),
                list(own_related.items()),
                list(own_links.items()),
            ],
            separators=(",", ":"),
            default=str,
        )
        digest = hashlib.blake2b(material.encode(), digest_size=16).hexdigest()
        keys[article.pk] = f"api:body:{_BODY_CODE}:{article.pk}:{article.live_revision_id}:{digest}"
    cache = caches["default"]
    found = cache.get_many(list(keys.values()))
    rendered: dict[int, tuple[str, str]] = {}
    missed: dict[str, tuple[str, str]] = {}
    for pk, key in keys.items():
        hit = found.get(key)
        if isinstance(hit, tuple) and len(hit) == 2:
            rendered[pk] = hit
        else:
            rendered[pk] = missed[key] = _render_body(bodies[pk], *inputs[pk])
    if missed:
        cache.set_many(missed, seconds)
    return rendered


def attach_representations(articles: Sequence[ArticlePage], *, visible: QuerySet[ArticlePage]) -> None:
    """Load bylines, corrections, public tags, syndicable images and body for all `articles` at once.

    `visible` is the partner's article queryset (partner_articles), reused so the visibility rule
    is evaluated once per request.
    """
    if not articles:
        return
    ids = [article.pk for article in articles]
    reps = {article.pk: Representation() for article in articles}

    for kind, page_id, _, relevance, role, record_id, name, slug, sort, country, qid, day in _child_rows(ids):
        rep = reps[page_id]
        if kind == "byline":
            rep.bylines.append({"name": name, "slug": slug, "job_title": sort})
        elif kind == "correction":
            rep.corrections.append({"date": day, "text": name})
        else:
            entry = {
                "type": kind,
                "id": record_id,
                "uri": urn(kind, record_id),
                "slug": slug,
                "role": role,
                "relevance": relevance,
                "name": name,
                "kind": sort,
            }
            # Empty country and QID are "unknown" in the output, as before; events have neither.
            if kind != "event":
                entry["country"] = country or None
            if kind == "actor":
                entry["wikidata_qid"] = qid or None
            rep.tags.append(entry)

    # Images: hero plus body image blocks, in one query (and one for their renditions).
    bodies = {article.pk: list(article.body.raw_data) for article in articles}
    image_ids = {article.hero_image_id for article in articles if article.hero_image_id}
    related_ids = set()
    for blocks in bodies.values():
        for block in blocks:
            value = block.get("value")
            if block.get("type") == "image" and isinstance(value, dict) and value.get("image"):
                image_ids.add(value["image"])
            elif block.get("type") == "related_article" and isinstance(value, dict) and value.get("article"):
                related_ids.add(value["article"])
    syndicable = _syndicable_images(image_ids) if image_ids else {}
    images = {pk: _image_facts(image) for pk, image in syndicable.items()}
    # Page links in rich text and related-article blocks: one query for both. A link survives only
    # if its target is publicly visible (never a restricted, expired or draft page); a related
    # article is shown only if the partner may see it.
    page_links = {pk: _page_link_ids(blocks) for pk, blocks in bodies.items()}
    link_ids = {pk for found in page_links.values() for pk in found}
    targets: dict[int, Page] = {}
    if link_ids or related_ids:
        pages = (
            Page.objects.filter(pk__in=link_ids | related_ids)
            .annotate(
                for_partner=Exists(visible.filter(pk=OuterRef("pk"))),
                # A link may name any page type; it is kept only if a reader could open it.
                public=Exists(publicly_visible_pages().filter(pk=OuterRef("pk"))),
            )
            .only("id", "title", "url_path", "path", "live")
        )
        targets = {page.pk: page for page in pages}
    related = {
        pk: (page.title, url)
        for pk, page in targets.items()
        if pk in related_ids and page.for_partner and (url := page_url(page))
    }
    links = {
        pk: url for pk, page in targets.items() if pk in link_ids and page.public and (url := page_url(page))
    }

    rendered = _bodies(articles, bodies, page_links, images=images, related=related, links=links)

    for article in articles:
        rep = reps[article.pk]
        rep.body_html, rep.body_text = rendered[article.pk]
        hero = images.get(article.hero_image_id)
        if hero is not None:
            rep.images.append(_image_dict(hero, role="hero"))
        for block in bodies[article.pk]:
            value = block.get("value")
            if block.get("type") == "image" and isinstance(value, dict):
                image = images.get(value.get("image"))
                if image is not None:
                    rep.images.append(
                        _image_dict(
                            image,
                            role="body",
                            credit=value.get("credit", ""),
                            caption=value.get("caption", ""),
                        )
                    )
        dateline = article.dateline
        if dateline is not None and dateline.is_public:
            rep.dateline = {"id": dateline.pk, "slug": dateline.slug, "name": dateline.name}
        article.api = rep


# The article and section JSON, built as plain dicts: on a page of 100 articles this took 2.8 ms
# against 87.9 ms through DRF serializers (docs/adr/0013-api-output-as-dicts.md). The OpenAPI
# document declares the same shapes in apps/api/serializers.py, and tests/api/test_schema.py
# validates real responses against it, so the two cannot drift apart.
_DATETIME = DateTimeField()


def _datetime(value: datetime | None) -> str | None:
    return _DATETIME.to_representation(value) if value is not None else None


def section_ref(section: Any) -> dict[str, Any]:
    return {
        "id": section.pk,
        "uri": urn("section", section.pk),
        "slug": section.slug,
        "title": section.title,
    }


def section_json(section: Any, fields: Sequence[str] | None = None) -> dict[str, Any]:
    data = {
        "id": section.pk,
        "uri": urn("section", section.pk),
        "slug": section.slug,
        "title": section.title,
        "intro": section.intro,
        "url": page_url(section),
    }
    return data if fields is None else {name: data[name] for name in data if name in fields}


_ARTICLE_FIELDS: dict[str, Any] = {
    "id": lambda a: a.pk,
    "uri": lambda a: urn("article", a.pk),
    # A list's ArticleRow carries its URL (url_for_path); the detail's page asks Wagtail.
    "url": lambda a: a.url if isinstance(a, ArticleRow) else page_url(a),
    "title": lambda a: a.title,
    "standfirst": lambda a: a.standfirst,
    "kind": lambda a: a.kind,
    "language": lambda a: a.language,
    "section": lambda a: section_ref(a.section),
    "published_at": lambda a: _datetime(a.published_at),
    "updated_at": lambda a: _datetime(a.updated_at),
    "revision": lambda a: a.live_revision_id,
    "dateline": lambda a: a.api.dateline,
    "bylines": lambda a: a.api.bylines,
    "source_attribution": lambda a: a.source_attribution,
    "tags": lambda a: a.api.tags,
    "body_html": lambda a: a.api.body_html,
    "body_text": lambda a: a.api.body_text,
    "images": lambda a: a.api.images,
    "corrections": lambda a: [{"date": c["date"].isoformat(), "text": c["text"]} for c in a.api.corrections],
}
ARTICLE_JSON_FIELDS = tuple(_ARTICLE_FIELDS)


def article_json(article: ArticlePage, fields: Sequence[str] | None = None) -> dict[str, Any]:
    """An article as partners get it; `fields` (from `fields=`) keeps only those, in the usual
    order, and computes nothing else (`article.api` is needed only for its fields)."""
    return {
        name: build(article) for name, build in _ARTICLE_FIELDS.items() if fields is None or name in fields
    }
