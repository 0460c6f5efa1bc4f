"""The home page's top stories per section: pinned first, then newest first, `per_section` each,
hidden articles never (one LIMIT per section on PostgreSQL, a window on SQLite: docs/adr/0016)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from apps.articles.models import ArticlePage
from apps.articles.selectors import top_stories_by_section
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def _dated(parent, title: str, days_ago: int, **fields) -> ArticlePage:
    page = ArticlePageFactory(parent=parent, title=title, **fields)
    when = timezone.now() - dt.timedelta(days=days_ago)
    ArticlePage.objects.filter(pk=page.pk).update(published_at=when)
    return page


def test_each_section_gets_its_pinned_then_newest_stories(sahel, west_africa):
    old_pinned = _dated(sahel, "Pinned explainer", 30, top_story=True)
    newest = [_dated(sahel, f"Sahel story {n}", n) for n in range(1, 6)]  # 1 day ago is newest
    draft = ArticlePageFactory(parent=sahel, title="Unpublished draft", publish=False)
    coast = [_dated(west_africa, f"Coast story {n}", n) for n in range(1, 3)]

    top = top_stories_by_section(section_ids=[sahel.pk, west_africa.pk], per_section=4)

    assert [a.pk for a in top[sahel.pk]] == [old_pinned.pk, newest[0].pk, newest[1].pk, newest[2].pk]
    assert [a.pk for a in top[west_africa.pk]] == [coast[0].pk, coast[1].pk]
    assert draft.pk not in {a.pk for stories in top.values() for a in stories}


def test_a_section_with_nothing_visible_is_empty(sahel, west_africa):
    story = _dated(sahel, "Only story", 2)
    top = top_stories_by_section(section_ids=[sahel.pk, west_africa.pk], per_section=4)
    assert [a.pk for a in top[sahel.pk]] == [story.pk]
    assert top[west_africa.pk] == []
