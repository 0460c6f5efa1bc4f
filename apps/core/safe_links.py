"""Link targets a reader may be sent to: http(s), mailto, tel and relative ones.

No javascript:/data:/vbscript:/file: ... link leaves: dropped on output (site and API) and
refused in the editor. Kept free of Wagtail's rich-text machinery so models can use it.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.safestring import SafeString, mark_safe

# Link schemes a reader may follow. Anything else (javascript:, data:, vbscript:, file: ...) is
# dropped on output and refused in the editor; internal page/document links carry no href in
# the stored rich text and are resolved by Wagtail's link handlers.
SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def is_safe_href(href: str | None) -> bool:
    """True for http(s)/mailto/tel URLs and scheme-less relative ones ("/sahel/", "#notes")."""
    if not href:
        return False
    # Browsers decode character references in attributes ("&#106;avascript:" is "javascript:")
    href = html.unescape(href)
    # and ignore ASCII whitespace and control characters inside a scheme ("java\tscript:").
    cleaned = "".join(ch for ch in href if ord(ch) > 0x20 and ch != "\x7f")
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    if not scheme:
        return True
    return scheme in SAFE_LINK_SCHEMES


# An opening <a> tag; quoted attribute values may contain ">".
_A_TAG = re.compile(r"""<a\b(?:[^>"']|"[^"]*"|'[^']*')*>""", re.IGNORECASE)
# Any quoting, as a browser reads it (the editor writes double quotes; imports may not).
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


def _hrefs(tag: str) -> list[str]:
    return [next(part for part in match.groups() if part is not None) for match in _HREF.finditer(tag)]


def unsafe_hrefs(source: str) -> list[str]:
    """The link targets in this HTML that a reader must not be sent to (see is_safe_href)."""
    return [href for tag in _A_TAG.findall(source or "") for href in _hrefs(tag) if not is_safe_href(href)]


def drop_unsafe_links(source: str) -> SafeString:
    """The HTML with every link whose target is unsafe reduced to a bare <a> (its text stays)."""

    def replace(match: re.Match) -> str:
        return "<a>" if any(not is_safe_href(href) for href in _hrefs(match.group(0))) else match.group(0)

    return mark_safe(_A_TAG.sub(replace, source or ""))  # noqa: S308 (input is already HTML)


def validate_safe_links(source: str, *, also: list[str] | None = None) -> None:
    """Editor-side check for rich text: name the links that would be dropped (`also`: unsafe
    targets the editor submitted that Wagtail's converter already emptied)."""
    unsafe = [*(also or []), *unsafe_hrefs(str(source))]
    if unsafe:
        raise ValidationError(
            "Links must start with http://, https://, mailto: or tel: (or point at a page or "
            "document). Remove or fix: %(links)s",
            code="unsafe_link",
            params={"links": ", ".join(unsafe[:3])},
        )


# Longer editor submissions are left to Wagtail's own validation (and to DATA_UPLOAD_MAX_MEMORY_SIZE).
MAX_CONTENTSTATE_LENGTH = 2_000_000


def unsafe_contentstate_links(raw: str | None) -> list[str]:
    """Link URLs in a Draftail editor submission (contentstate JSON) that are not safe to follow.

    Wagtail's converter silently turns such a link into a bare <a>, so the editor would never
    learn the link is gone: forms read the raw submission first to report it instead.
    """
    if not raw or len(raw) > MAX_CONTENTSTATE_LENGTH:
        return []  # Wagtail's own field validation refuses what it cannot read
    try:
        entity_map = json.loads(raw).get("entityMap", {})
        entities = list(entity_map.values())
    except (ValueError, AttributeError, RecursionError):
        return []
    urls = [
        entity["data"].get("url")
        for entity in entities
        if isinstance(entity, dict) and entity.get("type") == "LINK" and isinstance(entity.get("data"), dict)
    ]
    return [url for url in urls if isinstance(url, str) and not is_safe_href(url)]
