"""Reads of the change log: the head, and the entries one partner may receive."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from wagtail.models import Page

from apps.changes.models import TOMBSTONE_REASONS, Action, Cause, Change, ChangeCounter, Kill, ObjectType
from apps.core.compiled import Compiled, compile_statement, once_per_process, sql_of
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


def _is_upsert_for(*, partner_id: int, sections: list[int] | QuerySet) -> Q:
    """SQL twin of entry_for's action: the rows that tell this partner to upsert."""
    own_or_registry = Q(partner_id=partner_id) | (
        Q(partner__isnull=True) & ~Q(object_type=ObjectType.ARTICLE)
    )
    shared_article = Q(partner__isnull=True, object_type=ObjectType.ARTICLE)
    entitled_after = Q(visible_after=True, syndicable_after=True, section_after__in=sections)
    return (own_or_registry & Q(action=Action.UPSERT)) | (shared_article & entitled_after)


# What entry_for reads of a row, in the order the feed's page query returns them (then `seeable`).
ROW_FIELDS = (
    "seq",
    "created_at",
    "object_type",
    "object_id",
    "cause",
    "partner_id",
    "action",
    "visible_before",
    "visible_after",
    "section_before",
    "section_after",
    "syndicable_before",
    "syndicable_after",
    "merged_into",
)
FeedRow = namedtuple("FeedRow", [*ROW_FIELDS, "seeable"])


def _page_rows(*, partner_id: int, sections: list[int], after: Any, through: Any, now: datetime | None):
    """The feed page's rows after `after` up to `through` (ints or expressions), oldest first, as
    ROW_FIELDS + `seeable`: whether an article upsert's article may be seen now (partner_articles'
    rule; True for every other row). Unsliced: the caller takes limit + 1."""
    relevant = partner_rows(partner_id=partner_id, section_ids=sections)
    later = relevant.filter(
        object_type=OuterRef("object_type"),
        object_id=OuterRef("object_id"),
        seq__gt=OuterRef("seq"),
        seq__lte=through,
    )
    upsert = _is_upsert_for(partner_id=partner_id, sections=sections)
    seeable = syndicable_articles(sections=sections, now=now).filter(
        is_syndicable(), pk=OuterRef("object_id")
    )
    return (
        relevant.filter(seq__gt=after, seq__lte=through)
        .alias(superseded=Exists(later))
        .exclude(upsert & Q(superseded=True))
        .annotate(
            seeable=Case(
                When(Q(object_type=ObjectType.ARTICLE) & upsert, then=Exists(seeable)),
                default=Value(True),
                output_field=BooleanField(),
            )
        )
        .order_by("seq")
        .values_list(*ROW_FIELDS, "seeable")
    )


def _entries(
    rows: list, *, sections: list[int], after: int, limit: int, through: int
) -> tuple[list[Entry], int, bool]:
    """partner_changes' answer from its page rows (at most limit + 1 FeedRows)."""
    more = len(rows) > limit
    rows = rows[:limit]
    entitled = set(sections)
    entries = []
    for row in rows:
        entry = entry_for(row, section_ids=entitled)
        if entry is None:
            continue
        if entry.object_type == ObjectType.ARTICLE and entry.action == Action.UPSERT and not row.seeable:
            continue
        entries.append(entry)
    next_after = rows[-1].seq if more else max(after, through)
    return entries, next_after, more


def partner_changes(
    *, partner_id: int, section_ids: Iterable[int], after: int, limit: int, through: int
) -> tuple[list[Entry], int, bool]:
    """Entries after `after` up to `through` (the head read first), at most `limit`.
    Returns (entries, the sequence to ask `after=` next, whether more are waiting).

    What a partner receives (docs/adr/0009): an upsert is left out when a later row for the same
    object reaches this partner by `through` (the later row says all a client needs), so a
    partner reading from after=0 gets each article once; and an article upsert is sent only
    while the partner may see the article now (partner_articles' rule), so an article whose
    expiry passed before the scheduler unpublished it is never upserted. Tombstones always go.
    The API reads the same page with its validators in one statement: feed_page."""
    sections = sorted(set(section_ids))
    qs = _page_rows(partner_id=partner_id, sections=sections, after=after, through=through, now=None)
    rows = [FeedRow(*row) for row in qs[: limit + 1]]
    return _entries(rows, sections=sections, after=after, limit=limit, through=through)


@dataclass(frozen=True)
class FeedPage:
    """One read of the feed: the validators' state and the page, from one statement."""

    partner_seq: int  # the partner's head: its newest change-log row (0: none)
    modified: datetime | None  # that row's time
    head: Head
    entries: list[Entry]
    next_after: int
    more: bool


# Stand-ins for the per-request values while the statement is compiled (feed_page): in range for
# the columns they are compared with, and never a real id, sequence, limit or time.
_PARTNER, _AFTER, _LIMIT, _SECTION = 2_099_000_001, 2_098_000_001, 2_097_000_001, 2_100_000_000
_NOW = datetime(2001, 2, 3, 4, 5, 6, 789012, tzinfo=UTC)


@once_per_process
def _feed_statement(n_sections: int, with_page: bool = True) -> Compiled:
    """The feed's one statement for a partner entitled to `n_sections` sections, compiled once per
    process (apps.core.compiled): the global head and retention, the partner's head row (the
    validators) and the page (LIMIT a parameter), as one row per page row (one row of NULLs
    after the head for an empty page). Its slots: "partner", "after", "now", "limit" and
    ("section", i). Compiling the ORM's query cost ~20 ms a request (docs/adr/0016); filling
    the slots costs microseconds."""
    sections = [_SECTION + i for i in range(n_sections)]
    counter = ChangeCounter.objects.filter(pk=1)
    through = Coalesce(Subquery(counter.values("value")[:1]), Value(0), output_field=BigIntegerField())
    parts: list = [
        counter.values_list("value", "pruned_through"),
        partner_rows(partner_id=_PARTNER, section_ids=sections)
        .order_by("-seq")
        .values_list("seq", "created_at")[:1],
    ]
    if with_page:  # else the validators alone (validator_state)
        page = _page_rows(partner_id=_PARTNER, sections=sections, after=_AFTER, through=through, now=_NOW)
        sql, params = sql_of(page)
        parts.append((f"{sql} LIMIT %s", (*params, _LIMIT)))
    stand_ins = {"partner": _PARTNER, "after": _AFTER, "limit": _LIMIT, "now": _NOW}
    stand_ins.update({("section", i): section for i, section in enumerate(sections)})
    expect: dict = dict.fromkeys(stand_ins)  # None: at least one slot
    expect["limit"] = 1 if with_page else 0
    if not with_page:
        expect.update(after=0, now=0)
    if not n_sections:  # without sections the visibility rule (and its time) compiles away
        expect["now"] = 0

    def combine(compiled: list[str]) -> str:
        sql = (
            f"SELECT k.*, h.*{', p.*' if with_page else ''} FROM (SELECT 1 AS one) o"  # noqa: S608 - compiled querysets
            f" LEFT JOIN ({compiled[0]}) k ON TRUE"
            f" LEFT JOIN ({compiled[1]}) h ON TRUE"
        )
        if with_page:
            sql += f" LEFT JOIN ({compiled[2]}) p ON TRUE ORDER BY p.seq"
        return sql

    # The page's plan walks the log from `after` whatever the values; PostgreSQL's estimates keep
    # it on per-call plans (3.5 ms of planning a call at 100k), so it takes the generic one
    # (apps/core/plans.py). The validators alone already get a generic plan on their own.
    return compile_statement(parts, stand_ins, expect=expect, combine=combine, generic_plan=with_page)


def _values(partner_id: int, sections: list[int], **values: Any) -> dict:
    return {
        "partner": partner_id,
        **values,
        **{("section", i): section for i, section in enumerate(sections)},
    }


def validator_state(*, partner_id: int, section_ids: Iterable[int]) -> tuple[int, datetime | None, Head]:
    """partner_validator_state for a list of section ids, from a statement compiled once per
    process and number of sections (_feed_statement without the page)."""
    sections = sorted(set(section_ids))
    statement = _feed_statement(len(sections), with_page=False)
    current, pruned, seq, modified = statement.fetchall(_values(partner_id, sections))[0]
    return seq or 0, _instant(modified), Head(seq=current or 0, pruned_through=pruned or 0)


def _instant(value: Any) -> datetime | None:
    """A time column read without the ORM: SQLite gives text, PostgreSQL an aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def feed_page(
    *, partner_id: int, section_ids: Iterable[int], after: int, limit: int, now: datetime | None = None
) -> FeedPage:
    """partner_changes up to the head, and the partner's validator state (partner_validator_state),
    in one statement: the head and the page come from one snapshot, and the SQL is compiled once
    per process and number of sections (_feed_statement)."""
    sections = sorted(set(section_ids))
    values = _values(partner_id, sections, after=after, limit=limit + 1, now=now or timezone.now())
    result = _feed_statement(len(sections)).fetchall(values)
    current, pruned, partner_seq, modified = result[0][:4]  # one row at least: FROM (SELECT 1)
    head_now = Head(seq=current or 0, pruned_through=pruned or 0)
    rows = [FeedRow(row[4], _instant(row[5]), *row[6:]) for row in result if row[4] is not None]
    entries, next_after, more = _entries(
        rows, sections=sections, after=after, limit=limit, through=head_now.seq
    )
    return FeedPage(
        partner_seq=partner_seq or 0,
        modified=_instant(modified),
        head=head_now,
        entries=entries,
        next_after=next_after,
        more=more,
    )


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
