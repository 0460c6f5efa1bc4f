"""The editor's Kill action in the admin, and the backfill of already-live articles."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import PageLogEntry

from apps.articles.models import ArticlePage
from apps.changes.models import Change, ChangeCounter, Kill, ObjectState
from tests.changes.conftest import feed
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

backfill_migration = importlib.import_module("apps.changes.migrations.0002_backfill_live_articles")


def login(client, username: str):
    client.force_login(get_user_model().objects.get(username=username))
    return client


def test_editor_sees_kill_in_the_action_menu(client, sahel):
    page = ArticlePageFactory(parent=sahel)
    response = login(client, "editor").get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert reverse("changes_kill", args=(page.pk,)) in response.content.decode()


def test_reporter_may_not_kill(client, sahel):
    page = ArticlePageFactory(parent=sahel)
    login(client, "reporter")
    # Wagtail's admin answers a PermissionDenied with a redirect to the dashboard.
    denied = reverse("wagtailadmin_home")
    assert client.get(reverse("changes_kill", args=(page.pk,))).url == denied
    response = client.post(
        reverse("changes_kill", args=(page.pk,)), {"category": "legal", "reason": "x" * 20}
    )
    assert response.status_code == 302 and response.url == denied
    assert ArticlePage.objects.get(pk=page.pk).live


def test_kill_needs_a_reason(client, sahel):
    page = ArticlePageFactory(parent=sahel)
    response = login(client, "editor").post(reverse("changes_kill", args=(page.pk,)), {"category": "legal"})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert ArticlePage.objects.get(pk=page.pk).live


def test_editor_kills_from_the_admin(client, api, sahel):
    page = ArticlePageFactory(parent=sahel)
    response = login(client, "editor").post(
        reverse("changes_kill", args=(page.pk,)),
        {"category": "legal", "reason": "A court ordered the story withdrawn this morning."},
    )
    assert response.status_code == 302
    assert not ArticlePage.objects.get(pk=page.pk).live
    kill = Kill.objects.get(page=page)
    assert kill.category == "legal" and kill.user.username == "editor"
    assert PageLogEntry.objects.filter(page=page, action="newsdesk.kill").exists()
    assert [e["reason"] for e in feed(api) if e["id"] == page.pk][-1] == "kill"


def test_backfill_writes_one_entry_per_live_article(sahel):
    live = [ArticlePageFactory(parent=sahel) for _ in range(2)]
    ArticlePageFactory(parent=sahel, publish=False)  # a draft: nothing to backfill
    Change.objects.all().delete()
    ObjectState.objects.all().delete()
    ChangeCounter.objects.filter(pk=1).update(value=0)

    backfill_migration.backfill(django_apps, None)
    backfill_migration.backfill(django_apps, None)  # idempotent

    rows = list(Change.objects.filter(object_type="article").order_by("seq"))
    assert [row.object_id for row in rows] == [page.pk for page in live]
    assert {row.cause for row in rows} == {"backfill"}
    assert ChangeCounter.objects.get(pk=1).value == rows[-1].seq
