"""Writes: remember a rejection, mark accepted suggestions on the saved draft, apply suggestions
to an article's latest revision as unconfirmed tags (import and retag), propose a new actor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.html import escape
from django.utils.text import slugify
from wagtail.rich_text import RichText

from apps.articles.models import (
    ArticleActor,
    ArticleEvent,
    ArticlePage,
    ArticlePlace,
    SyndicationRights,
    TagOrigin,
)
from apps.core.models import SectionPage
from apps.registry.models import Actor, Place
from apps.registry.services import propose_actor
from apps.tagging import selectors
from apps.tagging.models import RejectedSuggestion, WireImport
from apps.tagging.suggestions import SUGGEST_THRESHOLD
from apps.tagging.wire import WireItem

# suggestion type -> (revision/child relation name, tag model, foreign key name)
TAG_RELATIONS = {
    "actor": ("actor_tags", ArticleActor, "actor"),
    "place": ("place_tags", ArticlePlace, "place"),
    "event": ("event_tags", ArticleEvent, "event"),
}


@transaction.atomic
def reject_suggestion(*, page, kind: str, object_id: int, user=None) -> RejectedSuggestion:
    rejection, _ = RejectedSuggestion.objects.get_or_create(
        page=page, kind=kind, object_id=object_id, defaults={"user": user}
    )
    return rejection


@transaction.atomic
def mark_accepted(*, page: ArticlePage, accepted: Iterable[tuple[str, int]]) -> int:
    """Tag rows the editor added from the suggestion panel get origin "suggested".

    The panel adds ordinary inline rows to the form (the form has no origin field); this runs
    after Wagtail saved the revision, and also on the live rows when that save was a publish.
    """
    wanted: dict[str, set[int]] = {}
    for kind, object_id in accepted:
        if kind in TAG_RELATIONS:
            wanted.setdefault(kind, set()).add(int(object_id))
    revision = page.latest_revision
    if not wanted or revision is None:
        return 0
    content, changed = revision.content, 0
    for kind, ids in wanted.items():
        relation, _, fk = TAG_RELATIONS[kind]
        for row in content.get(relation, []):
            if row.get(fk) in ids and row.get("origin") != TagOrigin.SUGGESTED:
                row["origin"] = TagOrigin.SUGGESTED
                changed += 1
    if changed:
        revision.content = content
        revision.save(update_fields=["content"])
    if page.live and page.live_revision_id == revision.pk:
        for kind, ids in wanted.items():
            _, model, fk = TAG_RELATIONS[kind]
            model.objects.filter(page_id=page.pk, **{f"{fk}_id__in": ids}).update(origin=TagOrigin.SUGGESTED)
    return changed


@transaction.atomic
def apply_suggestions(*, page: ArticlePage, user=None, threshold: float = SUGGEST_THRESHOLD) -> int:
    """Re-run suggestions on the latest revision and save it as a new draft revision.

    Confirmed and hand-made tags stay as they are; unconfirmed suggested tags are replaced by the
    current suggestions (rejected ones excluded). Nothing is published: the live version, and so
    everything public, is unchanged. Returns the number of unconfirmed tags on the new draft, or
    -1 when nothing changed (no revision is written then).
    """
    page = ArticlePage.objects.select_for_update().get(pk=page.pk)
    draft = page.get_latest_revision_as_object()
    text = selectors.text_from_page(draft)
    found = selectors.suggest(**text, page_id=page.pk).above(threshold)
    offered = {"actor": found.actors, "place": found.places, "event": found.events}
    before, after = {}, {}
    for kind, (relation, model, fk) in TAG_RELATIONS.items():
        rows = list(getattr(draft, relation).all())
        keep = [r for r in rows if r.confirmed or r.origin != TagOrigin.SUGGESTED]
        kept_ids = {getattr(r, f"{fk}_id") for r in keep}
        new = []
        for s in offered[kind]:
            item = s if isinstance(s, dict) else s.__dict__
            if item["id"] in kept_ids:
                continue
            new.append(
                model(
                    **{f"{fk}_id": item["id"]},
                    role=item["role"],
                    relevance=item["relevance"],
                    origin=TagOrigin.SUGGESTED,
                    confirmed=False,
                )
            )
        before[kind] = sorted(getattr(r, f"{fk}_id") for r in rows if r not in keep)
        after[kind] = sorted(getattr(r, f"{fk}_id") for r in new)
        setattr(draft, relation, keep + new)
    if before == after:
        return -1
    draft.save_revision(user=user, log_action=True)
    return sum(len(v) for v in after.values())


def propose_new_actor(*, name: str, kind: str, user=None) -> Actor:
    """A candidate from the panel becomes a proposed actor with its name as an alias-free record:
    public only after an editor approves it (the registry's review rule)."""
    return propose_actor(name=name, kind=kind, description="Proposed from a tag suggestion.", user=user)


# ------------------------------------------------------------------------------ wire import


@dataclass
class ImportResult:
    created: list[ArticlePage] = field(default_factory=list)
    skipped: int = 0  # items imported before (same source id or content)


def _unique_child_slug(section: SectionPage, headline: str) -> str:
    base = slugify(headline)[:70] or "wire-item"
    taken = set(section.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _attribution(item: WireItem) -> str:
    parts = [f"By {item.byline}" if item.byline else "", item.source]
    return ", ".join(p for p in parts if p)[:200]


def _dateline_place(item: WireItem):
    if not item.dateline:
        return None
    places = selectors.current_index().matcher.match(item.dateline).mentions
    ids = [m.entry.target_id for m in places if m.entry.target_type == "place"]
    return Place.objects.filter(pk=ids[0]).first() if ids else None


def _suggested_tags(item: WireItem) -> dict[str, list]:
    found = selectors.suggest(
        headline=item.headline, standfirst=item.standfirst, body="\n\n".join(item.paragraphs), on=item.date
    ).above(SUGGEST_THRESHOLD)
    tags = {}
    for kind, rows in (("actor", found.actors), ("place", found.places), ("event", found.events)):
        relation, model, fk = TAG_RELATIONS[kind]
        tags[relation] = [
            model(
                **{f"{fk}_id": (r["id"] if isinstance(r, dict) else r.id)},
                role=r["role"] if isinstance(r, dict) else r.role,
                relevance=r["relevance"] if isinstance(r, dict) else r.relevance,
                origin=TagOrigin.SUGGESTED,
                confirmed=False,
            )
            for r in rows
        ]
    return tags


def import_item(
    *,
    item: WireItem,
    section: SectionPage,
    source: str,
    user=None,
    rights: str = SyndicationRights.AGENCY_SITE_ONLY,
) -> ArticlePage | None:
    """One wire item as a draft article, in one transaction; None when it was imported before.

    The import record goes in first: its unique key makes a second (or concurrent) import of the
    same item fail here, before a page exists. The section row is then locked so two imports
    into one section never compute the same tree path for their new child.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = WireImport.objects.create(
                    key=item.key, source=source[:500], user=user, item_date=item.date
                )
        except IntegrityError:
            return None
        section = SectionPage.objects.select_for_update().get(pk=section.pk)
        page = ArticlePage(
            title=item.headline[:255],
            slug=_unique_child_slug(section, item.headline),
            standfirst=(item.standfirst or item.paragraphs[0])[:400],
            body=[("paragraph", RichText(f"<p>{escape(p)}</p>")) for p in item.paragraphs],
            source_attribution=_attribution(item),
            syndication_rights=rights,
            dateline=_dateline_place(item),
            live=False,
            owner=user,
        )
        section.add_child(instance=page)
        # Suggested tags live in the draft revision only, unconfirmed, like an editor's draft.
        for relation, rows in _suggested_tags(item).items():
            setattr(page, relation, rows)
        page.save_revision(user=user, log_action=True)
        record.page = page
        record.save(update_fields=["page"])
        return page


def import_items(
    *,
    items: Iterable[WireItem],
    section: SectionPage,
    source: str,
    user=None,
    rights: str = SyndicationRights.AGENCY_SITE_ONLY,
) -> ImportResult:
    result = ImportResult()
    for item in items:
        page = import_item(item=item, section=section, source=source, user=user, rights=rights)
        if page is None:
            result.skipped += 1
        else:
            result.created.append(page)
    return result


# ---------------------------------------------------------------------------------- retag


@dataclass
class RetagResult:
    articles: int = 0
    updated: int = 0  # articles that got a new draft revision


def retag_articles(*, since: dt.date | None = None, user=None) -> RetagResult:
    """Re-run suggestions on articles (changed on or after ``since``) after registry changes.

    One transaction per article (``apply_suggestions``); locked pages are left alone; confirmed
    and hand-made tags are never touched.
    """
    pages = ArticlePage.objects.filter(locked=False).order_by("pk")
    if since is not None:
        pages = pages.filter(latest_revision_created_at__date__gte=since)
    result = RetagResult()
    for page in pages.iterator():
        result.articles += 1
        if apply_suggestions(page=page, user=user) >= 0:
            result.updated += 1
    return result
