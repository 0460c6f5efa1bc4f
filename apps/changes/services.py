"""Writes to the change log. Every function runs inside `transaction.atomic()`, so a row commits
with the change that caused it, or neither does (the callers wrap Wagtail's own actions)."""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.models import Page, Revision

from apps.articles.models import ArticlePage
from apps.changes.models import (
    Action,
    Cause,
    Change,
    ChangeCounter,
    Kill,
    ObjectState,
    ObjectType,
)
from apps.core.models import SectionPage
from apps.core.selectors import public_sections
from apps.partners.models import Partner
from apps.partners.selectors import granted_sections, has_had_keys, is_syndicable, syndicable_articles

DEFAULT_RETENTION = timedelta(days=30)
KILL_LOG_ACTION = "newsdesk.kill"
# Called with the rows just written, inside the writer's transaction, so what a higher app
# derives from them (webhook deliveries) commits with them or not at all (docs/adr/0008).
AFTER_CHANGE_LOGGED = "after_change_logged"

# Set while one of our services runs a Wagtail action whose change it records itself (kill,
# the scheduler): the signal Wagtail sends meanwhile is then not recorded a second time.
_recording_explicitly: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "changes_explicit", default=False
)


@contextlib.contextmanager
def recorded_by_caller() -> Iterator[None]:
    token = _recording_explicitly.set(True)
    try:
        yield
    finally:
        _recording_explicitly.reset(token)


def recorded_by_caller_now() -> bool:
    return _recording_explicitly.get()


def retention() -> timedelta:
    return getattr(settings, "NEWSDESK_CHANGES_RETENTION", DEFAULT_RETENTION)


def _take_sequences(count: int) -> list[int]:
    """Reserve `count` sequence numbers. The counter row stays locked until commit, so
    writers commit in sequence order and a reader never sees n+1 before n (ADR 0007)."""
    counter = ChangeCounter.objects.select_for_update().filter(pk=1).first()
    if counter is None:  # the migration creates it; a flushed test database may not have it
        ChangeCounter.objects.get_or_create(pk=1)
        counter = ChangeCounter.objects.select_for_update().get(pk=1)
    first = counter.value + 1
    counter.value += count
    counter.save(update_fields=["value"])
    return list(range(first, first + count))


@dataclass(frozen=True)
class State:
    visible: bool = False
    section: int | None = None
    syndicable: bool = False
    label: str = ""  # a registry record's name at its last row (tells a rename from an edit)


def article_states(page_ids: Iterable[int]) -> dict[int, State]:
    """What partners could see of each article now, by the partners' own rule
    (apps.partners.selectors): visible to a partner entitled to its section, and syndicable.
    Missing ids (deleted pages) are invisible."""
    ids = list(page_ids)
    visible = set(syndicable_articles().filter(pk__in=ids).values_list("pk", flat=True))
    rows = (
        ArticlePage.objects.filter(pk__in=ids)
        .annotate(own=ExpressionWrapper(is_syndicable(), output_field=BooleanField()))
        .values_list("pk", "section_id", "own")
    )
    return {pk: State(visible=pk in visible, section=section, syndicable=own) for pk, section, own in rows}


def _states_before(object_type: str, ids: Iterable[int]) -> dict[int, State]:
    return {
        s.object_id: State(visible=s.visible, section=s.section, syndicable=s.syndicable, label=s.label)
        for s in ObjectState.objects.filter(object_type=object_type, object_id__in=list(ids))
    }


def _save_state(object_type: str, object_id: int, state: State) -> None:
    ObjectState.objects.update_or_create(
        object_type=object_type,
        object_id=object_id,
        defaults={
            "visible": state.visible,
            "section": state.section,
            "syndicable": state.syndicable,
            "label": state.label,
        },
    )


def _refine(cause: str, before: State, after: State) -> str:
    # A publish that changes the rights or the section is, for partners, that change.
    if cause in {Cause.PUBLISHED, Cause.UPDATED} and before.visible and after.visible:
        if before.syndicable != after.syndicable:
            return Cause.RIGHTS
        if before.section != after.section:
            return Cause.MOVED
    return cause


_STATE_ONLY_CAUSES = {Cause.UNPUBLISHED, Cause.EXPIRED, Cause.RESTRICTED, Cause.UNRESTRICTED}


@transaction.atomic
def record_article_changes(
    *, page_ids: Iterable[int], cause: str, only_if_changed: bool = False
) -> list[Change]:
    """One row per article whose partner-visible state was or is visible. Returns the rows.

    `only_if_changed` is for changes above the articles (a section or the home page published,
    moved or restricted): their content did not change, so only a changed state is news."""
    ids = sorted(set(page_ids))
    if not ids:
        return []
    _take_sequences(0)  # lock first: before-states must not be read by two writers at once
    before = _states_before(ObjectType.ARTICLE, ids)
    after = article_states(ids)
    pending: list[tuple[int, str, State, State]] = []
    for pk in ids:
        old, new = before.get(pk, State()), after.get(pk, State())
        if old == new and pk in before and (only_if_changed or cause in _STATE_ONLY_CAUSES):
            continue  # nothing a partner could notice (e.g. restricting an already hidden page)
        if old.visible or new.visible:
            pending.append((pk, _refine(cause, old, new), old, new))
        if old != new or pk not in before:
            _save_state(ObjectType.ARTICLE, pk, new)
    return _write(ObjectType.ARTICLE, pending)


def _logged(rows: Sequence[Change] | QuerySet[Change]) -> None:
    for hook in hooks.get_hooks(AFTER_CHANGE_LOGGED):
        hook(rows)


def _write(object_type: str, pending: list[tuple[int, str, State, State]], **extra) -> list[Change]:
    if not pending:
        return []
    seqs = _take_sequences(len(pending))
    now = timezone.now()
    rows = [
        Change(
            seq=seq,
            created_at=now,
            object_type=object_type,
            object_id=pk,
            cause=cause,
            action=Action.UPSERT if new.visible else Action.TOMBSTONE,
            visible_before=old.visible,
            visible_after=new.visible,
            section_before=old.section,
            section_after=new.section,
            syndicable_before=old.syndicable,
            syndicable_after=new.syndicable,
            **extra,
        )
        for seq, (pk, cause, old, new) in zip(seqs, pending, strict=True)
    ]
    written = Change.objects.bulk_create(rows)
    _logged(written)
    return written


def _registry_cause(old: State | None, new: State) -> str:
    if old is not None and old.visible != new.visible:
        return Cause.APPROVED if new.visible else Cause.UNPUBLISHED
    if old is not None and old.label and old.label != new.label:
        return Cause.RENAMED
    return Cause.UPDATED


@transaction.atomic
def record_registry_change(
    *,
    object_type: str,
    object_id: int,
    visible: bool,
    label: str | None = None,
    cause: str | None = None,
    merged_into: int | None = None,
) -> Change | None:
    """A registry record (actor, event, place) changed; registry records are not per section.
    Without a `cause`, it is read from the change against the record's last state: approved or
    withdrawn, renamed, else updated."""
    _take_sequences(0)
    old = _states_before(object_type, [object_id]).get(object_id)
    new = State(visible=visible, syndicable=True, label=old.label if label is None and old else label or "")
    cause = cause or _registry_cause(old, new)
    old = old or State()
    _save_state(object_type, object_id, new)
    if not (old.visible or new.visible) or (
        old == new and cause not in {Cause.RENAMED, Cause.UPDATED, Cause.RELATION_ENDED}
    ):
        return None
    rows = _write(object_type, [(object_id, cause, old, new)], merged_into=merged_into)
    return rows[0]


@transaction.atomic
def record_entitlement_change(
    *, partner: Partner, before: set[int], after: set[int], cause: str = Cause.ENTITLEMENT
) -> list[Change]:
    """Rows for one partner whose entitled sections changed: upserts for what it may see in the
    sections it gained, tombstones for what it may hold of the sections it lost.

    A partner that never had a key has read nothing: the shared rows, judged by its entitlement
    when it reads, already carry everything, so it gets no rows (docs/adr/0009)."""
    gained, lost = after - before, before - after
    if not (gained or lost) or not has_had_keys(partner):
        return []
    _take_sequences(0)
    start = ChangeCounter.objects.get(pk=1).value  # locked by this transaction until commit
    tombstones = _articles_partner_may_hold(lost, still_entitled=after) if lost else {}
    if tombstones:
        _partner_tombstones(partner=partner, held=tombstones, cause=cause)
    if gained:
        _grant_upserts(partner=partner, sections=gained, cause=cause)
    return list(Change.objects.filter(seq__gt=start).order_by("seq"))


def _grant_upserts(*, partner: Partner, sections: set[int], cause: str) -> int:
    """One upsert per article the partner may see now in `sections`, in one INSERT ... SELECT
    (no row per article through Python: granting all sections at 100k articles takes seconds).
    Built from the partner rule itself, so an expired article the scheduler has not yet
    unpublished is never upserted."""
    counter = ChangeCounter.objects.select_for_update().get(pk=1)
    articles = (
        syndicable_articles(sections=sorted(sections))
        .filter(is_syndicable())
        .annotate(grant_id=F("pk"), grant_section=F("section_id"))
        .values("grant_id", "grant_section")
        .order_by()
    )
    select_sql, params = articles.query.sql_with_params()
    table = connection.ops.quote_name(Change._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(Change._meta.get_field(name).column)
        for name in (
            "seq", "created_at", "object_type", "object_id", "cause", "partner", "action",
            "visible_before", "visible_after", "section_before", "section_after",
            "syndicable_before", "syndicable_after",
        )
    )  # fmt: skip
    # Names come from the models' _meta and every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608
        "SELECT %s + ROW_NUMBER() OVER (ORDER BY a.grant_id), %s, %s, a.grant_id, %s, %s, %s, "
        "%s, %s, a.grant_section, a.grant_section, %s, %s "
        f"FROM ({select_sql}) a"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    head = [counter.value, now, ObjectType.ARTICLE, cause, partner.pk, Action.UPSERT, True, True, True, True]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*head, *params])
        written = cursor.rowcount
    # A queryset, read only by a hook that needs the rows (a grant may write thousands).
    _logged(Change.objects.filter(seq__gt=counter.value, seq__lte=counter.value + written).order_by("seq"))
    counter.value += written
    counter.save(update_fields=["value"])
    return written


def _articles_partner_may_hold(section_ids: set[int], *, still_entitled: set[int]) -> dict[int, int | None]:
    """Articles a partner entitled to `section_ids` may still hold: visible there now, or shown
    there by a row it may not have read yet. Shared rows are judged against the partner's
    current entitlement, so once a section is lost those rows say nothing to it: its own
    tombstones must cover them."""
    held = dict(
        ObjectState.objects.filter(
            object_type=ObjectType.ARTICLE, visible=True, syndicable=True, section__in=section_ids
        ).values_list("object_id", "section")
    )
    shown = Change.objects.filter(object_type=ObjectType.ARTICLE, partner__isnull=True).filter(
        Q(visible_before=True, syndicable_before=True, section_before__in=section_ids)
        | Q(visible_after=True, syndicable_after=True, section_after__in=section_ids)
    )
    for pk, before, after in shown.values_list("object_id", "section_before", "section_after"):
        held.setdefault(pk, after if after in section_ids else before)
    # An article that has since moved to a section the partner keeps is not lost to it.
    kept = ObjectState.objects.filter(
        object_type=ObjectType.ARTICLE,
        object_id__in=list(held),
        visible=True,
        syndicable=True,
        section__in=still_entitled,
    ).values_list("object_id", flat=True)
    for pk in kept:
        held.pop(pk, None)
    return held


@transaction.atomic
def record_subtree_change(*, page: Page, cause: str) -> list[Change]:
    """A page that is not an article changed status (a section unpublished, restricted, ...):
    record every article below it, and for partners that lose sections with it, tombstones
    of their own (their entitlement shrank with the section's status)."""
    article_ids = list(ArticlePage.objects.filter(path__startswith=page.path).values_list("pk", flat=True))
    _take_sequences(0)
    rows = record_article_changes(page_ids=article_ids, cause=cause, only_if_changed=True)
    sections = set(SectionPage.objects.filter(path__startswith=page.path).values_list("pk", flat=True))
    now_live = set(public_sections().values_list("pk", flat=True))
    hidden = sections - now_live
    if hidden:
        for partner in Partner.objects.all():
            raw = set(granted_sections(partner).filter(pk__in=sections).values_list("pk", flat=True))
            lost = _articles_partner_may_hold(raw & hidden, still_entitled=raw & now_live)
            if lost:
                rows += _partner_tombstones(partner=partner, held=lost, cause=cause)
    return rows


def record_page_change(*, page: Page, cause: str) -> list[Change]:
    """Rows for a page whose status changed: the article itself, or every article below it."""
    if page.specific_class is ArticlePage:
        return record_article_changes(page_ids=[page.pk], cause=cause)
    return record_subtree_change(page=page, cause=cause)


def _partner_tombstones(*, partner, held: dict[int, int | None], cause: str) -> list[Change]:
    ids = sorted(held)
    seqs = _take_sequences(len(ids))
    now = timezone.now()
    written = Change.objects.bulk_create(
        Change(
            seq=seq,
            created_at=now,
            object_type=ObjectType.ARTICLE,
            object_id=pk,
            cause=cause,
            partner=partner,
            action=Action.TOMBSTONE,
            visible_before=True,
            section_before=held[pk],
            section_after=held[pk],
            syndicable_before=True,
        )
        for seq, pk in zip(seqs, ids, strict=True)
    )
    _logged(written)
    return written


@transaction.atomic
def kill_article(*, page: Page, category: str, reason: str, user=None) -> Kill:
    """Withdraw a story for a legal or ethical reason: unpublish it, cancel every scheduled
    revision (so the scheduler cannot bring it back), log it, and tell partners `kill`."""
    page = page.specific
    kill = Kill.objects.create(page=page, page_title=page.title, category=category, reason=reason, user=user)
    Revision.page_revisions.filter(object_id=str(page.pk), approved_go_live_at__isnull=False).update(
        approved_go_live_at=None
    )
    if page.live:
        with recorded_by_caller():
            page.unpublish(user=user, log_action=True)
    record_article_changes(page_ids=[page.pk], cause=Cause.KILL)
    log(instance=page, action=KILL_LOG_ACTION, user=user, data={"category": category, "reason": reason})
    return kill


def is_killed_since(*, page_id: int, since: datetime) -> bool:
    return Kill.objects.filter(page_id=page_id, killed_at__gte=since).exists()


@transaction.atomic
def publish_scheduled_revision(*, revision_id: int, now: datetime) -> bool:
    """Publish one approved scheduled revision with its change row, unless a kill came after it."""
    revision = (
        Revision.objects.select_for_update().filter(pk=revision_id, approved_go_live_at__lt=now).first()
    )
    if revision is None:  # another scheduler got there first
        return False
    model = revision.base_content_type.model_class()
    is_page = model is not None and issubclass(model, Page)
    if is_page and is_killed_since(page_id=int(revision.object_id), since=revision.created_at):
        revision.approved_go_live_at = None
        revision.save(update_fields=["approved_go_live_at"])
        return False
    with recorded_by_caller():
        revision.publish(log_action="wagtail.publish.scheduled")
    if is_page:
        record_page_change(page=Page.objects.get(pk=revision.object_id), cause=Cause.PUBLISHED)
    return True


@transaction.atomic
def expire_object(*, obj, now: datetime) -> bool:
    """Unpublish one expired object (set_expired) with its change row."""
    fresh = type(obj).objects.select_for_update().filter(pk=obj.pk, live=True, expire_at__lt=now).first()
    if fresh is None:
        return False
    fresh = fresh.specific if isinstance(fresh, Page) else fresh
    with recorded_by_caller():
        fresh.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
    if isinstance(fresh, Page):
        record_page_change(page=fresh, cause=Cause.EXPIRED)
    return True


@transaction.atomic
def prune_changes(*, now: datetime | None = None) -> int:
    """Delete rows older than the retention window; clients behind them get 410 and resync."""
    cutoff = (now or timezone.now()) - retention()
    old = Change.objects.filter(created_at__lt=cutoff)
    last = old.order_by("-seq").values_list("seq", flat=True).first()
    if last is None:
        return 0
    counter = ChangeCounter.objects.select_for_update().get(pk=1)
    deleted, _ = Change.objects.filter(seq__lte=last).delete()
    counter.pruned_through = max(counter.pruned_through, last)
    counter.save(update_fields=["pruned_through"])
    return deleted
