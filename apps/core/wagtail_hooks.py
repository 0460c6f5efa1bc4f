from django.http import HttpRequest
from django.utils import timezone
from wagtail import hooks
from wagtail.admin import messages
from wagtail.models import Page

from apps.core.demo import DemoLoader, load_core_demo
from apps.core.rich_text import VisiblePageLinkHandler
from apps.core.services import EDITORS, REPORTERS


# Runs after Wagtail's own registration (order 0), so our handler replaces its "page" link type.
@hooks.register("register_rich_text_features", order=100)
def register_visible_page_links(features):
    features.register_link_type(VisiblePageLinkHandler)


@hooks.register("register_desk_permissions")
def core_desk_permissions() -> dict[str, list[str]]:
    return {
        REPORTERS: ["wagtailadmin.access_admin"],
        EDITORS: ["wagtailadmin.access_admin", "core.change_desksettings"],
    }


@hooks.register("register_demo_loader")
def core_demo_loader() -> DemoLoader:
    return DemoLoader(order=0, name="core", load=load_core_demo)


@hooks.register("after_edit_page")
def confirm_workflow_action(request: HttpRequest, page: Page) -> None:
    """Say what Approve / Request changes did: Wagtail only reports "Page ... has been updated"."""
    if "action-workflow-action" not in request.POST:
        return
    action = request.POST.get("workflow-action-name")
    title = page.get_admin_display_title()
    if action == "approve":
        page.refresh_from_db(fields=["live", "go_live_at"])
        if page.live:
            messages.success(request, f"Approved and published: '{title}' is live on the site.")
        elif page.go_live_at:
            when = timezone.localtime(page.go_live_at).strftime("%d %b %Y %H:%M %Z")
            messages.success(request, f"Approved: '{title}' goes live at {when}.")
        else:
            messages.success(request, f"Approved: '{title}'.")
    elif action == "reject":
        messages.warning(request, f"Changes requested: '{title}' went back to its author, unpublished.")
