"""Reads: fingerprints, the existing event a proposal fits, the review queue, an article's text
and date, the evidence in context."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.html import format_html

from apps.extraction.dates import PartialDate, overlaps
from apps.extraction.extractor import Candidate, RelationChange
from apps.extraction.models import EventProposal, ProposalParticipant, ProposalStatus
from apps.registry.dates import iso_partial
from apps.registry.models import Event, EventParticipant
from apps.tagging.models import WireImport
from apps.tagging.selectors import text_from_page

REVIEW_PERMISSION = "extraction.review_eventproposal"


def _hash(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()


def _iso(value: PartialDate | None) -> str:
    return iso_partial(value.date, value.precision) if value else ""


def event_fingerprint(candidate: Candidate) -> str:
    return _hash("event", candidate.event_type, _iso(candidate.date), sorted(candidate.actor_ids))


def relation_fingerprint(change: RelationChange) -> str:
    return _hash(
        "relation", change.predicate, change.change, change.subject_id, change.object_id, _iso(change.date)
    )


def event_period(event: Event) -> PartialDate | None:
    if event.start is None:
        return None
    return PartialDate(event.start, event.start_precision, event.end, event.end_precision)


def matching_event(*, event_type: str, date: PartialDate | None, actor_ids: set[int]) -> Event | None:
    """The registry event a proposal fits: same type, dates compatible at their precisions, at
    least one participant in common; the one sharing most participants, then the closest date.
    An undated proposal fits only when exactly one event qualifies (else the editor decides)."""
    if not actor_ids:
        return None
    events = (
        Event.objects.filter(event_type=event_type, participants__actor_id__in=list(actor_ids))
        .distinct()
        .prefetch_related(
            Prefetch("participants", queryset=EventParticipant.objects.only("event_id", "actor_id"))
        )
    )
    fitting = []
    for event in events:
        if date is not None and event.start is not None and not overlaps(date, event_period(event)):
            continue
        shared = len(actor_ids & {p.actor_id for p in event.participants.all()})
        distance = abs((event.start - date.first_day).days) if date and event.start else 0
        fitting.append((-shared, distance, event.pk, event))
    if not fitting or (date is None and len(fitting) > 1):
        return None
    return min(fitting)[3]


def article_date(page) -> dt.date:
    """The date relative expressions in the article resolve against: when it went out, else when
    it is scheduled, else the date of the wire copy it was imported from, else its latest revision."""
    wire_date = None
    if not (page.published_at or page.go_live_at):
        wire_date = WireImport.objects.filter(page_id=page.pk).values_list("item_date", flat=True).first()
    when = (
        page.published_at
        or page.go_live_at
        or wire_date
        or page.first_published_at
        or page.latest_revision_created_at
        or timezone.now()
    )
    return timezone.localtime(when).date()


def article_text(page) -> dict[str, str]:
    """The latest revision's text (what the editor sees), not only the live one."""
    draft = page.get_latest_revision_as_object() if page.latest_revision_id else page
    return text_from_page(draft)


def can_review(user) -> bool:
    return user.is_active and user.has_perm(REVIEW_PERMISSION)


def _with_details(qs: QuerySet[EventProposal]) -> QuerySet[EventProposal]:
    return qs.select_related(
        "article", "place", "matched_event", "event", "subject", "object"
    ).prefetch_related(Prefetch("participants", queryset=ProposalParticipant.objects.select_related("actor")))


def visible_proposals(user) -> QuerySet[EventProposal]:
    """Editors see every proposal; a reporter those on articles they own; anyone else none."""
    qs = EventProposal.objects.all()
    if not can_review(user):
        qs = qs.filter(article__owner=user)
    return _with_details(qs)


def review_queue(user, *, status: str = ProposalStatus.PROPOSED) -> QuerySet[EventProposal]:
    qs = visible_proposals(user)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "pk")


def evidence_in_context(proposal: EventProposal) -> str:
    """The field the evidence came from, with the evidence sentence marked (escaped HTML)."""
    text = (
        article_text(proposal.article).get(proposal.field, "").replace("\u2019", "'").replace("\u2018", "'")
    )
    start, end = proposal.evidence_start, proposal.evidence_end
    if not (0 <= start < end <= len(text)) or " ".join(text[start:end].split()) != proposal.evidence:
        return format_html("<mark>{}</mark>", proposal.evidence)
    return format_html("{}<mark>{}</mark>{}", text[:start], text[start:end], text[end:])
