"""Tagging's own rows: the registry version the matcher is built from, the suggestions an editor
rejected on an article, and the record that makes a wire import idempotent."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F


class RegistryVersion(models.Model):
    """One row whose ``value`` moves whenever an actor, place or alias changes.

    Bumped inside the writer's transaction (docs/adr/0010-tag-matcher-and-registry-version.md), so a
    process that reads a new value also sees the change it stands for, and rebuilds its matcher.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="tagging_registry_version_single")
        ]

    def __str__(self) -> str:
        return f"registry version {self.value}"

    @classmethod
    def current(cls) -> int:
        return cls.objects.filter(pk=1).values_list("value", flat=True).first() or 0

    @classmethod
    def bump(cls) -> None:
        if not cls.objects.filter(pk=1).update(value=F("value") + 1):
            cls.objects.get_or_create(pk=1, defaults={"value": 1})


class SuggestionKind(models.TextChoices):
    ACTOR = "actor", "Actor"
    PLACE = "place", "Place"
    EVENT = "event", "Event"


class RejectedSuggestion(models.Model):
    """An editor said no to this suggestion on this article: it is not offered there again."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=SuggestionKind.choices)
    object_id = models.PositiveIntegerField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "kind", "object_id"], name="tagging_rejection_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=SuggestionKind.values), name="tagging_rejection_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} rejected on page {self.page_id}"


class WireImport(models.Model):
    """One imported wire item. Created first in the item's transaction: the unique ``key`` (the
    item's source id, else a hash of its content) makes a second or concurrent import a no-op."""

    key = models.CharField(max_length=300, unique=True)
    source = models.CharField(max_length=500, help_text="The file or upload the item came from.")
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    item_date = models.DateTimeField(null=True, blank=True, help_text="The date the wire copy carries.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.key
