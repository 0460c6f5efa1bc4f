"""Extraction fixtures: the demo registry (the golden sets are annotated against it)."""

from __future__ import annotations

import pytest

from apps.registry import demo


@pytest.fixture
def demo_registry(db):
    demo.load()


@pytest.fixture(autouse=True)
def _fresh_registry_index():
    """Rolled-back tests can meet the same registry version with different registries: start each
    without the process's cached matcher (the tagging app's index, which extraction reads)."""
    from apps.tagging import selectors

    selectors._cached = None
    yield
    selectors._cached = None


@pytest.fixture
def editor(desk):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="editor")


@pytest.fixture
def reporter(desk):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="reporter")


def write_article(*, title: str, paragraphs: list[str], on: str, publish: bool = True, owner=None, **extra):
    """An article in the Sahel section dated ``on`` (the date relative expressions resolve against)."""
    import datetime as dt

    from django.utils import timezone

    from apps.articles.models import ArticlePage
    from apps.core.models import SectionPage
    from tests.factories import ArticlePageFactory, paragraph

    page = ArticlePageFactory(
        title=title,
        standfirst=extra.pop("standfirst", "A short account from the desk."),
        body=[paragraph(p) for p in paragraphs],
        parent=SectionPage.objects.get(slug="sahel"),
        publish=publish,
        owner=owner,
        **extra,
    )
    when = timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(on), dt.time(12)))
    if publish:
        ArticlePage.objects.filter(pk=page.pk).update(published_at=when, first_published_at=when)
    else:
        ArticlePage.objects.filter(pk=page.pk).update(go_live_at=when)
    page.refresh_from_db()
    return page
