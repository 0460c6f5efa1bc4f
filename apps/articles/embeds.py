"""Which video providers an article may embed, and a network-free finder for tests and demos.

The allow-list is the same set of hosts that `CSP_FRAME_SOURCES` admits: an embed from any
other provider would render as a blank frame under the public site's CSP.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from wagtail.embeds.finders.base import EmbedFinder
from wagtail.embeds.oembed_providers import vimeo, youtube

ALLOWED_EMBED_PROVIDERS = [youtube, vimeo]
_ALLOWED_PATTERNS = [
    re.compile(pattern) for provider in ALLOWED_EMBED_PROVIDERS for pattern in provider["urls"]
]


def is_allowed_embed_url(url: str) -> bool:
    return any(pattern.match(url) for pattern in _ALLOWED_PATTERNS)


def _video_id(url: str) -> tuple[str, str] | None:
    parsed = urlparse(url)
    host = (parsed.hostname or "").removeprefix("www.").removeprefix("m.")
    if host == "youtu.be":
        return "youtube", parsed.path.strip("/")
    if host == "youtube.com":
        ids = parse_qs(parsed.query).get("v")
        if ids:
            return "youtube", ids[0]
        match = re.match(r"^/(?:shorts|embed|v)/([^/?#]+)", parsed.path)
        return ("youtube", match.group(1)) if match else None
    if host in {"vimeo.com", "player.vimeo.com"}:
        match = re.search(r"(\d+)", parsed.path)
        return ("vimeo", match.group(1)) if match else None
    return None


class LocalEmbedFinder(EmbedFinder):
    """Builds the provider's standard player iframe without calling the provider.

    Configured through WAGTAILEMBEDS_FINDERS in tests (and usable offline), so no test
    touches the network; it accepts exactly the allow-listed providers.
    """

    def __init__(self, **options):
        self.options = options

    def accept(self, url: str) -> bool:
        return is_allowed_embed_url(url) and _video_id(url) is not None

    def find_embed(self, url: str, max_width: int | None = None, max_height: int | None = None) -> dict:
        provider, video_id = _video_id(url)
        if provider == "youtube":
            src = f"https://www.youtube-nocookie.com/embed/{video_id}"
            provider_name = "YouTube"
        else:
            src = f"https://player.vimeo.com/video/{video_id}"
            provider_name = "Vimeo"
        width, height = 640, 360
        return {
            "title": "",
            "author_name": "",
            "provider_name": provider_name,
            "type": "video",
            "thumbnail_url": None,
            "width": width,
            "height": height,
            "html": (
                f'<iframe width="{width}" height="{height}" src="{src}" title="{provider_name} video" '
                'frameborder="0" allowfullscreen></iframe>'
            ),
        }


embed_finder_class = LocalEmbedFinder
