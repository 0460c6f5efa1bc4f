"""Partners (the API's second kind of user), their keys and the keys' daily usage.

A key is `nd_<prefix>_<secret>`: the prefix is public and indexed (lookup), the secret is stored
only as an HMAC-SHA256 with a server-side pepper (docs/adr/0006-partner-api-keys-throttling-pagination.md).
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

MAX_LIVE_KEYS = 2  # two keys per partner let them rotate without downtime


class RateTier(models.TextChoices):
    BASIC = "basic", "Basic"
    STANDARD = "standard", "Standard"
    PREMIUM = "premium", "Premium"


class Partner(models.Model):
    """A newsroom, NGO, researcher or aggregator that syndicates our content."""

    name = models.CharField(max_length=120, unique=True)
    contact_name = models.CharField(max_length=120, blank=True)
    contact_email = models.EmailField(blank=True)
    active = models.BooleanField(default=True, help_text="An inactive partner's keys get 403 Forbidden.")
    all_sections = models.BooleanField(
        default=False, help_text="Entitled to every section, including sections added later."
    )
    sections = models.ManyToManyField(
        "core.SectionPage",
        blank=True,
        related_name="partners",
        help_text="Sections this partner may read (ignored when 'all sections' is set).",
    )
    rate_tier = models.CharField(max_length=20, choices=RateTier.choices, default=RateTier.STANDARD)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate_tier__in=RateTier.values), name="partners_partner_rate_tier_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    # DRF treats the authenticated principal as request.user.
    @property
    def is_authenticated(self) -> bool:
        return True


class ApiKey(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="keys")
    label = models.CharField(max_length=120, blank=True, help_text="What this key is for, e.g. 'CMS sync'.")
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    # 1 or 2 while the key is not revoked; the unique constraint caps live keys per partner.
    slot = models.PositiveSmallIntegerField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    recent_errors = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["partner__name", "-created_at"]
        verbose_name = "API key"
        constraints = [
            models.CheckConstraint(
                condition=Q(slot__gte=1) & Q(slot__lte=MAX_LIVE_KEYS), name="partners_apikey_slot_range"
            ),
            models.UniqueConstraint(
                fields=["partner", "slot"],
                condition=Q(revoked_at__isnull=True),
                name="partners_apikey_two_live_keys",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partner.name}: nd_{self.prefix}_…"

    def is_live(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        return "live"


class ApiKeyUsage(models.Model):
    """Requests and error responses per key per UTC day, flushed from the cache by a periodic job."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="usage")
    day = models.DateField()
    requests = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = "API key usage"
        constraints = [models.UniqueConstraint(fields=["key", "day"], name="partners_usage_one_row_per_day")]

    def __str__(self) -> str:
        return f"{self.key} {self.day}: {self.requests} requests, {self.errors} errors"
