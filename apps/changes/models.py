"""The change log partners sync from (docs/adr/0007-change-log-sequence.md).

Every change that can alter what a partner may see writes one `Change` row in the same
transaction as the change, numbered by `ChangeCounter` (a row locked for update, so sequence
order is commit order). `ObjectState` remembers what each object looked like at its last row,
so a row keeps the state before and after and entitlement can be judged per partner.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ObjectType(models.TextChoices):
    ARTICLE = "article", "Article"
    ACTOR = "actor", "Actor"
    EVENT = "event", "Event"
    PLACE = "place", "Place"


class Action(models.TextChoices):
    UPSERT = "upsert", "Upsert"
    TOMBSTONE = "tombstone", "Tombstone"


class Cause(models.TextChoices):
    """What happened. The feed turns it into a per-partner action and reason."""

    PUBLISHED = "published", "A revision went live"
    KILL = "kill", "Killed (legal or ethical takedown)"
    UNPUBLISHED = "unpublished", "Unpublished"
    EXPIRED = "expired", "Expired"
    RESTRICTED = "restricted", "View restriction added"
    UNRESTRICTED = "unrestricted", "View restriction removed"
    MOVED = "moved", "Moved to another section"
    DELETED = "deleted", "Deleted"
    RIGHTS = "rights", "Syndication rights changed"
    ENTITLEMENT = "entitlement", "Partner entitlement changed"
    MERGED = "merged", "Merged into another record"
    RENAMED = "renamed", "Renamed"
    APPROVED = "approved", "Approved"
    RELATION_ENDED = "relation_ended", "A relation ended"
    UPDATED = "updated", "Updated"
    BACKFILL = "backfill", "Already live when the change log started"


# Reason a tombstone carries, by cause (a publish can only hide content by changing rights).
TOMBSTONE_REASONS: dict[str, str] = {
    Cause.KILL: "kill",
    Cause.UNPUBLISHED: "unpublished",
    Cause.EXPIRED: "expired",
    Cause.RESTRICTED: "restricted",
    Cause.MOVED: "moved_out",
    Cause.DELETED: "deleted",
    Cause.RIGHTS: "rights",
    Cause.ENTITLEMENT: "entitlement",
    Cause.MERGED: "merged",
}


class ChangeCounter(models.Model):
    """The single row that numbers changes. Locked for update by every writer."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.BigIntegerField(default=0)
    # Rows up to this sequence were pruned: a client whose `after` is older must resync.
    pruned_through = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="changes_counter_single_row")]

    def __str__(self) -> str:
        return f"head {self.value}"


class Change(models.Model):
    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    object_type = models.CharField(max_length=10, choices=ObjectType.choices)
    object_id = models.BigIntegerField()
    cause = models.CharField(max_length=20, choices=Cause.choices)
    # Set on rows that concern one partner only (its entitlements changed); `action` then says
    # what that partner must do. Rows without a partner are judged per partner by the feed.
    partner = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    visible_before = models.BooleanField(default=False)
    visible_after = models.BooleanField(default=False)
    section_before = models.BigIntegerField(null=True, blank=True)
    section_after = models.BigIntegerField(null=True, blank=True)
    syndicable_before = models.BooleanField(default=False)
    syndicable_after = models.BooleanField(default=False)
    merged_into = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="changes_object_idx"),
            models.Index(fields=["partner", "seq"], name="changes_partner_idx"),
            models.Index(fields=["created_at"], name="changes_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(seq__gt=0), name="changes_seq_positive"),
            models.CheckConstraint(condition=Q(object_type__in=ObjectType.values), name="changes_type_valid"),
            models.CheckConstraint(condition=Q(cause__in=Cause.values), name="changes_cause_valid"),
            models.CheckConstraint(condition=Q(action__in=Action.values), name="changes_action_valid"),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(cause=Cause.MERGED),
                name="changes_merged_into_on_merge",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.object_type}:{self.object_id} {self.cause}"


class ObjectState(models.Model):
    """What an object looked like to partners at its latest change row (the next row's 'before')."""

    object_type = models.CharField(max_length=10, choices=ObjectType.choices)
    object_id = models.BigIntegerField()
    visible = models.BooleanField(default=False)
    section = models.BigIntegerField(null=True, blank=True)
    syndicable = models.BooleanField(default=False)
    # A registry record's name or title at its last row: a later save tells a rename from an edit.
    label = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id"], name="changes_state_once_per_object")
        ]

    def __str__(self) -> str:
        return f"{self.object_type}:{self.object_id}"


class KillCategory(models.TextChoices):
    LEGAL = "legal", "Legal (court order, defamation, privacy)"
    ETHICAL = "ethical", "Ethical (endangers a source, wrong person, serious error)"


class Kill(models.Model):
    """An editor's takedown: the article is unpublished and must not come back on a schedule."""

    page = models.ForeignKey("wagtailcore.Page", null=True, on_delete=models.SET_NULL, related_name="+")
    page_title = models.CharField(max_length=255)
    category = models.CharField(max_length=10, choices=KillCategory.choices)
    reason = models.TextField(help_text="Why the story is withdrawn. Kept in the desk's log, not sent out.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    killed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-killed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=KillCategory.values), name="changes_kill_category_valid"
            )
        ]
        indexes = [models.Index(fields=["page", "killed_at"], name="changes_kill_page_idx")]

    def __str__(self) -> str:
        return f"Kill of {self.page_title} ({self.category})"
