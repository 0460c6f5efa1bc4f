"""Absolute public URLs from one setting, ``PUBLIC_BASE_URL``.

Wagtail builds full URLs from the Site record (``localhost`` on a fresh install, whatever the
request's host under a proxy); canonical links, JSON-LD, feeds, the sitemap and the API must
all say the same address, so they all come through here.
"""

from __future__ import annotations

from django.conf import settings
from wagtail.models import Page


def public_base_url() -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """``path`` ("/sahel/story/", "media/x.jpg") on the public base; absolute URLs pass through."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{public_base_url()}/{path.lstrip('/')}"


def page_url(page: Page) -> str | None:
    """The page's public address, or None when it is not routable from a site."""
    parts = page.get_url_parts()
    if parts is None:
        return None
    return absolute_url(parts[2])
