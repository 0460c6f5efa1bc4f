"""Receivers that keep article data in step with the tree and the registry."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from wagtail.signals import post_page_move

from apps.articles import services
from apps.articles.models import ArticlePage


@receiver(post_page_move)
def keep_section_in_step(sender: Any, instance: Any, **kwargs: Any) -> None:
    # Only articles carry `section`; sections have no article children to update after them.
    if isinstance(instance, ArticlePage) or sender is ArticlePage:
        page = instance if isinstance(instance, ArticlePage) else ArticlePage.objects.get(pk=instance.pk)
        services.sync_section(page=page)
