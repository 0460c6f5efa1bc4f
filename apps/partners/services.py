"""Writes about partners: create partners and keys, revoke keys, flush usage counters."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from wagtail import hooks

from apps.core.models import SectionPage
from apps.partners import usage
from apps.partners.keys import format_key, hash_secret, new_key_material
from apps.partners.models import MAX_LIVE_KEYS, ApiKey, ApiKeyUsage, Partner, RateTier
from apps.partners.selectors import entitled_section_ids

ENTITLEMENT_HOOK = "after_partner_entitlement_change"


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    plaintext: str  # shown once: only its HMAC is stored


def _sections_by_slug(slugs: Iterable[str]) -> list[SectionPage]:
    slugs = [slug.strip() for slug in slugs if slug.strip()]
    found = {section.slug: section for section in SectionPage.objects.filter(slug__in=slugs)}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        known = ", ".join(sorted(SectionPage.objects.values_list("slug", flat=True))) or "none"
        raise ValidationError(f"Unknown section(s): {', '.join(missing)}. Known sections: {known}.")
    return [found[slug] for slug in slugs]


@contextlib.contextmanager
def changing_entitlements(partner: Partner) -> Iterator[None]:
    """Wrap a write that may change what `partner` may read (its sections, 'all sections', a new
    partner): the sections it was entitled to before and after go to the hook
    `after_partner_entitlement_change` (the change log's entitlement rows), in one transaction."""
    with transaction.atomic():
        stored = Partner.objects.filter(pk=partner.pk).first() if partner.pk else None
        before = set(entitled_section_ids(stored)) if stored else set()
        yield
        after = set(entitled_section_ids(Partner.objects.get(pk=partner.pk)))
        if after != before:
            for fn in hooks.get_hooks(ENTITLEMENT_HOOK):
                fn(partner=partner, before=before, after=after)


@transaction.atomic
def change_entitlements(
    *,
    partner: Partner,
    add: Iterable[SectionPage] = (),
    remove: Iterable[SectionPage] = (),
    all_sections: bool | None = None,
) -> Partner:
    """Give or take sections (or 'all sections') from a partner."""
    with changing_entitlements(partner):
        if all_sections is not None and partner.all_sections != all_sections:
            partner.all_sections = all_sections
            partner.save(update_fields=["all_sections"])
        if add:
            partner.sections.add(*add)
        if remove:
            partner.sections.remove(*remove)
    return partner


@transaction.atomic
def ensure_partner(
    *,
    name: str,
    section_slugs: Iterable[str] | None = None,
    all_sections: bool | None = None,
    rate_tier: str | None = None,
) -> tuple[Partner, bool]:
    """The partner called `name`, created if needed; entitlements changed only when given."""
    name = name.strip()
    if not name:
        raise ValidationError("A partner needs a name.")
    if rate_tier is not None and rate_tier not in RateTier.values:
        raise ValidationError(f"Unknown rate tier {rate_tier!r}; use one of {', '.join(RateTier.values)}.")
    sections = _sections_by_slug(section_slugs) if section_slugs is not None else None
    partner, created = Partner.objects.get_or_create(name=name)
    with changing_entitlements(partner):
        changed = []
        if all_sections is not None and partner.all_sections != all_sections:
            partner.all_sections = all_sections
            changed.append("all_sections")
        if rate_tier is not None and partner.rate_tier != rate_tier:
            partner.rate_tier = rate_tier
            changed.append("rate_tier")
        if changed:
            partner.save(update_fields=changed)
        if sections is not None:
            partner.sections.set(sections)
    return partner, created


@transaction.atomic
def create_api_key(
    *, partner: Partner, label: str = "", expires_at: datetime | None = None, now: datetime | None = None
) -> NewKey:
    """A new key for the partner; at most two live keys each, so a third needs a revocation first."""
    now = now or timezone.now()
    if expires_at is not None and expires_at <= now:
        raise ValidationError("The expiry date must be in the future.")
    # Lock the partner row: two concurrent creations must not both see a free slot.
    partner = Partner.objects.select_for_update().get(pk=partner.pk)
    # Expired keys are dead anyway; revoking them frees their slot.
    ApiKey.objects.filter(partner=partner, revoked_at__isnull=True, expires_at__lte=now).update(
        revoked_at=now
    )
    used = set(ApiKey.objects.filter(partner=partner, revoked_at__isnull=True).values_list("slot", flat=True))
    free = [slot for slot in range(1, MAX_LIVE_KEYS + 1) if slot not in used]
    if not free:
        raise ValidationError(
            f"{partner.name} already has {MAX_LIVE_KEYS} live keys; revoke one before creating another."
        )
    prefix, secret = new_key_material()
    key = ApiKey.objects.create(
        partner=partner,
        label=label,
        prefix=prefix,
        secret_hash=hash_secret(prefix, secret),
        slot=free[0],
        created_at=now,
        expires_at=expires_at,
    )
    return NewKey(key=key, plaintext=format_key(prefix, secret))


@transaction.atomic
def issue_partner_key(
    *,
    name: str,
    section_slugs: Iterable[str] | None = None,
    all_sections: bool | None = None,
    rate_tier: str | None = None,
    label: str = "",
    expires_at: datetime | None = None,
) -> tuple[Partner, bool, NewKey]:
    """The partner (created or updated) and a new key, in one transaction: a refused key (a
    third live one, a past expiry) leaves the partner, its entitlements and the change log
    exactly as they were."""
    partner, created = ensure_partner(
        name=name, section_slugs=section_slugs, all_sections=all_sections, rate_tier=rate_tier
    )
    return partner, created, create_api_key(partner=partner, label=label, expires_at=expires_at)


@transaction.atomic
def revoke_api_key(*, prefix: str, now: datetime | None = None) -> ApiKey:
    """Revoke the key with this prefix (idempotent: a revoked key keeps its first revocation time)."""
    prefix = prefix.strip()
    if prefix.startswith("nd_"):
        prefix = prefix[3:].partition("_")[0]
    try:
        key = ApiKey.objects.select_for_update().select_related("partner").get(prefix=prefix)
    except ApiKey.DoesNotExist:
        raise ValidationError(f"No API key with prefix {prefix!r}.") from None
    if key.revoked_at is None:
        key.revoked_at = now or timezone.now()
        key.save(update_fields=["revoked_at"])
    return key


def _take(name: str) -> int:
    """Read a cache counter and subtract what was read, so concurrent increments survive."""
    value = cache.get(name)
    if not value:
        return 0
    with contextlib.suppress(ValueError):  # expired in between: what we read is all there was
        cache.decr(name, value)
    return int(value)


def flush_key_usage(*, now: datetime | None = None) -> int:
    """Move the cache's per-key counters into ApiKeyUsage and ApiKey; returns requests flushed."""
    now = now or timezone.now()
    days = [now.date() - timedelta(days=offset) for offset in range(3)]
    recent = now - timedelta(seconds=usage.COUNTER_TTL)
    flushed = 0
    for key in ApiKey.objects.exclude(revoked_at__lt=recent).only("pk", "last_used_at", "recent_errors"):
        for day in days:
            requests = _take(usage.counter_key(key.pk, day, "requests"))
            errors = _take(usage.counter_key(key.pk, day, "errors"))
            if requests or errors:
                with transaction.atomic():
                    ApiKeyUsage.objects.get_or_create(key=key, day=day)
                    ApiKeyUsage.objects.filter(key=key, day=day).update(
                        requests=F("requests") + requests, errors=F("errors") + errors
                    )
                flushed += requests
        update = {}
        last_used = cache.get(usage.last_used_key(key.pk))
        if last_used is not None:
            at = datetime.fromtimestamp(last_used, tz=UTC)
            if key.last_used_at is None or at > key.last_used_at:
                update["last_used_at"] = at
        new_errors = cache.get(usage.recent_errors_key(key.pk))
        if new_errors:
            cache.delete(usage.recent_errors_key(key.pk))
            update["recent_errors"] = [*key.recent_errors, *new_errors][-usage.MAX_RECENT_ERRORS :]
        if update:
            ApiKey.objects.filter(pk=key.pk).update(**update)
    return flushed
