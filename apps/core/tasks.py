"""Enqueueing background tasks (docs/adr/0002)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, /, *args: Any, **kwargs: Any) -> None:
    """Enqueue `task` once the current transaction commits (at once outside a transaction).

    With TASKS_BACKEND=rq the queue is Redis, outside the database transaction: enqueued earlier,
    a worker could run the task before the rows it reads are committed, or for a write that then
    rolls back. The database queue would be transactional anyway; one rule for both backends.
    """
    transaction.on_commit(partial(task.enqueue, *args, **kwargs), robust=False)
