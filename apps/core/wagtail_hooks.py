from wagtail import hooks

from apps.core.rich_text import VisiblePageLinkHandler


# Runs after Wagtail's own registration (order 0), so our handler replaces its "page" link type.
@hooks.register("register_rich_text_features", order=100)
def register_visible_page_links(features):
    features.register_link_type(VisiblePageLinkHandler)
