"""Reads of the change log: the head, and the entries one partner may receive."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from wagtail.models import Page

from apps.changes.models import TOMBSTONE_REASONS, Action, Cause, Change, ChangeCounter, Kill, ObjectType
from apps.partners.selectors import is_syndicable, syndicable_articles


@dataclass(frozen=True)
class Head:
    seq: int
    pruned_through: int


def head() -> Head:
    """The newest committed sequence. Writers hold the counter row until commit, so every row
    up to it is committed and visible to this reader (ADR 0007)."""
    row = ChangeCounter.objects.values_list("value", "pruned_through").filter(pk=1).first()
    return Head(seq=row[0], pruned_through=row[1]) if row else Head(0, 0)


def partner_rows(*, partner_id: int, section_ids: Iterable[int] | QuerySet) -> QuerySet[Change]:
    """Rows this partner may receive: its own rows, registry rows, and article rows where the
    article was or is syndicable and visible in a section the partner is entitled to."""
    sections = section_ids if isinstance(section_ids, QuerySet) else list(section_ids)
    entitled_before = Q(visible_before=True, syndicable_before=True, section_before__in=sections)
    entitled_after = Q(visible_after=True, syndicable_after=True, section_after__in=sections)
    shared = Q(partner__isnull=True)
    return Change.objects.filter(
        Q(partner_id=partner_id)
        | (shared & ~Q(object_type=ObjectType.ARTICLE))
        | (shared & Q(object_type=ObjectType.ARTICLE) & (entitled_before | entitled_after))
    )


def partner_validator_state(
    *, partner_id: int, section_ids: Iterable[int] | QuerySet
) -> tuple[int, datetime | None, Head]:
    """(partner head, its time, global head) in one query: what HTTP validators derive from.
    The change feed reuses the global head, so its header and body never disagree."""
    counter = ChangeCounter.objects.filter(pk=1)
    row = (
        partner_rows(partner_id=partner_id, section_ids=section_ids)
        .order_by("-seq")
        .annotate(
            current=Subquery(counter.values("value")[:1]),
            pruned=Subquery(counter.values("pruned_through")[:1]),
        )
        .values_list("seq", "created_at", "current", "pruned")
        .first()
    )
    if row is None:
        return 0, None, head()
    seq, modified, current, pruned = row
    return seq, modified, Head(seq=current or 0, pruned_through=pruned or 0)


@dataclass(frozen=True)
class Entry:
    seq: int
    action: str
    reason: str
    object_type: str
    object_id: int
    changed_at: datetime
    merged_into: int | None = None

    @property
    def uri(self) -> str:
        return f"urn:newsdesk:{self.object_type}:{self.object_id}"


def entry_for(row: Change, *, section_ids: set[int]) -> Entry | None:
    """What this row means for a partner entitled to `section_ids` (None: nothing for it)."""
    if row.partner_id is not None or row.object_type != ObjectType.ARTICLE:
        action = row.action
        was = True
    else:
        was = row.visible_before and row.syndicable_before and row.section_before in section_ids
        now = row.visible_after and row.syndicable_after and row.section_after in section_ids
        if now:
            action = Action.UPSERT
        elif was:
            action = Action.TOMBSTONE
        else:
            return None
    if action == Action.TOMBSTONE:
        reason = TOMBSTONE_REASONS.get(row.cause, "unpublished")
    elif row.object_type == ObjectType.ARTICLE and row.partner_id is None:
        reason = "updated" if was else "moved_in" if row.cause == Cause.MOVED else "published"
    else:
        reason = row.cause
    return Entry(
        seq=row.seq,
        action=action,
        reason=reason,
        object_type=row.object_type,
        object_id=row.object_id,
        changed_at=row.created_at,
        merged_into=row.merged_into,
    )


def _is_upsert_for(*, partner_id: int, sections: list[int]) -> Q:
    """SQL twin of entry_for's action: the rows that tell this partner to upsert."""
    own_or_registry = Q(partner_id=partner_id) | (
        Q(partner__isnull=True) & ~Q(object_type=ObjectType.ARTICLE)
    )
    shared_article = Q(partner__isnull=True, object_type=ObjectType.ARTICLE)
    entitled_after = Q(visible_after=True, syndicable_after=True, section_after__in=sections)
    return (own_or_registry & Q(action=Action.UPSERT)) | (shared_article & entitled_after)


def partner_changes(
    *, partner_id: int, section_ids: Iterable[int], after: int, limit: int, through: int
) -> tuple[list[Entry], int, bool]:
    """Entries after `after` up to `through` (the head read first), at most `limit`.
    Returns (entries, the sequence to ask `after=` next, whether more are waiting).

    What a partner receives (docs/adr/0009): an upsert is left out when a later row for the same
    object reaches this partner by `through` (the later row says all a client needs), so a
    partner reading from after=0 gets each article once; and an article upsert is sent only
    while the partner may see the article now (partner_articles' rule), so an article whose
    expiry passed before the scheduler unpublished it is never upserted. Tombstones always go."""
    sections = sorted(set(section_ids))
    relevant = partner_rows(partner_id=partner_id, section_ids=sections)
    later = relevant.filter(
        object_type=OuterRef("object_type"),
        object_id=OuterRef("object_id"),
        seq__gt=OuterRef("seq"),
        seq__lte=through,
    )
    rows = list(
        relevant.filter(seq__gt=after, seq__lte=through)
        .alias(superseded=Exists(later))
        .exclude(_is_upsert_for(partner_id=partner_id, sections=sections) & Q(superseded=True))
        .order_by("seq")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    entitled = set(sections)
    entries = [entry for row in rows if (entry := entry_for(row, section_ids=entitled)) is not None]
    upserted = {
        e.object_id for e in entries if e.object_type == ObjectType.ARTICLE and e.action == Action.UPSERT
    }
    if upserted:
        seeable = set(
            syndicable_articles(sections=sections)
            .filter(is_syndicable(), pk__in=upserted)
            .values_list("pk", flat=True)
        )
        entries = [
            e
            for e in entries
            if not (
                e.object_type == ObjectType.ARTICLE
                and e.action == Action.UPSERT
                and e.object_id not in seeable
            )
        ]
    next_after = rows[-1].seq if more else max(after, through)
    return entries, next_after, more


# Kills as the desk sees them: a page is shown as killed while it stays unpublished after its
# latest kill (republishing it later ends that).


@dataclass(frozen=True)
class KillStatus:
    killed_at: datetime
    killed_by: str  # the editor's full name, else username; "" when the account is gone


def _by(first: str | None, last: str | None, username: str | None) -> str:
    return f"{first or ''} {last or ''}".strip() or username or ""


def with_kill_status(pages: QuerySet[Page]) -> QuerySet[Page]:
    """The page listing's queryset with its latest kill's time and editor, in the same query."""
    latest = Kill.objects.filter(page_id=OuterRef("pk")).order_by("-killed_at", "-pk")
    return pages.annotate(
        changes_killed_at=Subquery(latest.values("killed_at")[:1]),
        changes_killed_first=Subquery(latest.values("user__first_name")[:1]),
        changes_killed_last=Subquery(latest.values("user__last_name")[:1]),
        changes_killed_username=Subquery(latest.values("user__username")[:1]),
    )


def kill_status(page: Page) -> KillStatus | None:
    """Who killed the page and when, if it is killed now; read from with_kill_status's
    annotations when the page came from that queryset, else with one query."""
    if page.live:
        return None
    if hasattr(page, "changes_killed_at"):
        at = page.changes_killed_at
        by = _by(page.changes_killed_first, page.changes_killed_last, page.changes_killed_username)
    else:
        kill = (
            Kill.objects.filter(page_id=page.pk).select_related("user").order_by("-killed_at", "-pk").first()
        )
        if kill is None:
            return None
        at, user = kill.killed_at, kill.user
        by = _by(user.first_name, user.last_name, user.username) if user else ""
    if at is None or (page.last_published_at is not None and page.last_published_at > at):
        return None
    return KillStatus(killed_at=at, killed_by=by)
