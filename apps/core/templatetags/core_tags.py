from django import template
from wagtail.rich_text import expand_db_html

from apps.core.models import SectionPage
from apps.core.public_urls import absolute_url, page_url
from apps.core.safe_links import drop_unsafe_links
from apps.core.selectors import public_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def section_links(context) -> list[SectionPage]:
    """Live, public sections of the current site, in tree order (one query per request)."""
    request = context.get("request")
    cache = getattr(request, "_newsdesk_section_links", None) if request else None
    if cache is not None:
        return cache
    sections = list(public_sections().order_by("path").only("id", "title", "url_path", "path", "depth"))
    if request is not None:
        request._newsdesk_section_links = sections
    return sections


@register.simple_tag
def public_page_url(page) -> str:
    """The page's absolute address on PUBLIC_BASE_URL (canonical links), never the Site record's."""
    return page_url(page) or ""


@register.simple_tag
def public_url(path: str) -> str:
    return absolute_url(path)


@register.filter
def safe_richtext(value) -> str:
    """Wagtail's `richtext` filter, with links to unsafe schemes dropped."""
    source = getattr(value, "source", value) or ""
    return drop_unsafe_links(expand_db_html(source))
