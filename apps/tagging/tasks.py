"""Background tasks (the `background` backend: django-tasks-db, run by `manage.py db_worker`)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from apps.tagging import services


@task(backend="background")
def retag(since: str | None = None) -> dict:
    """``manage.py retag --background``: the same re-run, off the request/command path."""
    result = services.retag_articles(since=dt.date.fromisoformat(since) if since else None)
    return {"articles": result.articles, "updated": result.updated}
