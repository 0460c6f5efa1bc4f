"""changes.jobs.publish_scheduled keeps its own copy of Wagtail's `publish_scheduled` loop (one
transaction per object with its change row, a row lock, kills never republished). On data
without kills it must publish and unpublish exactly what Wagtail's own command does, so a
Wagtail upgrade that changes the command cannot drift unnoticed."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Revision

from apps.articles.models import ArticlePage
from apps.changes import jobs
from apps.core.models import SectionPage
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def schedule(sahel: SectionPage) -> None:
    """Every case the loop decides on, well away from `now` (the command reads its own clock)."""
    now = timezone.now()
    ArticlePageFactory(parent=sahel, title="Live, no dates")
    expired = ArticlePageFactory(parent=sahel, title="Expired yesterday")
    ArticlePage.objects.filter(pk=expired.pk).update(expire_at=now - DAY)
    later = ArticlePageFactory(parent=sahel, title="Expires tomorrow")
    ArticlePage.objects.filter(pk=later.pk).update(expire_at=now + DAY)
    due = ArticlePageFactory(parent=sahel, title="Due yesterday", publish=False)
    due.save_revision(approved_go_live_at=now - DAY)
    waiting = ArticlePageFactory(parent=sahel, title="Due tomorrow", publish=False)
    waiting.save_revision(approved_go_live_at=now + DAY)
    edited = ArticlePageFactory(parent=sahel, title="Live, new version due")
    edited.title = "Live, new version due (revised)"
    edited.save_revision(approved_go_live_at=now - DAY / 2)
    # A section page too: the loop covers every page type, and a section is not an article.
    section = sahel.get_parent().add_child(
        instance=SectionPage(title="Elections desk", slug="elections-desk")
    )
    Page.objects.filter(pk=section.pk).update(expire_at=now - DAY)
    twice = ArticlePageFactory(parent=sahel, title="Two versions due", publish=False)
    twice.title = "Two versions due (first)"
    twice.save_revision(approved_go_live_at=now - 2 * DAY)
    twice.title = "Two versions due (second)"
    twice.save_revision(approved_go_live_at=now - DAY)


def outcome() -> dict:
    pages = Page.objects.filter(depth__gt=1).order_by("path")
    return {
        "pages": list(pages.values_list("slug", "title", "live", "expired", "live_revision_id")),
        "scheduled": sorted(
            Revision.objects.filter(approved_go_live_at__isnull=False).values_list("pk", flat=True)
        ),
    }


def after(run) -> dict:
    """The outcome of `run` on the scheduled data, rolled back afterwards."""
    with transaction.atomic():
        run()
        result = outcome()
        transaction.set_rollback(True)
    return result


def test_publish_scheduled_does_what_wagtails_command_does(desk, sahel):
    schedule(sahel)
    before = outcome()
    ours = after(lambda: jobs.publish_scheduled(now=timezone.now()))
    wagtails = after(lambda: call_command("publish_scheduled", stdout=StringIO()))
    assert outcome() == before  # both runs were rolled back
    assert ours != before  # the data had work to do
    differing = [(a, b) for a, b in zip(ours["pages"], wagtails["pages"], strict=True) if a != b]
    assert differing == []
    assert ours["scheduled"] == wagtails["scheduled"]
