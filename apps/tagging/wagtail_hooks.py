"""Tagging in the admin: the suggestion panel on the article editor's Tags tab, its endpoints,
and origin "suggested" on the tag rows the editor accepted from it."""

from __future__ import annotations

import json

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from apps.articles.models import ArticlePage
from apps.tagging import services, urls
from apps.tagging.panels import SuggestionPanel


@hooks.register("register_article_tag_panels")
def suggestion_panel() -> list:
    return [SuggestionPanel(heading="Suggestions")]


@hooks.register("register_admin_urls")
def tagging_admin_urls() -> list:
    return [path("tagging/", include(urls, namespace="tagging"))]


@hooks.register("register_admin_menu_item")
def wire_inbox_menu_item() -> MenuItem:
    return MenuItem("Wire import", reverse("tagging:inbox"), icon_name="download", order=250)


def _accepted(request) -> list[tuple[str, int]]:
    try:
        data = json.loads(request.POST.get("tagging-accepted", "[]"))
        return [(str(kind), int(pk)) for kind, pk in data]
    except (TypeError, ValueError):
        return []


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def mark_accepted_suggestions(request, page) -> None:
    if isinstance(page.specific, ArticlePage) and request.method == "POST":
        accepted = _accepted(request)
        if accepted:
            services.mark_accepted(page=page.specific, accepted=accepted)
