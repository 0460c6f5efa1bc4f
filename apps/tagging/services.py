"""Writes: remember a rejection, mark accepted suggestions on the saved draft, apply suggestions
to an article's latest revision as unconfirmed tags (import and retag), propose a new actor."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from apps.articles.models import ArticleActor, ArticleEvent, ArticlePage, ArticlePlace, TagOrigin
from apps.registry.models import Actor
from apps.registry.services import propose_actor
from apps.tagging import selectors
from apps.tagging.models import RejectedSuggestion
from apps.tagging.suggestions import SUGGEST_THRESHOLD

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
