from django import template

from apps.core.models import SectionPage
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
