"""A background task the process tests enqueue: it notes its token in a Redis list, so a test
sees every task ran, and ran once, whichever worker took it."""

from __future__ import annotations

import os

import redis
from django.conf import settings
from django_tasks import task

DONE = "newsdesk:reliability:done"


@task(backend="background")
def note(token: str) -> int:
    redis.Redis.from_url(settings.REDIS_URL).rpush(DONE, f"{token} {os.getpid()}")
    return os.getpid()
