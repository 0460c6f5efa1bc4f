"""`manage.py generate_corpus`: deterministic, a valid Wagtail tree, visible through every surface."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from wagtail.models import Page, Revision
from wagtail.search.models import IndexEntry

from apps.articles.models import ArticleActor, ArticlePage
from apps.changes.models import Change, ChangeCounter
from apps.corpus.generator import BULK_TABLES, CorpusError, _bulk_load, corpus_sections, generate
from apps.partners.selectors import partner_articles
from tests.factories import ArticlePageFactory

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


def _schema() -> dict[str, list[tuple]]:
    """Every constraint and index of the schema as the catalog defines it (names, kinds, modes)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT con.conrelid::regclass::text, con.conname, con.contype, con.condeferrable,
                   con.condeferred, con.convalidated, pg_get_constraintdef(con.oid)
            FROM pg_constraint con JOIN pg_namespace nsp ON nsp.oid = con.connamespace
            WHERE nsp.nspname = current_schema() ORDER BY 1, 2
            """
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1, 2"
        )
        return {"constraints": constraints, "indexes": cursor.fetchall()}


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
def test_after_generation_the_schema_is_exactly_what_migrations_made(desk):
    before = _schema()
    loaded = {table for table, *_ in before["indexes"]} & set(BULK_TABLES)
    dropped = [c for c in before["constraints"] if c[0] in loaded and c[2] in "fu"]
    assert len(dropped) > 30  # the load really drops and rebuilds foreign keys and unique ones
    generate(articles=30, actors=10, events=5, seed=5)
    assert _schema() == before
    # The rebuilt foreign keys still wait for COMMIT, as Django declares them.
    page = ArticlePage.objects.filter(section__in=corpus_sections()).values_list("pk", flat=True)[0]
    inserted = False
    with (
        pytest.raises(IntegrityError, match="author_id"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO articles_articlebyline (sort_order, page_id, author_id) VALUES (0, %s, -1)", [page]
        )
        inserted = True
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    assert inserted


@pytest.mark.postgres
def test_a_dangling_row_fails_the_rebuild_with_one_line_and_keeps_the_schema(desk):
    before = _schema()
    page = ArticlePageFactory().pk  # also queues deferred checks the load must settle first
    with (
        pytest.raises(CorpusError) as refused,
        transaction.atomic(),
        _bulk_load(["articles_articleactor"]),
        connection.cursor() as cursor,
    ):
        # An actor that does not exist: accepted while the foreign key is dropped.
        cursor.execute(
            "INSERT INTO articles_articleactor (role, relevance, origin, confirmed, actor_id, page_id)"
            " VALUES ('subject', 1.0, 'manual', true, -7, %s)",
            [page],
        )
    message = str(refused.value)
    assert "\n" not in message
    assert re.match(r"articles_articleactor_actor_id_\w+ on articles_articleactor does not hold", message)
    assert "(actor_id)=(-7)" in message and "nothing was written" in message
    assert _schema() == before
    assert not ArticleActor.objects.filter(actor_id=-7).exists()


@pytest.mark.postgres
def test_the_written_search_vectors_are_the_ones_postgresql_computes(corpus):
    from modelsearch.backends.database.postgres.weights import get_weight

    entries = IndexEntry.objects.filter(
        object_id__in=[str(pk) for pk in ArticlePage.objects.values_list("pk", flat=True)]
    )
    assert entries.count() >= corpus.counts["articles"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT count(*) FILTER (WHERE title <> setweight(to_tsvector('english', title_text), %s)
                OR autocomplete <> setweight(to_tsvector('simple', title_text), 'D')
                OR body <> setweight(to_tsvector('english', body_text), %s)), count(*)
            FROM {IndexEntry._meta.db_table} WHERE id = ANY(%s)
            """,  # noqa: S608 - table from the model
            [get_weight(2), get_weight(1), list(entries.values_list("id", flat=True))],
        )
        assert cursor.fetchone() == (0, entries.count())


@pytest.mark.postgres
def test_a_second_run_is_refused_with_one_clear_line(corpus):
    with pytest.raises(CommandError, match="already in this database"):
        call_command("generate_corpus", "--articles", "5", "--actors", "2", "--events", "0", "--no-progress")


def test_other_databases_are_refused(desk):
    if connection.vendor == "postgresql":
        pytest.skip("the refusal is for SQLite")
    with pytest.raises(CommandError, match="needs PostgreSQL"):
        call_command("generate_corpus", "--articles", "5", "--no-progress")
