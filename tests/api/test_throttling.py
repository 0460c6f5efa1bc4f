"""Per-key rate limits: the (N+1)th request in a window is 429 problem+json, and with Redis all
processes share one count."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import override_settings
from rest_framework.test import APIClient

from apps.partners.models import Partner, RateTier
from tests.partners.factories import PartnerFactory, issue_key

BASE_DIR = Path(__file__).resolve().parents[2]
URL = "/api/v1/sections/"

# Day-long windows; `clear_of_midnight` makes sure a test never straddles their boundary.
LIMITS = {"basic": "2/day", "standard": "3/day", "premium": "5/day"}
DAY = 86400


def wait_past_midnight_if_within(seconds: float) -> None:
    """Day windows start at 00:00 UTC: a test that would run into midnight waits for it first
    (at most `seconds`, once a day), so every request of the test falls in one window."""
    left = DAY - time.time() % DAY
    if left < seconds:
        time.sleep(left + 0.05)


@pytest.fixture
def clear_of_midnight():
    wait_past_midnight_if_within(60)


@pytest.fixture
def small_limits(settings, clear_of_midnight):
    settings.PARTNER_API_RATE_LIMITS = LIMITS


@pytest.mark.django_db
def test_a_day_window_ends_at_utc_midnight_exactly(small_limits, partner, key):
    from apps.api.throttling import hit
    from apps.partners.models import ApiKey

    api_key = ApiKey.objects.get(partner=partner)
    midnight = 1_767_225_600.0  # 2026-01-01T00:00:00Z
    before = midnight - 0.001
    assert [hit(api_key, now=before)[0] for _ in range(4)] == [True, True, True, False]
    allowed, state = hit(api_key, now=midnight)  # a new window: counted afresh
    assert allowed and state.remaining == 2
    assert state.reset_in == DAY
    assert hit(api_key, now=before)[1].reset_in == 1  # the old window still ends at midnight


@pytest.mark.django_db
def test_the_request_after_the_limit_is_429_problem_with_retry_after(small_limits, api):
    for remaining in (2, 1, 0):
        response = api.get(URL)
        assert response.status_code == 200
        assert response["X-RateLimit-Limit"] == "3"
        assert response["X-RateLimit-Remaining"] == str(remaining)

    response = api.get(URL)

    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "urn:newsdesk:problem:rate-limited"
    assert response["X-RateLimit-Remaining"] == "0"
    assert response["X-RateLimit-Limit"] == "3"
    assert 1 <= int(response["Retry-After"]) <= 86400


@pytest.mark.django_db
def test_limits_follow_the_partner_tier_and_count_per_key(small_limits, partner, key):
    Partner.objects.filter(pk=partner.pk).update(rate_tier=RateTier.BASIC)
    first, second = APIClient(), APIClient()
    first.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    second.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_key(partner).plaintext}")
    assert [first.get(URL).status_code for _ in range(3)] == [200, 200, 429]
    # The partner's other key has its own window.
    assert second.get(URL).status_code == 200


@pytest.mark.django_db
def test_unauthenticated_requests_do_not_use_up_a_partners_limit(small_limits, api, anon):
    for _ in range(5):
        assert anon.get(URL).status_code == 401
    assert api.get(URL)["X-RateLimit-Remaining"] == "2"


WORKER = """
import sys
import django
django.setup()
from django.test import Client, override_settings
from django.test.utils import setup_test_environment

setup_test_environment()
redis_url, prefix, key, n = sys.argv[1:5]
caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": redis_url, "KEY_PREFIX": prefix}}
with override_settings(CACHES=caches, PARTNER_API_RATE_LIMITS={"standard": "5/day"}):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    print(" ".join(str(client.get("/api/v1/sections/").status_code) for _ in range(int(n))))
"""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_processes_share_one_count_through_redis(desk):
    wait_past_midnight_if_within(240)  # the workers may take two minutes to start and answer
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    prefix = f"nd-test-{secrets.token_hex(6)}"  # isolates this run's counters in a shared Redis
    partner = PartnerFactory(all_sections=True)
    key = issue_key(partner).plaintext
    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="newsdesk.settings.test",
        DATABASE_URL=f"postgres://{quote(db['USER'])}:{quote(db['PASSWORD'] or '')}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    )
    args = [sys.executable, "-c", WORKER, redis_url, prefix, key, "4"]
    workers = [
        subprocess.Popen(
            args, cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    statuses = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        statuses += out.split()

    # 8 requests against a limit of 5 shared by both processes: 5 pass, 3 are throttled.
    assert sorted(statuses) == ["200"] * 5 + ["429"] * 3
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches, PARTNER_API_RATE_LIMITS={"standard": "5/day"}):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        assert client.get(URL).status_code == 429  # and this process sees the same count
        from django.core.cache import cache

        cache.clear()
