"""A killed story is shown as KILLED, with who and when, in the admin's page listing and in the
page header, not as a plain draft (#11.10)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.changes import services
from apps.changes.models import Kill, KillCategory
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(desk):
    return get_user_model().objects.get(username="editor")


def kill(page, user):
    return services.kill_article(
        page=page, category=KillCategory.LEGAL, reason="A court ordered the story withdrawn.", user=user
    )


def row_of(html: str, title: str) -> str:
    rows = [row for row in re.split(r"<tr\b", html) if title in row]
    assert len(rows) == 1, f"no single listing row for {title!r}"
    return rows[0]


def listing(client, section) -> str:
    response = client.get(reverse("wagtailadmin_explore", args=(section.pk,)))
    assert response.status_code == 200
    return response.content.decode()


def test_the_listing_shows_a_killed_story_as_killed_with_who_and_when(client, sahel, editor):
    killed = ArticlePageFactory(parent=sahel, title="Withdrawn by court order")
    drafted = ArticlePageFactory(parent=sahel, title="Simply unpublished")
    drafted.unpublish()
    record = kill(killed, editor)
    client.force_login(editor)
    html = listing(client, sahel)

    killed_row = row_of(html, "Withdrawn by court order")
    assert "KILLED" in killed_row
    assert editor.get_full_name() in killed_row
    assert timezone.localtime(record.killed_at).strftime("%-d %b %Y %H:%M") in killed_row
    drafted_row = row_of(html, "Simply unpublished")
    assert "KILLED" not in drafted_row and "draft" in drafted_row.lower()


def test_the_page_header_shows_killed_with_who_and_when(client, sahel, editor):
    page = ArticlePageFactory(parent=sahel, title="Withdrawn by court order")
    record = kill(page, editor)
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    header = html[html.index("<header") : html.index("</header>")]
    assert "KILLED" in header
    assert editor.get_full_name() in header
    assert timezone.localtime(record.killed_at).strftime("%-d %b %Y %H:%M") in header


def test_a_story_republished_after_its_kill_is_no_longer_shown_as_killed(client, sahel, editor):
    page = ArticlePageFactory(parent=sahel, title="Cleared and republished")
    kill(page, editor)
    page.refresh_from_db()
    page.save_revision().publish()
    client.force_login(editor)
    assert "KILLED" not in row_of(listing(client, sahel), "Cleared and republished")
    assert "KILLED" not in client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()


def test_a_kill_whose_editor_was_deleted_still_shows_killed(client, sahel, editor):
    page = ArticlePageFactory(parent=sahel, title="Withdrawn long ago")
    kill(page, None)
    assert Kill.objects.get(page=page).user is None
    client.force_login(editor)
    assert "KILLED" in row_of(listing(client, sahel), "Withdrawn long ago")


def test_the_listing_costs_no_query_per_killed_story(client, sahel, editor):
    client.force_login(editor)
    kill(ArticlePageFactory(parent=sahel), editor)
    listing(client, sahel)  # warm caches (site root, permissions)
    with CaptureQueriesContext(connection) as one:
        listing(client, sahel)
    for _ in range(4):
        kill(ArticlePageFactory(parent=sahel), editor)
    with CaptureQueriesContext(connection) as five:
        assert listing(client, sahel).count("KILLED") >= 5
    assert len(five) <= len(one)
