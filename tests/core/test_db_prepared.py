"""PostgreSQL binds parameters on the server and psycopg prepares repeated statements, so the partner
API's page query is planned once per connection instead of on every request
(newsdesk/settings/database.py, docs/adr/0016-notes/planning.md)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from apps.partners.models import ApiKey
from newsdesk.settings.database import DEFAULT_PREPARE_THRESHOLD, database_from_env, postgresql_options
from tests.factories import ArticlePageFactory

PG_URL = "postgres://postgres@127.0.0.1:5432/newsdesk"
URL = "/api/v1/articles/?page_size=7"


def _options(threshold: str | None) -> dict:
    return database_from_env(PG_URL, default_sqlite_path=Path("x"), prepare_threshold=threshold)["OPTIONS"]


def test_postgresql_binds_on_the_server_and_prepares_by_default():
    assert DEFAULT_PREPARE_THRESHOLD == "5"
    assert _options(None) == {"server_side_binding": True, "prepare_threshold": 5}


@pytest.mark.parametrize("value", ["off", "OFF", "", " "])
def test_off_keeps_djangos_client_side_binding(value):
    # Django then passes prepare_threshold=None: nothing is prepared (for poolers that cannot keep them).
    assert _options(value) == {}


@pytest.mark.parametrize(("value", "threshold"), [("0", 0), ("1", 1), (" 12 ", 12)])
def test_a_threshold_is_passed_to_psycopg(value, threshold):
    assert _options(value) == {"server_side_binding": True, "prepare_threshold": threshold}


@pytest.mark.parametrize("value", ["-1", "five"])
def test_a_bad_threshold_is_refused(value):
    with pytest.raises(ValueError):
        _options(value)


def test_sqlite_is_untouched(tmp_path):
    config = database_from_env(None, default_sqlite_path=tmp_path / "db.sqlite3", prepare_threshold="0")
    assert "server_side_binding" not in config["OPTIONS"]
    assert "prepare_threshold" not in config["OPTIONS"]


def _page_statements() -> list[tuple[str, int, int]]:
    """The prepared page queries of this connection: (statement, generic plans, custom plans)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE %s AND statement LIKE %s",
            ['SELECT "articles_articlepage"."page_ptr_id" AS "id", %', "%LIMIT 8"],
        )
        return cursor.fetchall()


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_repeated_api_list_is_served_from_one_prepared_statement(api, sahel):
    expected = postgresql_options(os.environ.get("DATABASE_PREPARE_THRESHOLD"))
    if not expected:
        pytest.skip("DATABASE_PREPARE_THRESHOLD=off: client-side binding, nothing prepared")
    assert connection.settings_dict["OPTIONS"].items() >= expected.items()
    threshold = expected["prepare_threshold"]
    connection.ensure_connection()
    assert connection.connection.prepare_threshold == threshold
    for n in range(3):
        ArticlePageFactory(parent=sahel, title=f"Border talks resume, round {n}")
    first = api.get(URL).json()
    assert _page_statements() == [] or threshold == 0
    requests = threshold + 4
    for _ in range(requests - 1):
        assert api.get(URL).json() == first
    [(statement, generic, custom)] = _page_statements()
    # psycopg runs the same SQL text `threshold` times as it is, then prepared from then on; the
    # parameters (section ids, the request's time) are bound, not spelled into the text.
    assert "$1" in statement
    assert generic + custom == requests - threshold
    assert len(first["results"]) == 3


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_prepared_page_query_still_refuses_a_revoked_key_at_once(api, sahel, key):
    ArticlePageFactory(parent=sahel, title="Border talks resume")
    for _ in range(8):
        assert api.get(URL).status_code == 200
    ApiKey.objects.update(revoked_at=timezone.now())
    assert api.get(URL).status_code == 401
