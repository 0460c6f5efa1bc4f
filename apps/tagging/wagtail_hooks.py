"""Tagging in the admin: the suggestion panel on the article editor's Tags tab, its endpoints,
and origin "suggested" on the tag rows the editor accepted from it."""

from __future__ import annotations

import json

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from apps.articles.models import ArticlePage
from apps.tagging import selectors, services, urls
from apps.tagging.models import RegistryVersion
from apps.tagging.panels import SuggestionPanel


@hooks.register("register_article_tag_panels")
def suggestion_panel() -> list:
    return [SuggestionPanel(heading="Suggestions")]


@hooks.register("after_merge_actors")
def move_registry_version_on_merge(loser, survivor) -> None:
    # In the merge's transaction, like the save/delete receivers in signals.py (docs/adr/0010).
    RegistryVersion.bump()


@hooks.register("register_admin_urls")
def tagging_admin_urls() -> list:
    return [path("tagging/", include(urls, namespace="tagging"))]


class WireInboxMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        # The inbox refuses (403) a user with no section to add drafts to.
        return bool(selectors.sections_for(request.user))


@hooks.register("register_admin_menu_item")
def wire_inbox_menu_item() -> MenuItem:
    return WireInboxMenuItem("Wire import", reverse("tagging:inbox"), icon_name="download", order=250)


# The panel posts a few dozen [kind, id] pairs at most; a longer value is not the panel's.
MAX_ACCEPTED = 20_000


def _accepted(request) -> list[tuple[str, int]]:
    """The [kind, id] pairs the panel posted; anything malformed is ignored, so a bad value
    never fails (and loses) the editor's save."""
    raw = request.POST.get("tagging-accepted", "[]")
    if len(raw) > MAX_ACCEPTED:
        return []
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: JSON nested too deep
        return []
    if not isinstance(data, list):
        return []
    accepted = []
    for entry in data:
        if isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str):
            pk = selectors.posted_id(entry[1])
            if pk is not None:
                accepted.append((entry[0], pk))
    return accepted


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def mark_accepted_suggestions(request, page) -> None:
    if isinstance(page.specific, ArticlePage) and request.method == "POST":
        accepted = _accepted(request)
        if accepted:
            services.mark_accepted(page=page.specific, accepted=accepted)
