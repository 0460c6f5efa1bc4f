"""Rich-text page links that never reveal a page a reader cannot open."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db.models import Model
from wagtail.rich_text.pages import PageLinkHandler

from apps.core.selectors import publicly_visible_pages

# Link schemes a reader may follow. Anything else (javascript:, data:, vbscript:, file: ...) is
# dropped on output and refused in the editor; internal page/document links carry no href in
# the stored rich text and are resolved by Wagtail's link handlers.
SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def is_safe_href(href: str | None) -> bool:
    """True for http(s)/mailto/tel URLs and scheme-less relative ones ("/sahel/", "#notes")."""
    if not href:
        return False
    # Browsers ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
    cleaned = "".join(ch for ch in href if ord(ch) > 0x20 and ch != "\x7f")
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    if not scheme:
        return True
    return scheme in SAFE_LINK_SCHEMES


class VisiblePageLinkHandler(PageLinkHandler):
    """Wagtail expands a link to any live page, restricted or expired ones included, so the URL
    (and the slug, which often gives the headline away) would leak; such links lose their href."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list[Model]:
        instance_ids = [attrs.get("id") for attrs in attrs_list]
        pages = publicly_visible_pages().filter(id__in=instance_ids).defer_streamfields().specific()
        pages_by_str_id = {str(page.id): page for page in pages}
        return [pages_by_str_id.get(str(id_)) for id_ in instance_ids]
