"""Benchmark settings: production-like (DEBUG off), plus the benchmark-only URL configuration that
mounts Wagtail's API v2 and v3 next to ours (bench/urls.py). Never used to serve the desk."""

import os

from newsdesk.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY") or "bench-only-key-not-for-serving"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "bench.urls"
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.api.v2", "wagtail.api.v3"]  # noqa: F405
# The throttle still runs on every request (its cost is measured); its limit must not stop the run.
PARTNER_API_RATE_LIMITS = dict.fromkeys(PARTNER_API_RATE_LIMITS, "100000000/min")  # noqa: F405
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
# As in production (newsdesk/settings/production.py): each worker keeps its connection, so the
# HTTP stage measures what a deployment pays, without a connect per request for ours or the
# floor, and PostgreSQL's prepared statements outlive a request (docs/adr/0016-notes/planning.md).
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
