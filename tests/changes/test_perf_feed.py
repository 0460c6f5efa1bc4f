"""The change feed page costs the same queries at any page size, and its entries are exactly
what the entry serializer (the schema's description) would have produced (docs/adr/0016)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIRequestFactory

from apps.api import changes as api_changes
from apps.api.views import HEAD_HEADER
from apps.changes.selectors import partner_changes
from apps.core.public_urls import absolute_url
from apps.partners.selectors import entitled_section_ids
from tests.api.factories import plan_switches
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def _queries(api, limit: int) -> int:
    api.get("/api/v1/changes/", {"after": 0, "limit": limit})  # one-off lookups (content types ...)
    with CaptureQueriesContext(connection) as captured:
        response = api.get("/api/v1/changes/", {"after": 0, "limit": limit})
    assert response.status_code == 200
    assert len(response.json()["results"]) == limit
    return len(captured)


def test_queries_are_constant_in_the_page_size(api, sahel):
    pages = [ArticlePageFactory(parent=sahel) for _ in range(12)]
    pages[0].unpublish()  # a tombstone among the upserts
    assert _queries(api, 2) == _queries(api, 12)


def test_entries_are_what_the_entry_serializer_says(api, partner, sahel):
    pages = [ArticlePageFactory(parent=sahel) for _ in range(3)]
    pages[1].unpublish()
    body = api.get("/api/v1/changes/", {"after": 0}).json()
    entries, _, _ = partner_changes(
        partner_id=partner.pk,
        section_ids=entitled_section_ids(partner),
        after=0,
        limit=100,
        through=body["head"],
    )
    request = APIRequestFactory().get("/api/v1/changes/")
    expected = []
    for entry in entries:
        row = {
            "seq": entry.seq,
            "action": entry.action,
            "reason": entry.reason,
            "object_type": entry.object_type,
            "object_id": entry.object_id,
            "uri": entry.uri,
            "url": None,
            "changed_at": entry.changed_at,
            "merged_into": entry.merged_into,
            "ninjs": None,
        }
        if entry.object_type == "article" and entry.action == "upsert":
            row["url"] = absolute_url(reverse("api:article-detail", args=[entry.object_id]))
        if entry.object_type == "article" and entry.action == "tombstone":
            row["ninjs"] = {"uri": entry.uri, "pubstatus": "withheld", "versioncreated": entry.changed_at}
        expected.append(api_changes.ChangeEntrySerializer(row, context={"request": request}).data)
    assert any(e["ninjs"] for e in expected) and any(e["url"] for e in expected)
    assert body["results"] == expected


def test_a_page_is_two_queries_at_any_limit(api, sahel, django_assert_num_queries):
    """The key with its partner and entitled sections (one statement), then one statement: the
    validators (global head, the partner's head) and the page with its seeable check
    (selectors.feed_page), on a generic plan (SET and RESET around it on PostgreSQL)."""
    pages = [ArticlePageFactory(parent=sahel) for _ in range(105)]
    pages[3].unpublish()  # a tombstone among the upserts
    for limit in (5, 100):
        api.get("/api/v1/changes/", {"after": 0, "limit": limit})  # one-off lookups
        with django_assert_num_queries(2 + plan_switches()):
            response = api.get("/api/v1/changes/", {"after": 0, "limit": limit})
        assert len(response.json()["results"]) == limit


def test_a_conditional_request_is_answered_from_the_same_statement(api, sahel, django_assert_num_queries):
    ArticlePageFactory(parent=sahel)
    first = api.get("/api/v1/changes/", {"after": 0})
    with django_assert_num_queries(2 + plan_switches()):
        again = api.get("/api/v1/changes/", {"after": 0}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again[HEAD_HEADER] == first[HEAD_HEADER] == str(first.json()["head"])
