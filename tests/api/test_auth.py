"""The auth matrix: exact status codes and problem+json bodies for every kind of caller."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.partners import services
from apps.partners.models import ApiKey, Partner
from tests.partners.factories import issue_key

pytestmark = pytest.mark.django_db

URL = "/api/v1/sections/"
PROBLEM = "application/problem+json"


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def assert_problem(response, status: int, slug: str, detail_part: str = "") -> dict:
    assert response.status_code == status
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"] == f"urn:newsdesk:problem:{slug}"
    assert body["status"] == status
    assert body["title"]
    assert detail_part in body["detail"]
    assert body["instance"] == URL
    return body


def test_no_key_is_401_with_www_authenticate(anon):
    response = anon.get(URL)
    assert_problem(response, 401, "unauthenticated", "not provided")
    assert response["WWW-Authenticate"] == 'Bearer realm="newsdesk-partner-api"'


def test_unknown_key_is_401(partner):
    issue_key(partner)
    response = bearer("nd_0123456789ab_" + "x" * 43).get(URL)
    assert_problem(response, 401, "unauthenticated", "not recognised")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_right_prefix_wrong_secret_is_401(partner):
    real = issue_key(partner).plaintext
    forged = real[: len("nd_") + 13] + "y" * 43
    assert_problem(bearer(forged).get(URL), 401, "unauthenticated", "not recognised")


def test_malformed_key_is_401(partner):
    assert_problem(bearer("not-a-key").get(URL), 401, "unauthenticated", "malformed")


def test_expired_key_is_401(partner):
    new = issue_key(partner)
    ApiKey.objects.filter(pk=new.key.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_problem(bearer(new.plaintext).get(URL), 401, "unauthenticated", "expired")


def test_revoked_key_is_401(partner):
    new = issue_key(partner)
    services.revoke_api_key(prefix=new.key.prefix)
    assert_problem(bearer(new.plaintext).get(URL), 401, "unauthenticated", "revoked")


def test_inactive_partner_is_403(partner, key):
    Partner.objects.filter(pk=partner.pk).update(active=False)
    response = bearer(key).get(URL)
    assert_problem(response, 403, "forbidden", "not active")
    assert "WWW-Authenticate" not in response


def test_valid_key_is_200(api):
    response = api.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_basic_auth_and_sessions_are_not_accepted(partner, key, django_user_model):
    basic = APIClient()
    basic.credentials(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz")
    assert_problem(basic.get(URL), 401, "unauthenticated", "Bearer")
    admin = django_user_model.objects.create_superuser("chief", "chief@desk.example", "pw")
    session = APIClient()
    session.force_login(admin)
    assert_problem(session.get(URL), 401, "unauthenticated", "not provided")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unauthenticated_write_is_401(anon, method):
    assert_problem(getattr(anon, method)(URL, {}, format="json"), 401, "unauthenticated")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_authenticated_write_is_405(api, method):
    response = getattr(api, method)(URL, {}, format="json")
    assert_problem(response, 405, "method-not-allowed", method.upper())
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_inactive_partner_write_is_403(partner, key):
    Partner.objects.filter(pk=partner.pk).update(active=False)
    assert_problem(bearer(key).post(URL, {}, format="json"), 403, "forbidden")


def test_schema_and_docs_are_public(anon):
    assert anon.get("/api/v1/schema/").status_code == 200
    assert anon.get("/api/v1/docs/").status_code == 200


def test_second_key_works_during_rotation_and_old_one_stops_after_revocation(partner, key):
    second = issue_key(partner, label="rotation")
    assert bearer(key).get(URL).status_code == 200
    assert bearer(second.plaintext).get(URL).status_code == 200
    services.revoke_api_key(prefix=key)
    assert bearer(key).get(URL).status_code == 401
    assert bearer(second.plaintext).get(URL).status_code == 200


@pytest.mark.parametrize("name", ["key", "api_key", "token", "access_token", "q"])
def test_a_key_in_the_query_string_is_never_echoed(partner, key, name, caplog):
    caplog.set_level("DEBUG")
    response = APIClient().get(URL, {name: key})
    body = response.json()
    assert response.status_code == 401
    assert key not in response.content.decode()
    secret = key.split("_", 2)[2]  # nd_<hex prefix>_<secret>; the secret itself may contain "_"
    assert secret not in response.content.decode()
    assert body["instance"] == f"{URL}?{name}=%5Bredacted%5D"
    assert all(secret not in record.getMessage() for record in caplog.records)


def test_a_key_in_the_query_string_of_a_keyed_call_stays_out_of_the_body_and_the_usage_log(partner, key):
    from django.core.cache import cache

    from apps.partners.usage import recent_errors_key

    client = bearer(key)
    secret = key.split("_", 2)[2]  # nd_<hex prefix>_<secret>; the secret itself may contain "_"
    response = client.get(URL, {"api_key": key, "fields": key})
    assert response.status_code == 400
    text = response.content.decode()
    assert secret not in text
    assert {item["name"] for item in response.json()["invalid_params"]} == {"api_key", "fields"}
    logged = cache.get(recent_errors_key(ApiKey.objects.get(partner=partner).pk))
    assert logged and all(secret not in entry["path"] for entry in logged)
    assert logged[-1]["path"].startswith(URL + "?")
