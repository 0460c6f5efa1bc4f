"""The deep cursor is a row comparison PostgreSQL starts the index scan at: EXPLAIN on a corpus
(docs/adr/0016-performance-at-scale.md). The OR chain it replaced fails the same check."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.api.filters import ORDERINGS
from apps.api.pagination import _after_or
from apps.partners.selectors import partner_articles

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
    return next(q["sql"] for q in captured if "LIMIT" in q["sql"] and '"published_at" DESC' in q["sql"])


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
