from django import template
from django.urls import NoReverseMatch
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def record_link(record, label: str, kind: str) -> str:
    """A tag chip linking to the registry record's public page (a plain chip if it has none)."""
    try:
        url = record.get_absolute_url()
    except (AttributeError, NoReverseMatch):
        url = ""
    if url:
        return format_html('<a class="chip chip-{}" href="{}">{}</a>', kind, url, label)
    return format_html('<span class="chip chip-{}">{}</span>', kind, label)
