"""Property: whatever a client sends to any parameter of any endpoint, the answer is a 2xx or a 4xx
problem+json, never a 5xx.

Endpoints and their parameters come from the OpenAPI document itself (so a new parameter is
fuzzed without editing this file), plus the schema view's own. CI runs FUZZ_EXAMPLES examples
(default 200); `make fuzz` runs thousands, on whatever database DATABASE_URL names.
"""

from __future__ import annotations

import os
from urllib.parse import quote

import pytest
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from apps.partners.models import RateTier
from tests.api.factories import ActorFactory, ArticlePageFactory, EventFactory, PlaceFactory, tags
from tests.partners.factories import PartnerFactory, issue_key

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
PROBLEM = "application/problem+json"

# Values at the edges the parsers, the ORM and the database drivers have tripped on.
EDGE_VALUES = [
    "",
    " ",
    "0",
    "-1",
    "1",
    "100",
    "101",
    "501",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999",
    "-99999999999999999999999",
    "1e309",
    "NaN",
    "²",
    "٣",
    "9999-12-31",
    "0001-01-01",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
    "2025-13-01",
    "2025-02-30",
    "2025-04-03T25:00",
    "2025-04-03T10:30:00 02:00",
    "\x00",
    "a\x00b",
    '"unterminated',
    "'",
    "*",
    "(",
    "NEAR(",
    "a AND",
    "NOT",
    "-mali",
    "mali,niger|chad",
    "a,,b",
    "|",
    ",",
    "Q1",
    "Q99999999999999999999999",
    "../../etc/passwd",
    "%",
    "%00",
    "\\",
    "\u202e",
    "\ufffd",
    "🙂" * 30,
    "x" * 1001,
    "eyJvIjoiLXB1Ymxpc2hlZCIsImIiOmZhbHNlLCJ2IjpbIjIwMjUtMTMtMDFUMDA6MDA6MDArMDA6MDAiLDFdfQ",
    "eyJvIjoicmVsZXZhbmNlIiwiYiI6ZmFsc2UsInYiOls5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTldfQ",
    "W1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tb",
]
IDS = ["0", "1", "9223372036854775807", "9223372036854775808", "99999999999999999999999", "00001"]
ACCEPTS = [
    "application/json",
    "application/vnd.iptc.ninjs+json",
    "text/html",
    "*/*",
    "application/x-nonsense",
]


def _endpoints() -> list[tuple[str, list[str]]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, operations in sorted(schema["paths"].items()):
        names = [param["name"] for param in operations["get"].get("parameters", []) if param["in"] == "query"]
        found.append((path, names))
    # The schema view is left out of its own document; it reads `lang` and `version`.
    found.append(("/api/v1/schema/", ["lang", "version", "format"]))
    return found


def _values(names: list[str]):
    value = st.one_of(st.sampled_from(EDGE_VALUES), st.text(max_size=40), st.integers().map(str))
    name = (
        st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=12)) if names else st.text(max_size=12)
    )
    return st.lists(st.tuples(name, value), max_size=4)


@st.composite
def requests(draw, endpoints, ids):
    path, names = draw(st.sampled_from(endpoints))
    if "{id}" in path:
        kind = path.split("/")[3]
        path = path.replace("{id}", draw(st.sampled_from([*IDS, *ids.get(kind, [])])))
    pairs = draw(_values(names))
    query = "&".join(f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in pairs)
    return path + (f"?{query}" if query else ""), draw(st.sampled_from(ACCEPTS))


@pytest.fixture
def fuzz_world(desk, sahel):
    mali = ActorFactory(name="Mali", slug="mali", country="ML", wikidata_qid="Q912")
    bamako = PlaceFactory(name="Bamako", slug="bamako", country="ML")
    summit = EventFactory(title="Border talks in Bamako", slug="border-talks")
    article = ArticlePageFactory(
        parent=sahel,
        title="Bamako hosts the border talks",
        **tags(actors=[mali], events=[summit], places=[bamako]),
    )
    partner = PartnerFactory(name="Fuzzing Wire", sections=[sahel], rate_tier=RateTier.PREMIUM)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_key(partner).plaintext}")
    ids = {
        "articles": [str(article.pk)],
        "sections": [str(sahel.pk)],
        "actors": [str(mali.pk)],
        "places": [str(bamako.pk)],
        "events": [str(summit.pk)],
    }
    return client, ids


@override_settings(
    PARTNER_API_RATE_LIMITS={"basic": "1000000/min", "standard": "1000000/min", "premium": "1000000/min"}
)
def test_no_input_gets_a_server_error(fuzz_world):
    client, ids = fuzz_world
    endpoints = _endpoints()
    assert {path for path, _ in endpoints} >= {
        "/api/v1/articles/",
        "/api/v1/articles/{id}/",
        "/api/v1/sections/",
        "/api/v1/actors/",
        "/api/v1/events/",
        "/api/v1/places/",
        "/api/v1/changes/",
        "/api/v1/schema/",
    }
    sent: list[str] = []

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(requests(endpoints, ids))
    def one_request(request):
        url, accept = request
        sent.append(url)
        response = client.get(url, HTTP_ACCEPT=accept)
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code >= 400:
            assert response["Content-Type"] == PROBLEM, (url, response.status_code, response["Content-Type"])

    one_request()
    print(f"\nfuzz: {len(sent)} requests, 0 responses >= 500")
