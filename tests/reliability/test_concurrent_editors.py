"""Two editors saving one page at the same moment on PostgreSQL: both revisions are kept (each
editor's work is in the history, nothing overwritten in place), and a lock taken by one stops
the other. Concurrent publishes and the change feed: tests/changes/test_concurrency.py."""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from wagtail.models import Revision

from apps.articles.models import ArticlePage
from apps.core.services import EDITORS
from tests.factories import ArticlePageFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editors(desk):
    first = get_user_model().objects.get(username="editor")
    second = get_user_model().objects.create_user("second-editor", password="unused-here")
    second.groups.add(Group.objects.get(name=EDITORS))
    return first, second


def test_two_editors_saving_at_once_keep_both_revisions(sahel, editors):
    page = ArticlePageFactory(parent=sahel, title="Harvest forecast for the Niger valley")
    before = Revision.page_revisions.filter(object_id=str(page.pk)).count()
    barrier = threading.Barrier(len(editors))
    errors: list[BaseException] = []

    def save_as(user, title: str) -> None:
        try:
            draft = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
            draft.title = title
            barrier.wait(timeout=30)
            with transaction.atomic():
                draft.save_revision(user=user)
                time.sleep(0.05)  # both transactions are open at once
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    titles = {editors[0]: "Harvest forecast revised upward", editors[1]: "Harvest forecast: locusts feared"}
    threads = [threading.Thread(target=save_as, args=item) for item in titles.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    revisions = Revision.page_revisions.filter(object_id=str(page.pk)).order_by("pk")
    assert revisions.count() == before + 2
    saved = {revision.user: revision.content["title"] for revision in revisions[before:]}
    assert saved == titles
    page.refresh_from_db()
    assert page.latest_revision_id == revisions.last().pk
    assert page.title == "Harvest forecast for the Niger valley"  # the live version is untouched


def test_a_lock_taken_by_one_editor_stops_the_other(sahel, editors):
    first, second = editors
    page = ArticlePageFactory(parent=sahel, title="Dam inauguration postponed")
    page.locked, page.locked_by = True, first
    page.save(update_fields=["locked", "locked_by"])
    page = ArticlePage.objects.get(pk=page.pk)
    lock = page.get_lock()
    assert lock.for_user(second) and not lock.for_user(first)
