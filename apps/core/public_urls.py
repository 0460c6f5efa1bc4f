"""Absolute public URLs from one setting, ``PUBLIC_BASE_URL``.

Wagtail builds full URLs from the Site record (``localhost`` on a fresh install, whatever the
request's host under a proxy); canonical links, JSON-LD, feeds, the sitemap and the API must
all say the same address, so they all come through here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse
from wagtail.coreutils import WAGTAIL_APPEND_SLASH
from wagtail.models import Page, Site


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


def site_root_paths() -> list:
    """Wagtail's site root paths (most specific first), read once for a batch of url_for_path."""
    return Site.get_site_root_paths()


def url_for_path(url_path: str, *, roots: list) -> str | None:
    """page_url for a page known only by its ``url_path`` (a list's rows are values, not pages):
    Wagtail's ``get_url_parts`` without a request, step for step (its first matching site root,
    ``wagtail_serve`` reversed, ``WAGTAIL_APPEND_SLASH``), with the roots read once per batch
    instead of once per page from the cache. tests/core/test_public_urls.py holds the two equal."""
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        raise ImproperlyConfigured("url_for_path follows get_url_parts without i18n; use page_url")
    root_path = next((root.root_path for root in roots if url_path.startswith(root.root_path)), None)
    if root_path is None:
        return None
    try:
        path = reverse("wagtail_serve", args=(url_path[len(root_path) :],))
    except NoReverseMatch:
        return None
    if not WAGTAIL_APPEND_SLASH and path != "/":
        path = path.rstrip("/")
    return absolute_url(path)
