"""Registry records, images and articles for the partner API tests (text written for these tests)."""

from __future__ import annotations

import io
import re

from django.core.files.images import ImageFile
from django.db import connection
from PIL import Image as PILImage

from apps.articles.models import ArticleActor, ArticleEvent, ArticlePlace
from apps.core.models import ImageRights, NewsImage
from apps.core.plans import generic_plans_apply
from tests.factories import ArticlePageFactory, paragraph
from tests.registry.factories import ActorFactory, EventFactory, PlaceFactory

__all__ = ["ActorFactory", "ArticlePageFactory", "EventFactory", "PlaceFactory", "paragraph"]


def make_image(title: str = "Delegates in the hall", *, rights: str = ImageRights.OWN) -> NewsImage:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (180, 120, 40)).save(buffer, "PNG")
    return NewsImage.objects.create(
        title=title,
        file=ImageFile(buffer, name=f"{title.replace(' ', '-').lower()}.png"),
        credit="Desk photographer",
        caption=f"{title}.",
        alt_text=f"Photo: {title.lower()}",
        rights=rights,
    )


def tags(*, actors=(), events=(), places=(), **extra) -> dict:
    """Child rows for ArticlePageFactory: confirmed subject tags unless `extra` says otherwise."""
    return {
        "actor_tags": [ArticleActor(actor=a, **extra) for a in actors],
        "event_tags": [ArticleEvent(event=e, **extra) for e in events],
        "place_tags": [ArticlePlace(place=p, **extra) for p in places],
    }


def fully_linked_articles(section, *, topic: str, tags_for, n: int = 7) -> list:
    """`n` articles with everything the representation reads from other rows: a hero and a body
    image, a page link and a related article (the page "Earlier <topic> story"), and the child
    rows `tags_for(i)` gives article i (a `tags(...)` dict). For query-count tests of lists."""
    hero, inline = make_image(f"Hero at the {topic}"), make_image(f"Scene at the {topic}")
    linked = ArticlePageFactory(parent=section, title=f"Earlier {topic} story")
    return [
        ArticlePageFactory(
            parent=section,
            title=f"{topic.capitalize()} story {i}",
            hero_image=hero,
            body=[
                paragraph(f'The convoy <a linktype="page" id="{linked.pk}">crossed</a> at dawn ({i}).'),
                ("image", {"image": inline, "caption": "", "credit": ""}),
                ("related_article", {"article": linked, "label": "Earlier"}),
            ],
            **tags_for(i),
        )
        for i in range(n)
    ]


def is_page_query(sql: str) -> bool:
    """The articles list's page statement among a request's queries: the list reads its page as
    values (apps.api.selectors.article_rows), so it selects the article's id first, with a LIMIT
    (its ORDER BY names the columns by position)."""
    return sql.startswith('SELECT "articles_articlepage"."page_ptr_id" AS "id"') and " LIMIT " in sql


_PLAN_SWITCH = re.compile(r"SET LOCAL plan_cache_mode\b")


def is_plan_switch(sql: str) -> bool:
    """A SET of plan_cache_mode around a statement on a generic plan (apps/core/plans.py)."""
    return bool(_PLAN_SWITCH.match(sql))


def plan_switches() -> int:
    """Statements generic_plans() adds around a statement in a transaction (as in a test): a SET
    and a SET back on PostgreSQL with prepared statements, none on SQLite. (In autocommit, as in
    production, a SET between BEGIN and COMMIT.)"""
    return 2 if generic_plans_apply(connection) else 0


def reads(captured) -> int:
    """A CaptureQueriesContext's statements, not counting plan switches."""
    return sum(1 for query in captured.captured_queries if not is_plan_switch(query["sql"]))
