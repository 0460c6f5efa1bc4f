"""The admin edit page and its draft save cost the same number of queries whatever the number of
tags and body blocks (issue #15). Each page is opened (or saved) once first (warm-up), then
counted."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.articles.models import ArticleActor, ArticlePage
from bench.admin_form import draft_form_data
from tests.articles.factories import ActorFactory
from tests.articles.page_costs import tagged_article
from tests.factories import ArticlePageFactory, AuthorFactory, paragraph

# Session, user, permissions, the page and its revision, workflow, comments, locks, the five
# child tables, the editing session, the choosers' records (one query per chooser field).
EDIT_PAGE_QUERIES = 42
# Session, user, permissions, the page, its revisions and workflow (read twice by Wagtail's edit
# view), the slug checks, one read per chooser and one per row id for each formset with rows
# (bylines, actors, events, places, corrections), the dateline, the new revision, the search
# index (one query more on SQLite's) and the log entry. Rows and blocks add none.
DRAFT_SAVE_QUERIES = {"postgresql": 88, "sqlite": 89}


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


def _draft_save_queries(client, section, *, n_tags: int, n_blocks: int) -> tuple[int, ArticlePage]:
    page = tagged_article(
        section,
        n_tags,
        f"A story with {3 * n_tags} tags and {n_blocks} blocks",
        body=[paragraph(f"Paragraph {i} of the story.") for i in range(n_blocks)],
    )
    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    client.post(url, draft_form_data(page))  # warm-up
    data = draft_form_data(page)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return len(queries), ArticlePage.objects.get(pk=page.pk)


def test_draft_save_queries_do_not_grow_with_tags_or_blocks(client, sahel, db_vendor):
    client.force_login(get_user_model().objects.get(username="editor"))
    few, _ = _draft_save_queries(client, sahel, n_tags=1, n_blocks=1)
    many, page = _draft_save_queries(client, sahel, n_tags=4, n_blocks=4)

    print(f"QUERYCOUNT draft save: 3 tags 1 block={few}, 12 tags 4 blocks={many}")
    assert few == many == DRAFT_SAVE_QUERIES[db_vendor]
    draft = page.get_latest_revision_as_object()
    assert page.has_unpublished_changes
    assert (draft.actor_tags.count(), draft.event_tags.count(), draft.place_tags.count()) == (4, 4, 4)
    assert len(draft.body) == 4


# A draft save of an article with image and related-article blocks: one read per chooser
# (blocks.read_chosen) whatever the number of blocks (Wagtail's own blocks: 2 queries each).
CHOOSER_DRAFT_SAVE_QUERIES = {"postgresql": 100, "sqlite": 101}


def _chooser_blocks(section, n: int) -> list:
    from tests.api.factories import make_image

    related = [ArticlePageFactory(parent=section, title=f"Earlier story {i} of {n}") for i in range(n)]
    return [
        *(("image", {"image": make_image(f"Photo {i}"), "caption": "", "credit": ""}) for i in range(n)),
        *(("related_article", {"article": page, "label": "Related"}) for page in related),
    ]


def test_draft_save_queries_do_not_grow_with_image_and_related_blocks(client, sahel, db_vendor):
    client.force_login(get_user_model().objects.get(username="editor"))
    counts = {}
    for n in (1, 3):
        page = tagged_article(sahel, 1, f"A story with {n} images", body=_chooser_blocks(sahel, n))
        url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
        client.post(url, draft_form_data(page))  # warm-up
        with CaptureQueriesContext(connection) as queries:
            response = client.post(url, draft_form_data(page))
        assert response.status_code == 302, response.content.decode()[:2000]
        draft = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
        assert [block.block_type for block in draft.body] == ["image"] * n + ["related_article"] * n
        counts[n] = len(queries)
    print(f"QUERYCOUNT draft save with chooser blocks: {counts}")
    assert counts[1] == counts[3] == CHOOSER_DRAFT_SAVE_QUERIES[db_vendor]
