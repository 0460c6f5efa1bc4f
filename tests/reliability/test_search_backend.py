"""On PostgreSQL, site search and the API's `q` run on PostgreSQL full-text search."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.database.postgres.postgres import PostgresSearchBackend

from apps.articles.models import ArticlePage
from tests.factories import ArticlePageFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_search_backend_in_use_is_postgresql_full_text_search(sahel):
    assert isinstance(get_search_backend(), PostgresSearchBackend)
    article = ArticlePageFactory(parent=sahel, title="Harmattan dust grounds flights")
    with CaptureQueriesContext(connection) as queries:
        hits = list(ArticlePage.objects.live().search("harmattan"))
    assert article in hits
    assert any("tsquery" in query["sql"].lower() for query in queries.captured_queries)
