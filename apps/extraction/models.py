"""Event proposals extracted from articles, their participants, and the provenance link
"this article reports that event".

A proposal is never public: no public selector reads this app's tables, and a proposal becomes
registry data only when an editor accepts it (``services.accept``), which creates or links an
approved event with the article as its source. Dates use the registry's partial-date form
(first day of the period plus a precision, ``apps.registry.dates``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from apps.registry.dates import DatePrecision
from apps.registry.models import (
    EventStatus,
    EventType,
    PartialDateRangeMixin,
    ParticipantRole,
    Predicate,
)


class ProposalKind(models.TextChoices):
    EVENT = "event", "Event"
    RELATION = "relation", "Relation change"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Awaiting review"
    ACCEPTED = "accepted", "Accepted"
    MERGED = "merged", "Merged into another event"
    REJECTED = "rejected", "Rejected"


class RelationChange(models.TextChoices):
    START = "start", "starts"
    END = "end", "ends"


class EventProposal(PartialDateRangeMixin):
    """One thing an article says happened (or will): an event, or a relation that starts or ends.

    ``fingerprint`` is what the extractor found (type, date, participants; or the relation), so
    re-running extraction on the article finds its earlier proposal, accepted or rejected, and
    proposes nothing twice.
    """

    article = models.ForeignKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="event_proposals"
    )
    kind = models.CharField(max_length=10, choices=ProposalKind.choices, default=ProposalKind.EVENT)
    fingerprint = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED, db_index=True
    )
    event_type = models.CharField("type", max_length=25, choices=EventType.choices)
    event_status = models.CharField(max_length=10, choices=EventStatus.choices, default=EventStatus.OCCURRED)
    place = models.ForeignKey(
        "registry.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A relation change: subject —predicate→ object starts or ends on the proposal's date.
    subject = models.ForeignKey(
        "registry.Actor", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    predicate = models.CharField(max_length=20, choices=Predicate.choices, blank=True)
    object = models.ForeignKey(
        "registry.Actor", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    change = models.CharField(max_length=5, choices=RelationChange.choices, blank=True)
    evidence = models.TextField(help_text="The sentence that carries the event.")
    field = models.CharField(max_length=20, default="body")
    evidence_start = models.PositiveIntegerField(default=0)
    evidence_end = models.PositiveIntegerField(default=0)
    trigger = models.CharField(max_length=100, blank=True)
    matched_event = models.ForeignKey(
        "registry.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="An existing event this proposal fits (same type, compatible date, a participant in common).",
    )
    event = models.ForeignKey(
        "registry.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="extraction_proposals",
        help_text="The event it became or was linked to when accepted.",
    )
    relation = models.ForeignKey(
        "registry.ActorRelation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        permissions = [("review_eventproposal", "Can accept, merge and reject event proposals")]
        constraints = [
            models.UniqueConstraint(fields=["article", "fingerprint"], name="extraction_proposal_once"),
            models.CheckConstraint(
                condition=Q(kind=ProposalKind.EVENT)
                | (Q(subject__isnull=False) & Q(object__isnull=False) & ~Q(predicate="") & ~Q(change="")),
                name="extraction_relation_complete",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["article", "status"])]

    def __str__(self) -> str:
        if self.kind == ProposalKind.RELATION:
            return f"{self.subject} {self.get_predicate_display()} {self.object} {self.get_change_display()}"
        return f"{self.get_event_type_display()} ({self.start_display or 'undated'})"

    @property
    def precision(self) -> str:
        return self.start_precision if self.start else ""


class ProposalParticipant(models.Model):
    """An actor in a proposal with its role (a row, not JSON, so merging actors moves it too)."""

    proposal = models.ForeignKey(EventProposal, on_delete=models.CASCADE, related_name="participants")
    actor = models.ForeignKey("registry.Actor", on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=ParticipantRole.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "actor", "role"], name="extraction_participant_once")
        ]

    def __str__(self) -> str:
        return f"{self.actor} ({self.get_role_display()})"


class EventSource(models.Model):
    """Provenance: this article reports that event, with the sentence that says so.

    Written when an editor accepts (or merges) a proposal. Public surfaces show the article only
    while the article itself is visible (the articles' own rule).
    """

    event = models.ForeignKey("registry.Event", on_delete=models.CASCADE, related_name="reported_by")
    article = models.ForeignKey("articles.ArticlePage", on_delete=models.CASCADE, related_name="reports")
    proposal = models.ForeignKey(
        EventProposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="sources"
    )
    evidence = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True, help_text="The date this article gives.")
    precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["event", "article"], name="extraction_source_once")]

    def __str__(self) -> str:
        return f"{self.article} reports {self.event}"
