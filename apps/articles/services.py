"""Writes for articles that span models: keeping drafts in step with registry merges."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from wagtail.models import Page, Revision

from apps.articles.models import ArticlePage


def _repoint_tags(tags: list[dict], *, loser_id: int, survivor_id: int) -> bool:
    changed = False
    if any(tag.get("actor") == survivor_id for tag in tags):
        # The survivor is already tagged: keep that tag and drop the duplicate.
        kept = [tag for tag in tags if tag.get("actor") != loser_id]
        changed = len(kept) != len(tags)
        tags[:] = kept
        return changed
    for tag in tags:
        if tag.get("actor") == loser_id:
            tag["actor"] = survivor_id
            changed = True
    return changed


@transaction.atomic
def repoint_actor_in_revisions(*, loser_id: int, survivor_id: int) -> int:
    """Rewrite drafts and scheduled revisions of articles that still tag the merged-away actor.

    The generic merge moves the published tag rows; revisions are JSON snapshots that would
    bring the old actor back when published, so the latest revision of every article and
    every revision approved to go live later are rewritten. Returns how many were changed.
    """
    page_type = ContentType.objects.get_for_model(ArticlePage)
    latest_ids = (
        Page.objects.filter(content_type=page_type)
        .exclude(latest_revision__isnull=True)
        .values("latest_revision_id")
    )
    revisions = Revision.objects.filter(
        Q(pk__in=latest_ids) | Q(approved_go_live_at__isnull=False),
        base_content_type=ContentType.objects.get_for_model(Page),
        content_type=page_type,
    ).only("pk", "content")
    changed = []
    for revision in revisions.iterator(chunk_size=200):
        tags = revision.content.get("actor_tags") or []
        if _repoint_tags(tags, loser_id=loser_id, survivor_id=survivor_id):
            revision.content["actor_tags"] = tags
            changed.append(revision)
    Revision.objects.bulk_update(changed, ["content"], batch_size=200)
    return len(changed)


@transaction.atomic
def sync_section(*, page: ArticlePage) -> ArticlePage:
    """Point `section` at the page's current parent (after a move in the tree)."""
    section_id = page._section_id_from_tree()
    if page.section_id != section_id:
        ArticlePage.objects.filter(pk=page.pk).update(section_id=section_id)
        page.section_id = section_id
    return page
