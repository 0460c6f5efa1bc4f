"""The admin edit page costs the same number of queries whatever the number of tags and body
blocks (issue #15). Each page is opened once first (warm-up), then counted."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.articles.models import ArticleActor
from tests.articles.factories import ActorFactory
from tests.factories import ArticlePageFactory, AuthorFactory, paragraph

# Session, user, permissions, the page and its revision, workflow, comments, locks, the five
# child tables, the editing session, the choosers' records (one query per chooser field).
EDIT_PAGE_QUERIES = 42


def _edit_page_queries(client, *, n_tags: int, n_blocks: int) -> tuple[int, str]:
    page = ArticlePageFactory(
        title=f"A story with {n_tags} tags and {n_blocks} blocks",
        authors=[AuthorFactory()],
        body=[paragraph(f"Paragraph {i} of the story.") for i in range(n_blocks)],
        actor_tags=[ArticleActor(actor=ActorFactory(name=f"Tagged actor {i}")) for i in range(n_tags)],
    )
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    client.get(url)  # warm-up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_edit_page_queries_do_not_grow_with_tags_or_blocks(client, sahel):
    client.force_login(get_user_model().objects.get(username="editor"))
    few, _ = _edit_page_queries(client, n_tags=1, n_blocks=1)
    many, html = _edit_page_queries(client, n_tags=10, n_blocks=20)

    print(f"QUERYCOUNT edit page: 1 tag 1 block={few}, 10 tags 20 blocks={many}")
    assert few == many == EDIT_PAGE_QUERIES
    assert all(f"Tagged actor {i}" in html for i in range(10))
