"""Admin template tags: a killed story's status (who and when) in the page listing and header."""

from __future__ import annotations

from django import template

from apps.changes.selectors import KillStatus, kill_status

register = template.Library()


@register.simple_tag
def page_kill_status(page) -> KillStatus | None:
    return kill_status(page) if page is not None else None
