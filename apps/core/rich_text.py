"""Rich-text page links that never reveal a page a reader cannot open; the link-scheme rule
lives in apps/core/safe_links.py."""

from __future__ import annotations

from django.db.models import Model
from wagtail.rich_text.pages import PageLinkHandler

from apps.core.selectors import publicly_visible_pages


class VisiblePageLinkHandler(PageLinkHandler):
    """Wagtail expands a link to any live page, restricted or expired ones included, so the URL
    (and the slug, which often gives the headline away) would leak; such links lose their href."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list[Model]:
        instance_ids = [attrs.get("id") for attrs in attrs_list]
        pages = publicly_visible_pages().filter(id__in=instance_ids).defer_streamfields().specific()
        pages_by_str_id = {str(page.id): page for page in pages}
        return [pages_by_str_id.get(str(id_)) for id_ in instance_ids]
