"""Proposals after a wire import: the tagging app records each import's draft on its
``WireImport`` row; once the row names its page, that draft is read for events."""

from __future__ import annotations

from django.db.models.signals import post_save

from apps.tagging.models import WireImport


def extract_after_import(
    sender, instance: WireImport, raw: bool = False, update_fields=None, **kwargs
) -> None:
    if raw or instance.page_id is None or (update_fields is not None and "page" not in update_fields):
        return
    from apps.extraction.services import extract_for_article  # services import models at call time

    extract_for_article(instance.page.specific)


def connect() -> None:
    post_save.connect(extract_after_import, sender=WireImport, dispatch_uid="extraction_after_wire_import")
