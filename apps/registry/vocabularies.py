"""IPTC Media Topic codes for event types, filled only where the code was confirmed."""

from __future__ import annotations

IPTC_MEDIA_TOPICS: dict[str, str] = {}
