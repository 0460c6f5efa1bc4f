"""The auth matrix: every endpoint of the served OpenAPI document x every kind of caller -> the
exact status and problem type; and a key cannot be recovered from anything the database holds.

A new endpoint enters the matrix by being in the document; `test_the_document_lists_every_route`
fails if a route is served but left out of it.
"""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.urls import get_resolver
from rest_framework.test import APIClient

from apps.partners.keys import hash_secret
from apps.partners.models import ApiKey
from apps.partners.services import flush_key_usage
from tests.security.conftest import bearer

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
URN = "urn:newsdesk:problem:"
# Caller state -> (status, problem slug, a word the detail must contain).
REFUSED = {
    "none": (401, "unauthenticated", "not provided"),
    "malformed": (401, "unauthenticated", "malformed"),
    "unknown": (401, "unauthenticated", "not recognised"),
    "revoked": (401, "unauthenticated", "revoked"),
    "expired": (401, "unauthenticated", "expired"),
    "suspended": (403, "forbidden", "not active"),
}
# Served without a key on purpose (ADR 0006); the document leaves itself out.
PUBLIC = ["/api/v1/schema/", "/api/v1/docs/"]


def served_paths() -> list[str]:
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert all(list(operations) == ["get"] for operations in document["paths"].values())
    return sorted(document["paths"])


def kind_of(path: str) -> str:
    return path.split("/")[3]  # /api/v1/<kind>/...


def url_for(path: str, world: dict, *, other: bool) -> str:
    if "{id}" not in path:
        return path
    kind = kind_of(path)
    ids = {
        "articles": (world["theirs"] if other else world["own"]).pk,
        "sections": (world["theirs"] if other else world["own"]).section_id,
        "actors": world["actor"].pk,
        "events": world["event"].pk,
        "places": world["place"].pk,
    }
    return path.replace("{id}", str(ids[kind]))


def test_the_document_lists_every_route():
    paths = served_paths()
    assert len(paths) == 11
    routes = {
        "/api/v1/" + str(pattern.pattern).replace("<id:pk>", "{id}")
        for pattern in get_resolver().url_patterns
        if str(pattern.pattern) == "api/v1/"
        for pattern in pattern.url_patterns
        if str(pattern.pattern) != "^"
    }
    assert routes == set(paths) | set(PUBLIC)


@pytest.mark.parametrize("state", REFUSED)
def test_every_endpoint_refuses_a_caller_without_a_working_key(two_partners, keys, state):
    status, slug, detail = REFUSED[state]
    client = bearer(keys[state])
    wrong = []
    for path in served_paths():
        url = url_for(path, two_partners, other=False)
        response = client.get(url)
        body = response.json() if response["Content-Type"] == PROBLEM else {}
        got = (response.status_code, body.get("type"), detail in body.get("detail", ""), body.get("instance"))
        if got != (status, URN + slug, True, url):
            wrong.append((url, got))
        # 401 tells the client how to authenticate; 403 (a known, suspended partner) does not.
        if (status == 401) != ("WWW-Authenticate" in response):
            wrong.append((url, "WWW-Authenticate"))
    assert wrong == []


@pytest.mark.parametrize("state", [*REFUSED, "valid"])
def test_the_schema_and_docs_answer_every_caller(two_partners, keys, state):
    client = bearer(keys[state])
    assert [client.get(path).status_code for path in PUBLIC] == [200, 200]


def test_a_valid_key_reads_every_endpoint(two_partners, keys):
    client = bearer(keys["valid"])
    answers = {path: client.get(url_for(path, two_partners, other=False)) for path in served_paths()}
    assert {path: r.status_code for path, r in answers.items()} == dict.fromkeys(answers, 200)
    assert all(r["Content-Type"] == "application/json" for r in answers.values())


def test_another_partners_resource_is_not_found_or_absent(two_partners, keys):
    client = bearer(keys["other"])
    theirs = two_partners["theirs"]
    wrong = []
    for path in served_paths():
        url = url_for(path, two_partners, other=True)
        response = client.get(url)
        text = response.content.decode()
        if kind_of(path) in {"articles", "sections"} and "{id}" in path:
            # Someone else's article or section is a 404, exactly as if it did not exist.
            body = response.json()
            if (response.status_code, body["type"], body["instance"]) != (404, URN + "not-found", url):
                wrong.append((url, response.status_code, body.get("type")))
        elif response.status_code != 200:
            wrong.append((url, response.status_code))
        # Lists, the change feed and the registry's article lists never mention it.
        if theirs.title in text or theirs.slug in text or f'"id": {theirs.pk},' in text.replace('":', '": '):
            wrong.append((url, "mentions the other partner's article"))
    assert wrong == []
    # Naming the other partner's section in a filter is the 400 of a section that does not exist.
    missing = client.get("/api/v1/articles/", {"section": "no-such-section"}).json()
    named = client.get("/api/v1/articles/", {"section": theirs.section.slug}).json()
    assert named["status"] == missing["status"] == 400
    assert named["type"] == missing["type"] == URN + "invalid-request"


def _everything_stored() -> str:
    out = io.StringIO()
    call_command("dumpdata", format="json", stdout=out)
    return out.getvalue()


def test_a_key_cannot_be_recovered_from_the_database(two_partners, keys):
    plaintext = keys["valid"]
    prefix, secret = plaintext[len("nd_") :].split("_", 1)
    client = bearer(plaintext)
    # Leave every trace a key can leave: use, an error with the key in the query string, usage.
    assert client.get("/api/v1/articles/").status_code == 200
    assert client.get("/api/v1/articles/", {"api_key": plaintext}).status_code == 400
    assert flush_key_usage() >= 1  # the usage counters reach their table
    stored = _everything_stored()
    assert prefix in stored  # the public half is the lookup
    assert secret not in stored
    assert plaintext not in stored
    row = ApiKey.objects.get(prefix=prefix)
    # Only the peppered HMAC is kept: 64 hex characters, not the secret in any encoding.
    assert len(row.secret_hash) == 64 and int(row.secret_hash, 16) >= 0
    assert row.secret_hash == hash_secret(prefix, secret)
    assert row.secret_hash != hashlib.sha256(f"{prefix}:{secret}".encode()).hexdigest()  # peppered
    assert secret not in json.dumps(row.recent_errors)
