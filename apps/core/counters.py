"""A shared counter in the cache: one atomic INCR, so every worker counts into the same key when
the cache is Redis (locmem in one process). Used by the API's rate limits and the partners'
usage counters."""

from __future__ import annotations

from django.core.cache import cache


def increment(name: str, *, ttl: int) -> int:
    """Add one to the counter `name` (created at 0 with `ttl` seconds to live); its new value."""
    cache.add(name, 0, ttl)  # a no-op when the counter exists
    try:
        return cache.incr(name)
    except ValueError:  # expired or evicted between add and incr: this request starts it again
        cache.set(name, 1, ttl)
        return 1
