"""Periodic jobs: Wagtail's publish_scheduled, one object per transaction with its change row,
and pruning of the change log past its retention window."""

from __future__ import annotations

from datetime import datetime

from django.apps import apps
from django.utils import timezone
from wagtail.models import DraftStateMixin, Page, Revision

from apps.changes import services


def publish_scheduled(*, now: datetime | None = None) -> dict[str, int]:
    """What `manage.py publish_scheduled` does, but each expiry and each go-live commits
    together with its change-log row (Wagtail's command runs outside any transaction)."""
    now = now or timezone.now()
    models = [Page] + [
        model
        for model in apps.get_models()
        if issubclass(model, DraftStateMixin) and not issubclass(model, Page)
    ]
    expired = 0
    for model in models:
        for obj in list(model.objects.filter(live=True, expire_at__lt=now).order_by("expire_at")):
            expired += services.expire_object(obj=obj, now=now)
    published = 0
    due = Revision.objects.filter(approved_go_live_at__lt=now).order_by("approved_go_live_at", "pk")
    # Wagtail's command publishes every due revision in turn from a list read up front, so the
    # last one due is what stays live; publishing the first clears the others' schedule, which
    # our locked re-check would honour. Publish only each object's last due revision instead.
    rows = list(due.values_list("pk", "base_content_type_id", "object_id"))
    last_due = {(content_type, object_id): pk for pk, content_type, object_id in rows}
    for pk, content_type, object_id in rows:
        if last_due[content_type, object_id] == pk:
            published += services.publish_scheduled_revision(revision_id=pk, now=now)
    return {"expired": expired, "published": published}


def prune_changes() -> int:
    return services.prune_changes()
