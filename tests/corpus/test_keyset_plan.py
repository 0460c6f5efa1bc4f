"""The deep cursor is a row comparison PostgreSQL starts the index scan at: EXPLAIN on a corpus
(docs/adr/0016-performance-at-scale.md). The OR chain it replaced fails the same check."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from apps.api.filters import ORDERINGS
from apps.api.pagination import _after_or
from apps.articles.selectors import public_actor_tags
from apps.partners.selectors import partner_articles
from tests.api.factories import is_page_query

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

URL = "/api/v1/articles/"


def _article_scans(plan: dict) -> list[dict]:
    found = [plan] if plan.get("Relation Name") == "articles_articlepage" else []
    for child in plan.get("Plans", []):
        found += _article_scans(child)
    return found


def bounded_by_the_index(sql: str, params=None) -> bool:
    """Whether the article scan starts at the cursor: the position is the Index Cond of an index
    scan in the page's order, not a Filter over every row from the top of the index.

    A small table is cheaper to read whole and sort, so the planner is told to walk an index in
    the page's order, as it does on a desk-sized table (100k articles: docs/adr/0016)."""
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        raw = cursor.fetchone()[0]
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"RESET {setting}")
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
    text = json.dumps(plan)
    scans = _article_scans(plan)
    bounded = any(
        scan["Node Type"].startswith("Index")
        and "published_at" in scan.get("Index Cond", "")
        and "page_ptr_id" in scan.get("Index Cond", "")
        for scan in scans
    )
    return bounded and '"Sort"' not in text and not any("published_at" in s.get("Filter", "") for s in scans)


def _deep_page_sql(api) -> str:
    first = api.get(f"{URL}?page_size=20").json()
    with CaptureQueriesContext(connection) as captured:
        assert api.get(first["next"]).status_code == 200
    return next(q["sql"] for q in captured if is_page_query(q["sql"]))


def test_the_deep_cursor_plan_uses_the_index_bound(corpus, api):
    sql = _deep_page_sql(api)
    assert bounded_by_the_index(sql), sql


def test_the_or_form_of_the_same_position_is_not_bounded(corpus, partner):
    """Pins the check above: the same page with `published_at < x OR (published_at = x AND id < y)`."""
    visible = partner_articles(partner).order_by("-published_at", "-page_ptr_id")
    middle = visible[150]
    position = _after_or(ORDERINGS["-published"], (middle.published_at, middle.pk), reverse=False)
    sql, params = visible.filter(position)[:21].query.sql_with_params()
    assert not bounded_by_the_index(sql, params)


# ---------------------------------------------------------------------------- the actor filter


def _article_rows_read(sql: str, params=None) -> int:
    """Rows the page query reads from articles_articlepage (EXPLAIN ANALYZE), as on a desk-sized
    table: the planner is told not to read the table whole, as it would not at 100k."""
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        raw = cursor.fetchone()[0]
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"RESET {setting}")
    plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
    return sum(scan["Actual Rows"] * scan["Actual Loops"] for scan in _article_scans(plan))


def _rare_actor():
    """A public actor with a few confirmed tags on visible articles (the tail of the Zipf curve)."""
    counts = public_actor_tags().values("actor_id").annotate(n=Count("id")).order_by("n", "actor_id")
    return next(row for row in counts if row["n"] >= 2)


def _page_sql(api, url: str) -> str:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(url)
    assert response.status_code == 200, response.content
    return next(q["sql"] for q in captured if is_page_query(q["sql"]))


def test_a_rare_actors_page_reads_only_its_tagged_articles(corpus, api):
    """The tag ids are read first and the page query reads those articles alone; the semi-join
    it replaced walked the date index over every visible article (24 s at 100k: docs/adr/0016)."""
    rare = _rare_actor()
    sql = _page_sql(api, f"{URL}?page_size=20&actor={rare['actor_id']}")
    assert _article_rows_read(sql) <= rare["n"], sql


def test_two_actors_and_reads_only_the_rare_ones_articles(corpus, api):
    """AND of a rare actor and the most tagged actor sharing one of its articles."""
    rare = _rare_actor()
    pages = public_actor_tags().filter(actor_id=rare["actor_id"]).values("page_id")
    shared = public_actor_tags().filter(page_id__in=pages).exclude(actor_id=rare["actor_id"])
    popular = (
        public_actor_tags()
        .filter(actor_id__in=shared.values("actor_id"))
        .values("actor_id")
        .annotate(n=Count("id"))
        .order_by("-n", "actor_id")
        .first()
    )
    assert popular["n"] > rare["n"]
    sql = _page_sql(api, f"{URL}?page_size=20&actor={rare['actor_id']},{popular['actor_id']}")
    assert _article_rows_read(sql) <= rare["n"], sql


def test_the_semi_join_form_reads_more_than_the_tagged_articles(corpus, partner):
    """Pins the check above: the same filter as `pk IN (SELECT page_id FROM tags ...)`."""
    rare = _rare_actor()
    tags = public_actor_tags().filter(actor_id=rare["actor_id"]).values("page_id")
    visible = partner_articles(partner).filter(pk__in=tags).order_by("-published_at", "-page_ptr_id")
    sql, params = visible[:21].query.sql_with_params()
    assert _article_rows_read(sql, params) > rare["n"]
