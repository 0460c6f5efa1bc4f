"""Receivers for the writes Wagtail makes on its own (publish, unpublish, move, delete, view
restrictions, snippet saves). Our own services record their changes explicitly instead (kill and
the scheduler in services.py; partner entitlements and actor merges through the hooks in
wagtail_hooks.py). Wagtail sends these signals inside the action; the transaction around them is
ours (wagtail_hooks wraps the admin views), or Wagtail's own for workflow approval and deletion."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from apps.articles.models import ArticlePage
from apps.articles.services import sync_section
from apps.changes import services
from apps.changes.models import Cause, ObjectType
from apps.registry.models import Actor, ActorRelation, Event, Place
from apps.registry.selectors import public_actors, public_events, public_places


def on_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    if not services.recorded_by_caller_now():
        services.record_page_change(page=instance, cause=Cause.PUBLISHED)


def on_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    if services.recorded_by_caller_now():
        return
    cause = Cause.EXPIRED if getattr(instance, "expired", False) else Cause.UNPUBLISHED
    services.record_page_change(page=instance, cause=cause)


def on_moved(sender: Any, instance: Any, **kwargs: Any) -> None:
    page = Page.objects.get(pk=instance.pk)
    if page.specific_class is ArticlePage:
        # The section must follow the tree before we read it (idempotent if already done).
        sync_section(page=ArticlePage.objects.get(pk=page.pk))
    services.record_page_change(page=page, cause=Cause.MOVED)


def on_article_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    services.record_article_changes(page_ids=[instance.pk], cause=Cause.DELETED)


def on_restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    cause = Cause.UNRESTRICTED if kwargs.get("signal") is post_delete else Cause.RESTRICTED
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the page itself is being deleted: its own deletion is recorded
        return
    services.record_page_change(page=page, cause=cause)


# Registry records (saved by Wagtail's snippet views, the registry's services and the demo).
# The cause comes from comparing with the record's last change-log state (ObjectState), so no
# state is stashed on the instance between pre_save and post_save.

_REGISTRY = {
    Actor: (ObjectType.ACTOR, public_actors, "name"),
    Event: (ObjectType.EVENT, public_events, "title"),
    Place: (ObjectType.PLACE, public_places, "name"),
}


def on_registry_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw") or getattr(instance, "merged_into_id", None):
        return  # fixtures, and merges (recorded by the after_merge_actors hook with the survivor)
    object_type, public, name_field = _REGISTRY[type(instance)]
    services.record_registry_change(
        object_type=object_type,
        object_id=instance.pk,
        visible=public().filter(pk=instance.pk).exists(),
        label=getattr(instance, name_field),
    )


def on_relation_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance.end is None:
        return
    for actor_id in {instance.subject_id, instance.object_id}:
        visible = public_actors().filter(pk=actor_id).exists()
        services.record_registry_change(
            object_type=ObjectType.ACTOR, object_id=actor_id, visible=visible, cause=Cause.RELATION_ENDED
        )


def connect() -> None:
    page_published.connect(on_published, dispatch_uid="changes_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="changes_unpublished")
    post_page_move.connect(on_moved, dispatch_uid="changes_moved")
    post_delete.connect(on_article_deleted, sender=ArticlePage, dispatch_uid="changes_article_deleted")
    post_save.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="changes_restrict")
    post_delete.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="changes_unrestrict")
    for model in _REGISTRY:
        post_save.connect(on_registry_saved, sender=model, dispatch_uid=f"changes_post_{model.__name__}")
    post_save.connect(on_relation_saved, sender=ActorRelation, dispatch_uid="changes_relation")
