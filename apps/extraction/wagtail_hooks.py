"""Extraction in the admin: the review queue and exports, the "Extract events" item in the
article editor's action menu, and the reviewers' permission for the desk groups."""

from __future__ import annotations

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.action_menu import ActionMenuItem
from wagtail.admin.menu import MenuItem

from apps.articles.models import ArticlePage
from apps.extraction import urls


@hooks.register("register_admin_urls")
def extraction_admin_urls() -> list:
    return [path("extraction/", include(urls, namespace="extraction"))]


class ProposalsMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        # Editors review; reporters see the proposals on their own articles.
        return request.user.has_perm("registry.view_event")


@hooks.register("register_admin_menu_item")
def proposals_menu_item() -> MenuItem:
    return ProposalsMenuItem("Event proposals", reverse("extraction:queue"), icon_name="calendar", order=260)


class ExtractEventsMenuItem(ActionMenuItem):
    label = "Extract events"
    name = "action-extract-events"
    icon_name = "calendar"

    def is_shown(self, context) -> bool:
        page = context.get("page")
        return (
            context.get("view") == "edit"
            and isinstance(getattr(page, "specific", None), ArticlePage)
            and not context.get("locked_for_user")
        )

    def get_url(self, parent_context) -> str:
        return reverse("extraction:article", args=[parent_context["page"].pk])


@hooks.register("register_page_action_menu_item")
def extract_events_menu_item() -> ActionMenuItem:
    return ExtractEventsMenuItem(order=60)


@hooks.register("register_desk_permissions")
def extraction_desk_permissions() -> dict[str, list[str]]:
    return {"Editors": ["extraction.review_eventproposal"]}


@hooks.register("register_log_actions")
def extraction_log_actions(actions):
    actions.register_action(
        "extraction.accept", "Accept event proposal", "Accepted a proposal read from an article"
    )
    actions.register_action(
        "extraction.merge", "Merge event proposal", "Linked an article's proposal to this event"
    )
