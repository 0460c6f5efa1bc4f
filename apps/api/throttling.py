"""Per-key rate limits through the cache: a fixed window counted with one atomic INCR, so every
worker shares the count when the cache is Redis (docs/adr/0006-partner-api-keys-throttling-pagination.md)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from apps.core.counters import increment
from apps.partners.models import ApiKey

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

PERIODS = {"s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class RateLimit:
    limit: int
    remaining: int
    reset_in: int  # seconds until the window ends


def parse_rate(rate: str) -> tuple[int, int]:
    """'600/min' -> (600, 60)."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip()]


def rate_for_tier(tier: str) -> tuple[int, int]:
    rates = settings.PARTNER_API_RATE_LIMITS
    return parse_rate(rates.get(tier) or rates["standard"])


def hit(key: ApiKey, *, now: float | None = None) -> tuple[bool, RateLimit]:
    """Count one request by this key; (allowed, the limit state after it)."""
    limit, window = rate_for_tier(key.partner.rate_tier)
    now = time.time() if now is None else now
    window_start = int(now // window * window)
    name = f"api:throttle:{key.pk}:{window}:{window_start}"
    count = increment(name, ttl=window + 5)
    reset_in = max(1, int(window_start + window - now + 0.999))
    return count <= limit, RateLimit(limit=limit, remaining=max(0, limit - count), reset_in=reset_in)


class PartnerKeyThrottle(BaseThrottle):
    """Throttles authenticated partner requests; the view copies request.rate_limit into headers."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        key = request.auth
        if not isinstance(key, ApiKey):
            return True  # public views (schema, docs) are not counted
        allowed, state = hit(key)
        request.rate_limit = state
        self._wait = state.reset_in
        return allowed

    def wait(self) -> float | None:
        return getattr(self, "_wait", None)
