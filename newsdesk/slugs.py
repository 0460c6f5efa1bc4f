"""Slugs for records that are not pages (Wagtail makes and checks page slugs itself).

It lives in the project package, not in an app, because the two bottom layers (core and
registry) may not import each other and both kinds of record need the same rule."""

from __future__ import annotations

from django.db import models
from django.utils.text import slugify


def unique_slug(
    model: type[models.Model], text: str, *, pk: int | None, max_length: int, fallback: str
) -> str:
    """`slugify(text)`, made unique among `model`'s rows with "-2", "-3" ... (kept within max_length)."""
    base = slugify(text)[:max_length].strip("-") or fallback
    slug, n = base, 2
    taken = model._default_manager.exclude(pk=pk)
    while taken.filter(slug=slug).exists():
        suffix = f"-{n}"
        slug, n = f"{base[: max_length - len(suffix)].rstrip('-')}{suffix}", n + 1
    return slug
