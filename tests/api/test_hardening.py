"""No input makes the partner API answer 500: edge dates, impossible cursors, numbers beyond 64
bits, characters the search backend or the database cannot take, too many parameters."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import override_settings

from tests.api.factories import ActorFactory, ArticlePageFactory, tags

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
HUGE = "99999999999999999999999"


def cursor(payload) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def assert_bad_param(response, name: str) -> dict:
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == "urn:newsdesk:problem:invalid-request"
    assert name in {item["name"] for item in body["invalid_params"]}
    return body


@pytest.fixture
def story(sahel):
    mali = ActorFactory(name="Mali", slug="mali")
    return ArticlePageFactory(parent=sahel, title="Bamako hosts the border talks", **tags(actors=[mali]))


@pytest.mark.parametrize("name", ["published_after", "published_before", "updated_since"])
@pytest.mark.parametrize(
    "value", ["9999-12-31", "0001-01-01", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"]
)
def test_dates_at_the_edge_of_the_range_are_answered(api, story, name, value):
    response = api.get("/api/v1/articles/", {name: value})
    assert response.status_code == 200, response.content
    found = {item["id"] for item in response.json()["results"]}
    # Year 1 is before every story and year 9999 after it: the filters mean just that.
    after = name in {"published_after", "updated_since"}
    early = value.startswith("0001")
    assert found == ({story.pk} if after == early else set())


@pytest.mark.parametrize(
    "values",
    [
        ["2025-13-01T00:00:00+00:00", 1],  # month 13
        ["2025-04-03T10:00:00+00:00", "seven"],  # a non-number id
        ["2025-04-03T10:00:00+00:00", int(HUGE)],  # an id beyond 64 bits
        ["0001-01-01T00:00:00+05:00", 1],  # before year 1 in UTC
        ["2025-04-03T10:00:00", 1],  # no offset: never one of ours
    ],
)
def test_a_cursor_with_an_impossible_position_is_a_400(api, story, values):
    token = cursor({"o": "-published", "b": False, "v": values})
    assert_bad_param(api.get("/api/v1/articles/", {"cursor": token}), "cursor")


def test_a_deeply_nested_or_overlong_cursor_is_a_400(api, story):
    assert_bad_param(api.get("/api/v1/articles/", {"cursor": "W" * 600}), "cursor")
    nested = base64.urlsafe_b64encode(b"[" * 300).decode()
    assert_bad_param(api.get("/api/v1/articles/", {"cursor": nested}), "cursor")


@pytest.mark.parametrize(
    "path",
    [f"/api/v1/articles/{HUGE}/", f"/api/v1/sections/{HUGE}/", "/api/v1/articles/9223372036854775808/"],
)
def test_an_id_beyond_64_bits_is_a_404_problem(api, story, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM


def test_the_largest_storable_id_is_an_ordinary_404(api, story):
    response = api.get("/api/v1/articles/9223372036854775807/")
    assert response.status_code == 404
    assert response.json()["type"] == "urn:newsdesk:problem:not-found"


@pytest.mark.parametrize("name", ["actor", "event", "place"])
def test_a_filter_id_beyond_64_bits_names_nothing(api, story, name):
    body = assert_bad_param(api.get("/api/v1/articles/", {name: HUGE}), name)
    assert HUGE in body["detail"]


@pytest.mark.parametrize(
    ("name", "value"),
    [("page_size", HUGE), ("page_size", "²"), ("page_size", "0"), ("page_size", "101")],
)
def test_numbers_out_of_range_are_a_400(api, story, name, value):
    assert_bad_param(api.get("/api/v1/articles/", {name: value}), name)


def test_page_size_bounds_are_inclusive(api, story):
    assert api.get("/api/v1/articles/", {"page_size": "1"}).status_code == 200
    assert api.get("/api/v1/articles/", {"page_size": "100"}).status_code == 200


@pytest.mark.parametrize(
    ("name", "value"), [("after", HUGE), ("limit", HUGE), ("after", "-1"), ("limit", "501")]
)
def test_change_feed_numbers_out_of_range_are_a_400(api, story, name, value):
    assert_bad_param(api.get("/api/v1/changes/", {name: value}), name)


def test_a_nul_character_is_a_400_naming_the_parameter(api, story):
    assert_bad_param(api.get("/api/v1/articles/?q=%00"), "q")
    assert_bad_param(api.get("/api/v1/articles/?actor=mali%00"), "actor")


@pytest.mark.parametrize(
    ("value", "matches"),
    [('"unterminated', False), ('"Bamako', True), ('Bamako"', True), ('"border talks"', True)],
)
def test_double_quotes_in_a_search_do_not_break_the_search_backend(api, story, value, matches):
    response = api.get("/api/v1/articles/", {"q": value})
    assert response.status_code == 200, response.content
    assert {item["id"] for item in response.json()["results"]} == ({story.pk} if matches else set())


def test_a_search_of_quotes_only_is_empty_and_a_400(api, story):
    assert_bad_param(api.get("/api/v1/articles/", {"q": '""'}), "q")


def test_an_overlong_value_is_a_400(api, story):
    assert_bad_param(api.get("/api/v1/articles/", {"actor": "m" * 1001}), "actor")


@pytest.mark.parametrize("debug", [False, True])
def test_more_query_parameters_than_django_accepts_is_a_400_problem(api, story, debug):
    query = "&".join(f"p{n}=1" for n in range(1001))
    with override_settings(DEBUG=debug):
        response = api.get(f"/api/v1/articles/?{query}")
    body = assert_bad_param(response, "query")
    assert "1000" in body["detail"]


def test_too_many_parameters_with_a_bad_key_is_still_a_400(partner):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer nd_0123456789ab_" + "x" * 43)
    query = "&".join(f"p{n}=1" for n in range(1001))
    assert_bad_param(client.get(f"/api/v1/sections/?{query}"), "query")


@pytest.mark.parametrize("query", ["version=%0A", "lang=%0A%C4%80", "format=yaml"])
def test_the_schema_takes_no_parameters(anon, query):
    # drf-spectacular put `version` into the Content-Disposition header: a newline was a 500.
    assert_bad_param(anon.get(f"/api/v1/schema/?{query}"), query.split("=")[0])


def test_the_schema_without_parameters_is_served(anon):
    assert anon.get("/api/v1/schema/", HTTP_ACCEPT="application/json").status_code == 200
