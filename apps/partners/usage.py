"""Per-key usage counters kept in the cache (cheap on every request); services.flush_key_usage
moves them to ApiKeyUsage rows. With REDIS_URL set, every worker counts into the same keys."""

from __future__ import annotations

from datetime import date, datetime

from django.core.cache import cache
from django.utils import timezone

from apps.core.counters import increment

COUNTER_TTL = 3 * 24 * 3600  # survives a scheduler outage of two days
MAX_RECENT_ERRORS = 10


def counter_key(key_id: int, day: date, what: str) -> str:
    return f"partners:usage:{key_id}:{day.isoformat()}:{what}"


def last_used_key(key_id: int) -> str:
    return f"partners:usage:{key_id}:last_used"


def recent_errors_key(key_id: int) -> str:
    return f"partners:usage:{key_id}:recent_errors"


def record_request(*, key_id: int, status: int, path: str, now: datetime | None = None) -> None:
    """Count one request by this key (and one error if the response is 4xx/5xx)."""
    now = now or timezone.now()
    day = now.date()
    increment(counter_key(key_id, day, "requests"), ttl=COUNTER_TTL)
    cache.set(last_used_key(key_id), now.timestamp(), COUNTER_TTL)
    if status >= 400:
        increment(counter_key(key_id, day, "errors"), ttl=COUNTER_TTL)
        # Best effort (read-modify-write): a diagnostic aid, not an audit log.
        errors = cache.get(recent_errors_key(key_id)) or []
        errors = [*errors, {"at": now.isoformat(), "status": status, "path": path[:300]}][-MAX_RECENT_ERRORS:]
        cache.set(recent_errors_key(key_id), errors, COUNTER_TTL)
