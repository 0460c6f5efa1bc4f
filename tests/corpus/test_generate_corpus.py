"""`manage.py generate_corpus`: deterministic, a valid Wagtail tree, visible through every surface."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from wagtail.models import Page, Revision
from wagtail.search.models import IndexEntry

from apps.articles.models import ArticleActor, ArticlePage
from apps.changes.models import Change, ChangeCounter
from apps.corpus.generator import corpus_sections, generate
from apps.partners.selectors import partner_articles

pytestmark = pytest.mark.django_db


def _digest() -> str:
    # Image ids come from the table's sequence, which a rollback does not rewind: compare the
    # body with them left out.
    rows = [
        (*row[:-1], re.sub(r'"image": \d+', "", json.dumps(list(row[-1].raw_data))))
        for row in ArticlePage.objects.order_by("path").values_list(
            "path", "title", "published_at", "section__slug", "syndication_rights", "live", "body"
        )
    ]
    tags = ArticleActor.objects.order_by("page__path", "actor__slug").values_list("page__path", "actor__slug")
    return hashlib.sha256(repr((list(rows), list(tags))).encode()).hexdigest()


class _Undo(Exception):
    pass


@pytest.mark.postgres
def test_the_same_seed_writes_the_same_corpus_and_another_seed_does_not(desk):
    digests = []
    for seed in (3, 3, 4):
        try:
            with transaction.atomic():
                generate(articles=40, actors=20, events=10, seed=seed)
                digests.append(_digest())
                raise _Undo
        except _Undo:
            pass
    assert digests[0] == digests[1] != digests[2]


@pytest.mark.postgres
def test_the_corpus_is_a_valid_tree_seen_by_the_site_the_api_and_the_feed(corpus, partner, client, api):
    assert corpus.counts["articles"] == 300
    # treebeard's own consistency check (what `fixtree` reports): paths, depth, numchild.
    assert all(not problems for problems in Page.find_problems())
    articles = ArticlePage.objects.filter(section__in=corpus_sections())
    assert articles.count() == 300
    # 3 to 12 tags each, every page with a live revision that Wagtail can load.
    per_page = [a.actor_tags.count() + a.place_tags.count() + a.event_tags.count() for a in articles[:30]]
    assert min(per_page) >= 3 and max(per_page) <= 12
    article = articles.filter(live=True, syndication_rights="own").order_by("-published_at").first()
    assert article.get_latest_revision().as_object().title == article.title
    assert Revision.objects.filter(object_id=str(article.pk)).count() == 1
    assert client.get(article.url, HTTP_HOST="localhost").status_code == 200
    # Drafts and a few private, expired and agency articles, as on a real desk.
    assert articles.filter(live=False).exists() and articles.filter(syndication_rights="agency").exists()

    visible = partner_articles(partner)
    listed = api.get("/api/v1/articles/?page_size=100").json()["results"]
    assert [item["id"] for item in listed] == list(
        visible.order_by("-published_at", "-page_ptr_id").values_list("pk", flat=True)[:100]
    )
    # The change log: one upsert per article visible to someone, numbered up to the head.
    corpus_changes = Change.objects.filter(object_id__in=articles.values("pk"))
    assert corpus_changes.count() == corpus.counts["changes"]
    assert (
        ChangeCounter.objects.get().value == Change.objects.order_by("-seq").values_list("seq", flat=True)[0]
    )
    seen = api.get("/api/v1/changes/?after=0").json()
    assert seen["results"]
    # The search index: every corpus article has its entry, and a word of a title finds it.
    assert IndexEntry.objects.filter(object_id=str(article.pk)).exists()
    word = article.title.split()[1]
    assert article.pk in {page.pk for page in ArticlePage.objects.live().search(word)}


@pytest.mark.postgres
def test_a_second_run_is_refused_with_one_clear_line(corpus):
    with pytest.raises(CommandError, match="already in this database"):
        call_command("generate_corpus", "--articles", "5", "--actors", "2", "--events", "0", "--no-progress")


def test_other_databases_are_refused(desk):
    if connection.vendor == "postgresql":
        pytest.skip("the refusal is for SQLite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("generate_corpus", "--articles", "5", "--no-progress")
