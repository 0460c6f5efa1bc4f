from wagtail import hooks

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
