"""Reads about partners: key lookup and entitlements, shared by the API and the admin."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from apps.core.models import SectionPage
from apps.core.selectors import public_sections
from apps.partners.keys import parse_key, secret_matches
from apps.partners.models import ApiKey, Partner


class KeyRejected(Exception):
    """The presented key is unknown, malformed, expired or revoked; the message says which."""


def key_for_token(token: str, *, now: datetime | None = None) -> ApiKey:
    """The live key a bearer token stands for (with its partner loaded), else KeyRejected."""
    parsed = parse_key(token)
    if parsed is None:
        raise KeyRejected("The API key is malformed.")
    prefix, secret = parsed
    key = ApiKey.objects.select_related("partner").filter(prefix=prefix).first()
    # Same message for an unknown prefix and a wrong secret: no oracle for valid prefixes.
    if key is None or not secret_matches(key.secret_hash, prefix, secret):
        raise KeyRejected("The API key is not recognised.")
    now = now or timezone.now()
    if key.revoked_at is not None:
        raise KeyRejected("The API key has been revoked.")
    if key.expires_at is not None and key.expires_at <= now:
        raise KeyRejected("The API key has expired.")
    return key


def entitled_sections(partner: Partner) -> QuerySet[SectionPage]:
    """Live, public sections the partner may read (lazy: usable as a subquery)."""
    sections = public_sections()
    if not partner.all_sections:
        sections = sections.filter(pk__in=partner.sections.values("pk"))
    return sections.order_by("path")


def entitled_section_ids(partner: Partner) -> list[int]:
    return list(entitled_sections(partner).values_list("pk", flat=True))


def live_keys(partner: Partner, *, now: datetime | None = None) -> QuerySet[ApiKey]:
    now = now or timezone.now()
    return partner.keys.filter(revoked_at__isnull=True).exclude(expires_at__lte=now)


def partners_with_keys() -> QuerySet[Partner]:
    return Partner.objects.prefetch_related("keys", "sections").order_by("name")
