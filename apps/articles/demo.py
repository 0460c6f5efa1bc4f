"""Demo articles for `manage.py load_demo`: the Sahel story, written by the desk for the demo.

The stories are data (demo_articles.json, next to this file); this module reads and loads them.

Idempotent and never overwriting: an author (keyed by slug) or an article (keyed by slug,
wherever an editor moved it) that already exists is left exactly as it is.
Needs the demo registry (apps.registry.demo.load runs first).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText

from apps.articles.models import (
    ArticleActor,
    ArticleByline,
    ArticleCorrection,
    ArticleEvent,
    ArticleKind,
    ArticlePage,
    ArticlePlace,
    Author,
    SyndicationRights,
)
from apps.core.models import SectionPage
from apps.registry.models import Actor, Event, Place

DATA_FILE = Path(__file__).with_name("demo_articles.json")


@dataclass
class DemoArticle:
    slug: str
    section: str
    title: str
    standfirst: str
    paragraphs: list[str]
    published: dt.datetime
    authors: list[str]
    actors: list[tuple[str, str]] = field(default_factory=list)
    events: list[tuple[str, str]] = field(default_factory=list)
    places: list[tuple[str, str]] = field(default_factory=list)
    dateline: str | None = None
    kind: str = ArticleKind.NEWS
    language: str = "en"
    state: str = "live"  # live | draft | scheduled | expired | private
    top_story: bool = False
    rights: str = SyndicationRights.OWN
    source: str = ""
    facts: list[str] = field(default_factory=list)
    quote: tuple[str, str] | None = None
    corrections: list[tuple[dt.date, str]] = field(default_factory=list)

    @classmethod
    def from_data(cls, row: dict) -> DemoArticle:
        """One article of the data file: tags grouped by role, dates as ISO strings."""
        row = dict(row)
        for key in ("actors", "events", "places"):
            row[key] = [(slug, role) for role, slugs in row.get(key, {}).items() for slug in slugs]
        row["published"] = dt.datetime.fromisoformat(row["published"])
        row["corrections"] = [(dt.date.fromisoformat(day), text) for day, text in row.get("corrections", [])]
        if row.get("quote"):
            row["quote"] = tuple(row["quote"])
        return cls(**row)


def _read_data() -> tuple[list[dict], list[DemoArticle]]:
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    return data["authors"], [DemoArticle.from_data(row) for row in data["articles"]]


AUTHORS, ARTICLES = _read_data()


def _body(article: DemoArticle) -> list[tuple[str, object]]:
    blocks: list[tuple[str, object]] = [
        ("paragraph", RichText(f"<p>{text}</p>")) for text in article.paragraphs
    ]
    if article.quote:
        blocks.insert(1, ("quote", {"quote": article.quote[0], "attribution": article.quote[1]}))
    if article.facts:
        blocks.append(("fact_box", {"title": "Key facts", "facts": article.facts}))
    return blocks


def _create(article: DemoArticle, *, section: SectionPage, authors: dict, now: dt.datetime) -> ArticlePage:
    actors = {a.slug: a for a in Actor.objects.filter(slug__in=[slug for slug, _ in article.actors])}
    events = {e.slug: e for e in Event.objects.filter(slug__in=[slug for slug, _ in article.events])}
    place_slugs = [slug for slug, _ in article.places] + ([article.dateline] if article.dateline else [])
    places = {p.slug: p for p in Place.objects.filter(slug__in=place_slugs)}
    page = ArticlePage(
        title=article.title,
        slug=article.slug,
        standfirst=article.standfirst,
        body=_body(article),
        kind=article.kind,
        language=article.language,
        dateline=places.get(article.dateline) if article.dateline else None,
        syndication_rights=article.rights,
        source_attribution=article.source,
        top_story=article.top_story,
        live=False,
    )
    page.bylines = [ArticleByline(author=authors[slug]) for slug in article.authors]
    page.corrections = [ArticleCorrection(date=date, text=text) for date, text in article.corrections]
    # Records the registry does not have (yet) are skipped rather than failing the whole demo.
    page.actor_tags = [ArticleActor(actor=actors[s], role=r) for s, r in article.actors if s in actors]
    page.event_tags = [ArticleEvent(event=events[s], role=r) for s, r in article.events if s in events]
    page.place_tags = [ArticlePlace(place=places[s], role=r) for s, r in article.places if s in places]
    if article.state == "scheduled":
        page.go_live_at = now + dt.timedelta(days=30)
    section.add_child(instance=page)
    revision = page.save_revision()
    if article.state == "draft":
        return page
    revision.publish()
    if article.state == "scheduled":
        return page
    # Demo stories carry the dates of the events they report, not the load time.
    ArticlePage.objects.filter(pk=page.pk).update(
        published_at=article.published, updated_at=article.published, first_published_at=article.published
    )
    if article.state == "expired":
        ArticlePage.objects.filter(pk=page.pk).update(expire_at=now - dt.timedelta(days=1))
    elif article.state == "private":
        PageViewRestriction.objects.get_or_create(page=page, restriction_type=PageViewRestriction.LOGIN)
    return page


@transaction.atomic
def load() -> str:
    authors = {}
    for row in AUTHORS:
        # Created once; an editor's later changes to the author are theirs to keep.
        authors[row["slug"]], _ = Author.objects.get_or_create(
            slug=row["slug"], defaults={"name": row["name"], "job_title": row["job_title"]}
        )
    sections = {section.slug: section for section in SectionPage.objects.all()}
    now = timezone.now()
    created = 0
    for article in ARTICLES:
        section = sections[article.section]
        # Anywhere in the tree: an article an editor moved to another section is still there.
        if ArticlePage.objects.filter(slug=article.slug).exists():
            continue
        _create(article, section=section, authors=authors, now=now)
        created += 1
    return f"demo articles: {created} created, {len(ARTICLES) - created} already there"
