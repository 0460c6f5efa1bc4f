"""Per-key usage: counted in the cache on every request, flushed to the database by the scheduler."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core import scheduler
from apps.partners import services, usage
from apps.partners.models import ApiKeyUsage
from tests.partners.factories import PartnerFactory, issue_key

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_requests_and_errors_reach_the_database_when_the_scheduler_flushes(desk):
    new = issue_key(PartnerFactory(all_sections=True))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {new.plaintext}")
    for _ in range(3):
        assert client.get("/api/v1/sections/").status_code == 200
    assert client.get("/api/v1/sections/?nope=1").status_code == 400
    assert client.get("/api/v1/sections/999999/").status_code == 404
    assert not ApiKeyUsage.objects.exists()  # nothing written per request

    outcome = scheduler.run_jobs([job for job in scheduler.JOBS if job.name == "flush_api_key_usage"])

    assert outcome == {"flush_api_key_usage": "ok"}
    row = ApiKeyUsage.objects.get(key=new.key)
    assert (row.day, row.requests, row.errors) == (timezone.now().date(), 5, 2)
    new.key.refresh_from_db()
    assert new.key.last_used_at is not None
    assert [(e["status"], e["path"]) for e in new.key.recent_errors] == [
        (400, "/api/v1/sections/?nope=1"),
        (404, "/api/v1/sections/999999/"),
    ]


def test_flushing_twice_adds_only_new_counts():
    key = issue_key(PartnerFactory()).key
    now = timezone.now()
    for _ in range(2):
        usage.record_request(key_id=key.pk, status=200, path="/api/v1/sections/", now=now)
    assert services.flush_key_usage(now=now) == 2
    assert services.flush_key_usage(now=now) == 0
    usage.record_request(key_id=key.pk, status=429, path="/api/v1/sections/", now=now)
    services.flush_key_usage(now=now)
    row = ApiKeyUsage.objects.get(key=key)
    assert (row.requests, row.errors) == (3, 1)


def test_yesterdays_counts_are_kept_on_yesterdays_row():
    key = issue_key(PartnerFactory()).key
    now = timezone.now()
    usage.record_request(key_id=key.pk, status=200, path="/", now=now - timedelta(days=1))
    usage.record_request(key_id=key.pk, status=200, path="/", now=now)
    services.flush_key_usage(now=now)
    assert dict(ApiKeyUsage.objects.values_list("day", "requests")) == {
        now.date() - timedelta(days=1): 1,
        now.date(): 1,
    }


def test_only_the_last_ten_errors_are_kept():
    key = issue_key(PartnerFactory()).key
    for n in range(12):
        usage.record_request(key_id=key.pk, status=400, path=f"/api/v1/sections/?n={n}")
    services.flush_key_usage()
    key.refresh_from_db()
    assert [e["path"].partition("?")[2] for e in key.recent_errors] == [f"n={n}" for n in range(2, 12)]
