"""Receivers that write the change log. Wagtail sends these signals inside the action; the
transaction around them is ours (wagtail_hooks wraps the admin views, jobs wrap the scheduler,
services wrap kill), or Wagtail's own for workflow approval and deletion."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from apps.changes import services
from apps.changes.models import Cause, ObjectType


def _is_article(instance: Any) -> bool:
    from apps.articles.models import ArticlePage

    return isinstance(instance, ArticlePage)


def on_published(sender: Any, instance: Any, **kwargs: Any) -> None:
    if _is_article(instance):
        services.record_article_changes(page_ids=[instance.pk], cause=Cause.PUBLISHED)
    else:
        services.record_subtree_change(page=instance, cause=Cause.PUBLISHED)


def on_unpublished(sender: Any, instance: Any, **kwargs: Any) -> None:
    if _is_article(instance):
        cause = Cause.EXPIRED if getattr(instance, "expired", False) else Cause.UNPUBLISHED
        services.record_article_changes(page_ids=[instance.pk], cause=cause)
    else:
        services.record_subtree_change(page=instance, cause=Cause.UNPUBLISHED)


def on_moved(sender: Any, instance: Any, **kwargs: Any) -> None:
    from apps.articles import services as article_services
    from apps.articles.models import ArticlePage

    page = Page.objects.get(pk=instance.pk)
    if page.specific_class is ArticlePage:
        # The section must follow the tree before we read it (idempotent if already done).
        article_services.sync_section(page=ArticlePage.objects.get(pk=page.pk))
        services.record_article_changes(page_ids=[page.pk], cause=Cause.MOVED)
    else:
        services.record_subtree_change(page=page, cause=Cause.MOVED)


def on_article_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    services.record_article_changes(page_ids=[instance.pk], cause=Cause.DELETED)


def on_restriction_changed(sender: Any, instance: PageViewRestriction, **kwargs: Any) -> None:
    cause = Cause.UNRESTRICTED if kwargs.get("signal") is post_delete else Cause.RESTRICTED
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the page itself is being deleted: its own deletion is recorded
        return
    from apps.articles.models import ArticlePage

    if page.specific_class is ArticlePage:
        services.record_article_changes(page_ids=[page.pk], cause=cause)
    else:
        services.record_subtree_change(page=page, cause=cause)


# Partner entitlements: remember the entitled sections before, compare after.


def _entitled(partner: Any) -> set[int]:
    from apps.partners.selectors import entitled_section_ids

    return set(entitled_section_ids(partner))


def on_partner_pre_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.pk and not kwargs.get("raw"):
        old = type(instance).objects.filter(pk=instance.pk).first()
        instance._changes_entitled_before = _entitled(old) if old is not None else set()


def on_partner_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    before = getattr(instance, "_changes_entitled_before", None)
    if before is None or kwargs.get("raw"):
        return
    del instance._changes_entitled_before
    services.record_entitlement_change(partner=instance, before=before, after=_entitled(instance))


def on_partner_sections_changed(
    sender: Any, instance: Any, action: str, reverse: bool, **kwargs: Any
) -> None:
    from apps.partners.models import Partner

    partners = [instance] if not reverse else list(Partner.objects.filter(pk__in=kwargs.get("pk_set") or []))
    if reverse and action == "pre_clear":
        partners = list(instance.partners.all())
        instance._changes_cleared_partners = partners
    if reverse and action == "post_clear":
        partners = getattr(instance, "_changes_cleared_partners", [])
    for partner in partners:
        if action.startswith("pre_"):
            partner._changes_m2m_before = _entitled(partner)
        elif action.startswith("post_"):
            before = getattr(partner, "_changes_m2m_before", None)
            if before is None:
                continue
            del partner._changes_m2m_before
            fresh = Partner.objects.get(pk=partner.pk)
            services.record_entitlement_change(partner=fresh, before=before, after=_entitled(fresh))


# Registry records.


def _registry_type(instance: Any) -> tuple[str, Any] | None:
    from apps.registry import selectors
    from apps.registry.models import Actor, Event, Place

    if isinstance(instance, Actor):
        return ObjectType.ACTOR, selectors.public_actors()
    if isinstance(instance, Event):
        return ObjectType.EVENT, selectors.public_events()
    if isinstance(instance, Place):
        return ObjectType.PLACE, selectors.public_places()
    return None


def on_registry_pre_save(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.pk and not kwargs.get("raw"):
        instance._changes_before = type(instance).objects.filter(pk=instance.pk).values().first()


def on_registry_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    kind = _registry_type(instance)
    if kind is None:
        return
    object_type, public = kind
    if getattr(instance, "merged_into_id", None):
        return  # a merge is recorded by on_actors_merged with the survivor
    old = getattr(instance, "_changes_before", None) or {}
    name_field = "title" if object_type == ObjectType.EVENT else "name"
    if old and old.get("review_status") != instance.review_status:
        cause = Cause.APPROVED if instance.review_status == "approved" else Cause.UNPUBLISHED
    elif old and old.get(name_field) != getattr(instance, name_field):
        cause = Cause.RENAMED
    else:
        cause = Cause.UPDATED
    visible = public.filter(pk=instance.pk).exists()
    services.record_registry_change(
        object_type=object_type, object_id=instance.pk, visible=visible, cause=cause
    )


def on_relation_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance.end is None:
        return
    from apps.registry.selectors import public_actors

    for actor_id in {instance.subject_id, instance.object_id}:
        visible = public_actors().filter(pk=actor_id).exists()
        services.record_registry_change(
            object_type=ObjectType.ACTOR, object_id=actor_id, visible=visible, cause=Cause.RELATION_ENDED
        )


def on_actors_merged(sender: Any, loser: Any, survivor: Any, **kwargs: Any) -> None:
    services.record_registry_change(
        object_type=ObjectType.ACTOR,
        object_id=loser.pk,
        visible=False,
        cause=Cause.MERGED,
        merged_into=survivor.pk,
    )


def connect() -> None:
    from apps.articles.models import ArticlePage
    from apps.partners.models import Partner
    from apps.registry import signals as registry_signals
    from apps.registry.models import Actor, ActorRelation, Event, Place

    page_published.connect(on_published, dispatch_uid="changes_published")
    page_unpublished.connect(on_unpublished, dispatch_uid="changes_unpublished")
    post_page_move.connect(on_moved, dispatch_uid="changes_moved")
    post_delete.connect(on_article_deleted, sender=ArticlePage, dispatch_uid="changes_article_deleted")
    post_save.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="changes_restrict")
    post_delete.connect(on_restriction_changed, sender=PageViewRestriction, dispatch_uid="changes_unrestrict")
    pre_save.connect(on_partner_pre_save, sender=Partner, dispatch_uid="changes_partner_pre")
    post_save.connect(on_partner_saved, sender=Partner, dispatch_uid="changes_partner_post")
    m2m_changed.connect(
        on_partner_sections_changed, sender=Partner.sections.through, dispatch_uid="changes_partner_m2m"
    )
    for model in (Actor, Event, Place):
        pre_save.connect(on_registry_pre_save, sender=model, dispatch_uid=f"changes_pre_{model.__name__}")
        post_save.connect(on_registry_saved, sender=model, dispatch_uid=f"changes_post_{model.__name__}")
    post_save.connect(on_relation_saved, sender=ActorRelation, dispatch_uid="changes_relation")
    registry_signals.actors_merged.connect(on_actors_merged, dispatch_uid="changes_actors_merged")
