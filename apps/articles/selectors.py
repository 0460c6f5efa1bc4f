"""Reads shared by the public site, the feeds, the sitemap, search and the partner API.

`visible_articles` is the one visibility rule; every public surface starts from it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import CharField, F, Prefetch, QuerySet, Value, Window, prefetch_related_objects
from django.db.models.functions import RowNumber
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from apps.articles.models import ArticleActor, ArticleByline, ArticleEvent, ArticlePage, ArticlePlace
from apps.articles.structured_data import news_article_json_ld, open_graph
from apps.core.selectors import public_sections, published_now, published_sections, view_restricted
from apps.registry.models import Actor, Event, Place
from apps.registry.selectors import UncountedPaginator, public_actors, public_events, public_places


def visible_articles(
    *,
    now: datetime | None = None,
    sections: Iterable[int] | None = None,
    include_restricted: bool = False,
    sections_published: bool = False,
) -> QuerySet[ArticlePage]:
    """Articles anyone outside the newsroom may see: live, public, gone live, not expired, in a
    section that is published now.

    `include_restricted` is only for serving a page after Wagtail's view-restriction hook
    has already admitted the request; every listing, feed and the API leaves it False.
    `sections_published` says that `sections` were read through published_sections (or
    public_sections) in this request: they then stand for its subquery, whose planning was half
    of the partner API's page query's plan time (docs/adr/0016-notes/rows.md).
    """
    qs = published_now(ArticlePage.objects.all(), now=now)
    if not (sections_published and sections is not None):
        qs = qs.filter(section__in=published_sections(now=now).values("pk"))
    if not include_restricted:
        qs = qs.exclude(view_restricted())
    return qs if sections is None else qs.filter(section_id__in=list(sections))


def visible_article_for_serving(page: ArticlePage, *, now: datetime | None = None) -> ArticlePage | None:
    """The page if the rule lets it be served, with its section and dateline in the same query."""
    return (
        visible_articles(now=now, include_restricted=True)
        .defer_streamfields()
        .select_related("section", "dateline")
        .filter(pk=page.pk)
        .first()
    )


def article_for_serving(*, site_root: Page, path: str, now: datetime | None = None) -> ArticlePage | None:
    """The article at ``path`` under the site root ("sahel/story/"), if the rule lets it be
    served, with its section, dateline and hero image and whether a view restriction covers
    it: one query where Wagtail's tree walk takes five (a child and its specific row per level).
    """
    slug = path.rstrip("/").rsplit("/", 1)[-1]
    page = (
        visible_articles(now=now, include_restricted=True)
        .select_related("section", "dateline", "hero_image")
        .annotate(is_view_restricted=view_restricted())
        # slug is indexed; url_path (not indexed) pins the one page at this address.
        .filter(slug=slug, url_path=f"{site_root.url_path}{path}")
        .first()
    )
    if page is not None:
        page.checked_visible = True  # ArticlePage.serve need not ask again
    return page


# A section listing's order: pinned top stories first, then newest first, as
# article_section_listing_idx has it. Where NULLs go does not matter: listings hold visible
# articles, which are live, and a live article always has published_at (ArticlePage.save).
LISTING_ORDER = (F("top_story").desc(), F("published_at").desc(), F("pk").desc())


def newest_first(qs: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """Newest first, as article_pub_idx read backwards has it (no NULLS LAST, which no index
    has: the home page sorted every visible article, 400 ms -> 100 ms on the 100k corpus). It
    orders visible articles only, which are live and so always have published_at; saying so
    (``published_at IS NOT NULL``) starts the backward walk past the undated drafts, which a
    descending btree read yields first (2,991 rows read for 20 on the popular actor's page of
    the 100k corpus, 35 with it: 54 -> 1 ms)."""
    return qs.filter(published_at__isnull=False).order_by(F("published_at").desc(), "-pk")


def _bylines() -> Prefetch:
    return Prefetch("bylines", queryset=ArticleByline.objects.select_related("author"))


def for_teasers(qs: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """A teaser's article row with its section and hero image; bylines are prefetched apart."""
    return qs.defer_streamfields().select_related("section", "hero_image")


def for_listing(qs: QuerySet[ArticlePage]) -> QuerySet[ArticlePage]:
    """What a teaser needs (section, hero image, bylines) in a fixed number of queries."""
    return for_teasers(qs).prefetch_related(_bylines())


def latest_articles(*, now: datetime | None = None, limit: int = 10) -> list[ArticlePage]:
    return list(for_listing(newest_first(visible_articles(now=now)))[:limit])


def section_articles(*, section_id: int, now: datetime | None = None) -> QuerySet[ArticlePage]:
    """A section's listing: pinned top stories first, then newest first."""
    qs = visible_articles(now=now, sections=[section_id])
    return for_listing(qs).order_by(*LISTING_ORDER)


def _top_story_ids(ids: list[int], *, now: datetime | None, per_section: int) -> list[int]:
    """The ids of each section's first `per_section` stories, in one query.

    On PostgreSQL: one LIMIT per section, UNION ALL, each a short walk of
    article_section_listing_idx. A window function ranks every visible article of every section
    first: 4.0 s for the home page on the 100k corpus (docs/adr/0016). SQLite cannot slice the
    parts of a compound query, so it keeps the window.
    """
    if len(ids) > 1 and connection.features.supports_slicing_ordering_in_compound:
        parts = [
            visible_articles(now=now, sections=[section_id])
            .order_by(*LISTING_ORDER)
            .values_list("pk", flat=True)[:per_section]
            for section_id in ids
        ]
        return list(parts[0].union(*parts[1:], all=True))
    ranked = visible_articles(now=now, sections=ids).annotate(
        rank=Window(RowNumber(), partition_by=[F("section_id")], order_by=list(LISTING_ORDER))
    )
    return list(ranked.filter(rank__lte=per_section).values_list("pk", flat=True))


def top_stories_by_section(
    *, section_ids: Iterable[int], now: datetime | None = None, per_section: int = 4
) -> dict[int, list[ArticlePage]]:
    """The first `per_section` stories of each section: their ids in one query, then the teasers."""
    ids = list(section_ids)
    grouped: dict[int, list[ArticlePage]] = {section_id: [] for section_id in ids}
    if not ids:
        return grouped
    top = _top_story_ids(ids, now=now, per_section=per_section)
    rows = for_listing(ArticlePage.objects.filter(pk__in=top)).order_by("section_id", *LISTING_ORDER)
    for article in rows:
        grouped[article.section_id].append(article)
    return grouped


HOME_LATEST_COUNT = 8
HOME_STORIES_PER_SECTION = 4
SECTION_ARTICLES_PER_PAGE = 20


def home_page_context(home: Page) -> dict:
    """The home page's listings: the latest stories and each public section's top stories."""
    sections = list(public_sections().child_of(home).order_by("path"))
    top = top_stories_by_section(
        section_ids=[section.pk for section in sections], per_section=HOME_STORIES_PER_SECTION
    )
    return {
        "sections": sections,
        "section_stories": [(section, top.get(section.pk, [])) for section in sections],
        "latest_articles": latest_articles(limit=HOME_LATEST_COUNT),
    }


def section_page_context(section: Page, *, page_number: str | None) -> dict:
    """A section's listing, pinned top stories first, one page of it, without counting the
    section: counting its visible articles (the visibility rule on every one) was 0.4-0.9 s of
    the page on the 100k corpus, the page itself a walk of article_section_listing_idx."""
    paginator = UncountedPaginator(section_articles(section_id=section.pk), SECTION_ARTICLES_PER_PAGE)
    # get_page() clamps bad or out-of-range numbers to a real page instead of erroring.
    return {"articles": paginator.get_page(page_number)}


def search_articles(*, query: str, now: datetime | None = None):
    """Wagtail search over the visible articles (PostgreSQL full text when on PostgreSQL)."""
    visible_ids = visible_articles(now=now).values("pk")
    return ArticlePage.objects.filter(pk__in=visible_ids).search(query)


def article_page_context(page: ArticlePage, *, request: HttpRequest | None = None) -> dict:
    """Everything the article template shows, in a number of queries independent of its size."""
    now = timezone.now()
    related_ids = [
        block.value["article"].pk
        for block in page.body
        if block.block_type == "related_article" and block.value["article"] is not None
    ]
    visible_related = (
        set(visible_articles(now=now).filter(pk__in=related_ids).values_list("pk", flat=True))
        if related_ids
        else set()
    )
    more = (
        list(
            for_teasers(
                newest_first(visible_articles(now=now, sections=[page.section_id]).exclude(pk=page.pk))
            )[:3]
        )
        if page.section_id
        else []
    )
    # The page's bylines and its teasers' in one query.
    prefetch_related_objects([page, *more], _bylines())
    context = {
        "bylines": list(page.bylines.all()),
        "corrections": list(page.corrections.all()),
        "visible_related_ids": visible_related,
        "more_in_section": more,
    }
    context.update(public_tags_for_page(page))
    context["json_ld"] = news_article_json_ld(page, request=request, **context)
    context["open_graph"] = open_graph(page, request=request)
    return context


def public_actor_tags() -> QuerySet[ArticleActor]:
    """Confirmed tags of approved, unmerged actors: the only actor tags anyone outside sees."""
    return ArticleActor.objects.filter(confirmed=True, actor__in=public_actors())


def public_event_tags() -> QuerySet[ArticleEvent]:
    return ArticleEvent.objects.filter(confirmed=True, event__in=public_events())


def public_place_tags() -> QuerySet[ArticlePlace]:
    return ArticlePlace.objects.filter(confirmed=True, place__in=public_places())


@dataclass(frozen=True)
class PublicTag:
    """A public tag as the article page shows it, as plain values: Actor, Event and Place are
    ClusterableModels, costly to build for a chip and a JSON-LD entry."""

    kind: str  # "actor", "event" or "place": the registry page it links to
    role: str
    name: str
    slug: str
    actor_kind: str  # "person", "state"... for actors, "" otherwise
    wikidata_qid: str

    @property
    def url(self) -> str:
        return reverse(f"registry:{self.kind}_detail", kwargs={"slug": self.slug})


_TAG_FIELDS = ("tag_kind", "role", "tag_name", "tag_slug", "tag_actor_kind", "tag_qid", "relevance", "pk")


def _tag_rows(tags: QuerySet, kind: str, *, name: str, actor_kind: str = "", qid: str = "") -> QuerySet:
    def text(value: str):
        return F(value) if value else Value("", output_field=CharField())

    return tags.annotate(
        tag_kind=Value(kind, output_field=CharField()),
        tag_name=F(f"{kind}__{name}"),
        tag_slug=F(f"{kind}__slug"),
        tag_actor_kind=text(actor_kind),
        tag_qid=text(qid),
    ).values_list(*_TAG_FIELDS)


def public_tags_for_page(page: ArticlePage) -> dict[str, list[PublicTag]]:
    """The page's public tags from the tables, i.e. as of its live revision, subjects first
    then by relevance: the three kinds in one query (UNION ALL of values)."""
    rows = (
        _tag_rows(
            public_actor_tags().filter(page=page),
            "actor",
            name="name",
            actor_kind="actor__kind",
            qid="actor__wikidata_qid",
        )
        .union(
            _tag_rows(public_event_tags().filter(page=page), "event", name="title"),
            _tag_rows(public_place_tags().filter(page=page), "place", name="name"),
            all=True,
        )
        .order_by("-role", "-relevance", "pk")  # "subject" before "mentioned"
    )
    tags: dict[str, list[PublicTag]] = {"actor_tags": [], "event_tags": [], "place_tags": []}
    for kind, role, name, slug, actor_kind, qid, _relevance, _pk in rows:
        tags[f"{kind}_tags"].append(PublicTag(kind, role, name, slug, actor_kind, qid))
    return tags


def articles_about_actor(*, actor: Actor, now: datetime | None = None) -> QuerySet[ArticlePage]:
    """Visible articles with a public tag of this actor, newest first (for its page and feed)."""
    return for_listing(tagged_with(visible_articles(now=now), actor=actor))


def articles_about_event(*, event: Event, now: datetime | None = None) -> QuerySet[ArticlePage]:
    """The event's provenance: visible articles that reported it."""
    return for_listing(tagged_with(visible_articles(now=now), event=event))


def articles_about_place(*, place: Place, now: datetime | None = None) -> QuerySet[ArticlePage]:
    return for_listing(tagged_with(visible_articles(now=now), place=place))


def tagged_with(
    articles: QuerySet[ArticlePage],
    *,
    actor: Actor | None = None,
    event: Event | None = None,
    place: Place | None = None,
) -> QuerySet[ArticlePage]:
    """Among ``articles`` (already cut by a visibility rule: the site's or a partner's), those
    with a public tag of ``actor``, ``event`` or ``place``, newest first: "stories about this
    record" for the registry pages, feeds and the registry API alike."""
    if actor is not None:
        tagged = public_actor_tags().filter(actor=actor)
    elif event is not None:
        tagged = public_event_tags().filter(event=event)
    else:
        tagged = public_place_tags().filter(place=place)
    return newest_first(articles.filter(pk__in=tagged.values("page_id")))
