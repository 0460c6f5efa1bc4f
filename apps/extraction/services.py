"""Writes: extract proposals from an article (idempotent), accept, edit, merge, reject."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log

from apps.articles.models import ArticlePage
from apps.articles.selectors import visible_articles
from apps.core.public_urls import page_url
from apps.extraction import selectors
from apps.extraction.extractor import extract
from apps.extraction.models import (
    EventProposal,
    EventSource,
    ProposalKind,
    ProposalParticipant,
    ProposalStatus,
)
from apps.registry.dates import DatePrecision
from apps.registry.models import (
    Actor,
    ActorRelation,
    Event,
    EventDateClaim,
    EventParticipant,
    EventType,
    ReviewStatus,
)
from apps.tagging.selectors import current_index


@dataclass
class ExtractResult:
    created: list[EventProposal] = field(default_factory=list)
    existing: int = 0  # proposals this article already had (pending, accepted or rejected)


def _dates(value) -> dict:
    if value is None:
        return {
            "start": None,
            "start_precision": DatePrecision.DAY,
            "end": None,
            "end_precision": DatePrecision.DAY,
        }
    return {
        "start": value.date,
        "start_precision": value.precision,
        "end": value.end,
        "end_precision": value.end_precision,
    }


def _create(
    page: ArticlePage, fingerprint: str, participants: list[tuple[int, str]], **values
) -> EventProposal | None:
    """One proposal; None when the article already has it (a savepoint keeps a concurrent
    extraction's twin from failing the whole run)."""
    if EventProposal.objects.filter(article=page, fingerprint=fingerprint).exists():
        return None
    try:
        with transaction.atomic():
            proposal = EventProposal.objects.create(article=page, fingerprint=fingerprint, **values)
    except IntegrityError:
        return None
    ProposalParticipant.objects.bulk_create(
        [ProposalParticipant(proposal=proposal, actor_id=a, role=r) for a, r in participants]
    )
    return proposal


@transaction.atomic
def extract_for_article(page: ArticlePage) -> ExtractResult:
    """Run the extractor on the article's latest text; store what it had not proposed before."""
    text = selectors.article_text(page)
    found = extract(
        current_index(), **text, published=selectors.article_date(page), lang_code=page.language or "en"
    )
    result = ExtractResult()
    for cand in found.events:
        evidence = {
            "evidence": cand.evidence,
            "field": cand.field,
            "evidence_start": cand.start,
            "evidence_end": cand.end,
            "trigger": cand.trigger[:100],
        }
        proposal = _create(
            page,
            selectors.event_fingerprint(cand),
            cand.participants,
            kind=ProposalKind.EVENT,
            event_type=cand.event_type,
            event_status=cand.status,
            place_id=cand.place_id,
            matched_event=selectors.matching_event(
                event_type=cand.event_type, date=cand.date, actor_ids=cand.actor_ids
            ),
            **_dates(cand.date),
            **evidence,
        )
        if proposal is None:
            result.existing += 1
        else:
            result.created.append(proposal)
    for change in found.relations:
        proposal = _create(
            page,
            selectors.relation_fingerprint(change),
            [],
            kind=ProposalKind.RELATION,
            event_type=change.event_type,
            subject_id=change.subject_id,
            predicate=change.predicate,
            object_id=change.object_id,
            change=change.change,
            evidence=change.evidence,
            field=change.field,
            evidence_start=change.start,
            evidence_end=change.end,
            **_dates(change.date),
        )
        if proposal is None:
            result.existing += 1
        else:
            result.created.append(proposal)
    return result


@dataclass
class BatchResult:
    articles: int = 0
    created: int = 0
    existing: int = 0


def extract_articles(*, since: dt.date | None = None) -> BatchResult:
    """``manage.py extract_events``: every article (changed on or after ``since``), one
    transaction per article."""
    pages = ArticlePage.objects.order_by("pk")
    if since is not None:
        pages = pages.filter(latest_revision_created_at__date__gte=since)
    batch = BatchResult()
    for page in pages.iterator():
        result = extract_for_article(page)
        batch.articles += 1
        batch.created += len(result.created)
        batch.existing += result.existing
    return batch


def _lock_pending(proposal: EventProposal) -> EventProposal:
    locked = EventProposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != ProposalStatus.PROPOSED:
        raise ValidationError(f"This proposal was already {locked.get_status_display().lower()}.")
    return locked


def _reviewed(proposal: EventProposal, status: str, user) -> None:
    proposal.status = status
    proposal.reviewed_by = user if getattr(user, "pk", None) else None
    proposal.reviewed_at = timezone.now()
    proposal.save()


def _citation(page: ArticlePage) -> tuple[str, str]:
    """How public registry text (date claims, relation notes) names the article: by title and
    URL once it is visible, else by number only, so an unpublished story leaks nothing."""
    if visible_articles().filter(pk=page.pk).exists():
        return page.title, page_url(page)
    return f"Newsdesk article {page.pk} (not public when accepted)", ""


def default_title(proposal: EventProposal) -> str:
    names = [p.actor.name for p in proposal.participants.all()][:3]
    label = EventType(proposal.event_type).label
    return f"{label}: {', '.join(names)}"[:255] if names else label


def _link(proposal: EventProposal, event: Event) -> None:
    """The article reports ``event``: provenance, any participant it adds, and its date as a
    claim when it differs from the event's (sources disagreeing stay visible)."""
    EventSource.objects.get_or_create(
        event=event,
        article=proposal.article,
        defaults={
            "proposal": proposal,
            "evidence": proposal.evidence,
            "date": proposal.start,
            "precision": proposal.start_precision,
        },
    )
    for p in proposal.participants.all():
        if not EventParticipant.objects.filter(event=event, actor_id=p.actor_id).exists():
            EventParticipant.objects.create(event=event, actor_id=p.actor_id, role=p.role)
    if proposal.start and (proposal.start, proposal.start_precision) != (event.start, event.start_precision):
        title, url = _citation(proposal.article)
        EventDateClaim.objects.get_or_create(
            event=event,
            date=proposal.start,
            precision=proposal.start_precision,
            source=title[:255],
            defaults={"source_url": url[:200], "note": "The date this article gives."},
        )


def _new_event(proposal: EventProposal, title: str) -> Event:
    event = Event(
        title=(title or default_title(proposal))[:255],
        event_type=proposal.event_type,
        status=proposal.event_status,
        place=proposal.place,
        start=proposal.start,
        start_precision=proposal.start_precision,
        end=proposal.end,
        end_precision=proposal.end_precision,
        review_status=ReviewStatus.APPROVED,
    )
    event.full_clean()
    event.save()
    return event


def _apply_relation(proposal: EventProposal) -> ActorRelation:
    title, url = _citation(proposal.article)
    source = f"{title} ({url})"[:500] if url else title[:500]
    open_relation = (
        ActorRelation.objects.filter(
            subject=proposal.subject, predicate=proposal.predicate, object=proposal.object, end__isnull=True
        )
        .order_by("start")
        .first()
    )
    if proposal.change == "end":
        relation = open_relation or ActorRelation(
            subject=proposal.subject, predicate=proposal.predicate, object=proposal.object, start=None
        )
        relation.end, relation.end_precision = proposal.start, proposal.start_precision
        relation.source_note = relation.source_note or source
        relation.full_clean()
        relation.save()
        return relation
    if open_relation is not None:
        return open_relation
    relation = ActorRelation(
        subject=proposal.subject,
        predicate=proposal.predicate,
        object=proposal.object,
        start=proposal.start,
        start_precision=proposal.start_precision,
        source_note=source,
    )
    relation.full_clean()
    relation.save()
    return relation


@transaction.atomic
def accept(proposal: EventProposal, *, user=None, title: str = "") -> EventProposal:
    """Accept: a relation change is applied; an event proposal that fits an existing event links
    the article to it (no second event), the rest become approved events sourced to the article."""
    proposal = _lock_pending(proposal)
    if proposal.kind == ProposalKind.RELATION:
        proposal.relation = _apply_relation(proposal)
        _reviewed(proposal, ProposalStatus.ACCEPTED, user)
        log(instance=proposal.relation, action="extraction.accept", user=user, data={"proposal": proposal.pk})
        return proposal
    matched = proposal.matched_event
    if matched is not None and not Event.objects.filter(pk=matched.pk).exists():
        matched = None
    event = matched or _new_event(proposal, title)
    _link(proposal, event)
    proposal.event = event
    _reviewed(proposal, ProposalStatus.ACCEPTED, user)
    log(
        instance=event,
        action="extraction.accept",
        user=user,
        data={"proposal": proposal.pk, "linked": bool(matched)},
    )
    return proposal


@transaction.atomic
def merge(proposal: EventProposal, *, into: Event, user=None) -> EventProposal:
    """The editor says which event the proposal reports: link it there, whatever matched."""
    proposal = _lock_pending(proposal)
    if proposal.kind != ProposalKind.EVENT:
        raise ValidationError("Only an event proposal can be merged into an event.")
    _link(proposal, into)
    proposal.event = into
    _reviewed(proposal, ProposalStatus.MERGED, user)
    log(instance=into, action="extraction.merge", user=user, data={"proposal": proposal.pk})
    return proposal


@transaction.atomic
def reject(proposal: EventProposal, *, user=None) -> EventProposal:
    """Rejected proposals stay (remembered): re-running extraction does not propose them again."""
    proposal = _lock_pending(proposal)
    _reviewed(proposal, ProposalStatus.REJECTED, user)
    return proposal


@transaction.atomic
def edit(
    proposal: EventProposal,
    *,
    event_type: str,
    event_status: str,
    start: dt.date | None,
    start_precision: str,
    end: dt.date | None,
    end_precision: str,
    place,
    participants: list[tuple[Actor, str]],
) -> EventProposal:
    """The editor's corrections before accepting (the fingerprint stays: it records what the
    extractor found, so a re-run still recognises this proposal)."""
    proposal = _lock_pending(proposal)
    proposal.event_type, proposal.event_status = event_type, event_status
    proposal.start, proposal.start_precision = start, start_precision
    proposal.end, proposal.end_precision = end, end_precision
    proposal.place = place
    proposal.full_clean(exclude=["article", "fingerprint", "subject", "object"])
    proposal.matched_event = selectors.matching_event(
        event_type=event_type,
        date=selectors.event_period(proposal),
        actor_ids={actor.pk for actor, _ in participants},
    )
    proposal.save()
    proposal.participants.all().delete()
    ProposalParticipant.objects.bulk_create(
        [ProposalParticipant(proposal=proposal, actor=a, role=r) for a, r in dict.fromkeys(participants)]
    )
    return proposal
