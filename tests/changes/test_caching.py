"""ETag / Last-Modified / 304 on the change feed, derived from the change log (apps/api/caching.py).

The mixin is applied to the feed here; the other partner endpoints take it with a one-line change
in apps/api/views.py once their query budgets allow the validator queries (see the report)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.changes.selectors import head
from tests.factories import ArticlePageFactory
from tests.partners.factories import PartnerFactory, issue_key

pytestmark = pytest.mark.django_db

FEED = "/api/v1/changes/"


def test_etag_round_trips_to_304(api, sahel):
    ArticlePageFactory(parent=sahel)
    first = api.get(FEED)
    assert first.status_code == 200 and first["ETag"]
    again = api.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again.content == b""


def test_last_modified_round_trips_to_304(api, sahel):
    ArticlePageFactory(parent=sahel)
    first = api.get(FEED)
    assert api.get(FEED, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_unpublishing_an_item_changes_the_validator(api, sahel):
    page = ArticlePageFactory(parent=sahel)
    first = api.get(FEED)
    page.unpublish()
    after = api.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert after["Last-Modified"]


def test_query_string_is_part_of_the_validator(api, sahel):
    ArticlePageFactory(parent=sahel)
    first = api.get(FEED)
    assert api.get(FEED, {"after": 1}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_responses_are_private_and_vary_on_accept_and_authorization(api, sahel):
    response = api.get(FEED)
    assert response["Cache-Control"] == "private, no-cache"
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Accept", "Authorization"} <= vary


def test_partners_never_share_a_validator(api, sahel):
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_key(PartnerFactory(sections=[sahel])).plaintext}")
    mine = api.get(FEED)
    assert other.get(FEED, HTTP_IF_NONE_MATCH=mine["ETag"]).status_code == 200


def test_responses_carry_the_head(api, sahel):
    ArticlePageFactory(parent=sahel)
    response = api.get(FEED)
    assert int(response["X-Newsdesk-Change-Head"]) == head().seq == response.json()["head"] > 0


def test_feed_validator_follows_the_global_head(api, sahel, west_africa):
    first = api.get(FEED)
    ArticlePageFactory(parent=west_africa)  # not for this partner, but the body's head moves
    assert api.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
