"""generic_plans(): statements inside run on PostgreSQL's generic plan, and nothing else does
(apps/core/plans.py)."""

from __future__ import annotations

import pytest
from django.db import DataError, connection, transaction
from django.test.utils import CaptureQueriesContext

from apps.core.plans import generic_plans, generic_plans_apply
from tests.api.factories import is_page_query, is_plan_switch
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL planner setting")


def _mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


@postgres
def test_statements_inside_take_the_generic_plan_and_the_setting_ends_with_the_block():
    assert generic_plans_apply(connection)
    before = _mode()
    with generic_plans():
        assert _mode() == "force_generic_plan"
        with generic_plans():  # nested: the inner block leaves the outer one's setting alone
            pass
        assert _mode() == "force_generic_plan"
    assert _mode() == before != "force_generic_plan"


@postgres
def test_a_failing_statement_inside_a_transaction_raises_its_own_error_and_the_setting_goes():
    before = _mode()
    with pytest.raises(DataError), transaction.atomic(), generic_plans(), connection.cursor() as cursor:
        cursor.execute("SELECT 1 / 0")  # the transaction (a savepoint here) is aborted: nothing sent into it
    assert _mode() == before


@postgres
def test_without_prepared_statements_nothing_is_sent(monkeypatch):
    connection.ensure_connection()
    monkeypatch.setattr(connection.connection, "prepare_threshold", None)
    with CaptureQueriesContext(connection) as captured, generic_plans():
        assert _mode() != "force_generic_plan"
    assert [query["sql"] for query in captured] == ["SHOW plan_cache_mode"]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite has no plan cache setting")
def test_on_sqlite_nothing_is_sent():
    with CaptureQueriesContext(connection) as captured, generic_plans():
        pass
    assert len(captured) == 0


def _switched(sql_of_interest, queries: list[str]) -> bool:
    """The statement matching `sql_of_interest` ran right after a SET and before a SET back."""
    at = next(i for i, sql in enumerate(queries) if sql_of_interest(sql))
    return (
        0 < at < len(queries) - 1
        and queries[at - 1] == "SET LOCAL plan_cache_mode = force_generic_plan"
        and queries[at + 1] == "SET LOCAL plan_cache_mode TO DEFAULT"
    )


def _queries(api, url: str) -> list[str]:
    api.get(url)  # one-off lookups (site root paths)
    with CaptureQueriesContext(connection) as captured:
        assert api.get(url).status_code == 200
    return [query["sql"] for query in captured]


@postgres
def test_the_plain_and_section_lists_and_the_feed_run_generic_and_a_tag_filter_does_not(api, sahel):
    from tests.api.factories import ActorFactory, tags

    actor = ActorFactory()
    ArticlePageFactory(parent=sahel, **tags(actors=[actor]))
    for url in (
        "/api/v1/articles/",
        f"/api/v1/articles/?section={sahel.slug}",
        "/api/v1/articles/?published_after=2001-01-01",
    ):
        assert _switched(is_page_query, _queries(api, url)), url
    tagged = _queries(api, f"/api/v1/articles/?actor={actor.pk}")
    assert not any(is_plan_switch(sql) for sql in tagged)
    feed = _queries(api, "/api/v1/changes/?after=0")
    assert _switched(lambda sql: "FROM (SELECT 1 AS one)" in sql and " p ON TRUE" in sql, feed)


@postgres
def test_the_prepared_page_statement_is_never_planned_per_call(api, sahel):
    """PostgreSQL's own count: once prepared (after DATABASE_PREPARE_THRESHOLD runs), the section
    list's page statement had a custom plan for each of its first five calls without
    generic_plans(), and every call after too, as its generic plan's estimate is worse."""
    ArticlePageFactory(parent=sahel)
    threshold = connection.connection.prepare_threshold
    for _ in range(threshold + 8):
        api.get(f"/api/v1/articles/?section={sahel.slug}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s AND statement LIKE %s",
            ['SELECT "articles_articlepage"."page_ptr_id" AS "id"%', '%"section_id" IN%'],
        )
        plans = cursor.fetchall()
    assert plans, "the page statement was not prepared"
    assert all(custom == 0 and generic >= 8 for generic, custom in plans), plans


@postgres
@pytest.mark.django_db(transaction=True)
def test_in_autocommit_the_block_is_its_own_transaction_and_leaves_the_session_as_it_was():
    """As in production (no transaction around a request): a pooler that hands the server
    connection to another client after each transaction hands it over with the setting gone."""
    before = _mode()
    with generic_plans():
        assert connection.in_atomic_block
        assert _mode() == "force_generic_plan"
    assert not connection.in_atomic_block
    assert _mode() == before != "force_generic_plan"
