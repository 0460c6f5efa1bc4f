"""Stable identifiers partners keep: `urn:newsdesk:<kind>:<id>` (article, section, actor, event,
place, image; problem types are `urn:newsdesk:problem:<slug>`, apps/api/exceptions.py)."""

from __future__ import annotations

URN_BASE = "urn:newsdesk:"


def urn(kind: str, pk: int | str) -> str:
    return f"{URN_BASE}{kind}:{pk}"
