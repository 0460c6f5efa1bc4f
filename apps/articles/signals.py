"""Receivers that keep article data in step with the tree and the registry."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from wagtail.signals import post_page_move

from apps.articles import services
from apps.articles.models import ArticlePage
from apps.registry import signals as registry_signals


@receiver(post_page_move)
def keep_section_in_step(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Only articles carry `section`; sections have no article children to update after them.
    if isinstance(instance, ArticlePage) or sender is ArticlePage:
        page = instance if isinstance(instance, ArticlePage) else ArticlePage.objects.get(pk=instance.pk)
        services.sync_section(page=page)


def connect_registry_signals() -> None:
    """Connect to the registry's merge signal: repoint drafts and scheduled revisions."""
    registry_signals.actors_merged.connect(_on_actors_merged, dispatch_uid="articles_actors_merged")


def _on_actors_merged(sender: Any, loser: Any, survivor: Any, **kwargs: Any) -> None:
    # The registry has already moved the published tag rows; revisions are ours to fix.
    services.repoint_actor_in_revisions(loser_id=loser.pk, survivor_id=survivor.pk)
