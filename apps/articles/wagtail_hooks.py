"""Admin registration (authors as snippets, chosen for bylines) and what articles add to the
desk through core's hooks: permissions, the demo stories, the home and section listings."""

from django.http import HttpRequest
from wagtail import hooks
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from apps.articles import demo, selectors, services, views
from apps.articles.models import EDITORIAL_FIELDS_PERMISSION, Author
from apps.core.demo import DemoLoader
from apps.core.services import EDITORS, REPORTERS


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = "Authors"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "job_title"]
    search_fields = ["name"]


register_snippet(AuthorViewSet)


@hooks.register("register_desk_permissions")
def article_desk_permissions() -> dict[str, list[str]]:
    # Reporters pick authors for bylines (the chooser needs view); editors maintain them.
    return {
        REPORTERS: ["articles.view_author"],
        EDITORS: [
            *(f"articles.{action}_author" for action in ("add", "change", "delete", "view")),
            EDITORIAL_FIELDS_PERMISSION,
        ],
    }


@hooks.register("after_merge_actors")
def repoint_merged_actor(loser, survivor) -> None:
    # The registry has already moved the published tag rows; revisions are ours to fix.
    services.repoint_actor_in_revisions(loser_id=loser.pk, survivor_id=survivor.pk)


@hooks.register("register_demo_loader")
def article_demo_loader() -> DemoLoader:
    return DemoLoader(order=20, name="articles", load=demo.load)


@hooks.register("register_home_page_context")
def home_listings(page: Page, request: HttpRequest) -> dict:
    return selectors.home_page_context(page)


@hooks.register("register_section_page_context")
def section_listing(page: Page, request: HttpRequest) -> dict:
    return selectors.section_page_context(page, page_number=request.GET.get("page"))


# The registry's actor and event pages list the visible articles tagged with them.
hooks.register("register_actor_page_context", views.actor_page_articles)
hooks.register("register_event_page_context", views.event_page_articles)
