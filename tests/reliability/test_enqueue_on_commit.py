"""Background tasks are enqueued when the transaction commits, never for a rolled-back write."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from apps.core.tasks import enqueue_on_commit
from apps.tagging import tasks

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def test_a_task_waits_for_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_on_commit(tasks.retag, since="2026-01-01")
        assert not DBTaskResult.objects.exists()
    assert len(callbacks) == 1
    (row,) = DBTaskResult.objects.all()
    assert (row.task_path, row.args_kwargs["kwargs"]) == ("apps.tagging.tasks.retag", {"since": "2026-01-01"})


def test_a_rolled_back_write_enqueues_nothing(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        call_command("retag", "--background")
        raise Rollback
    assert callbacks == []
    assert not DBTaskResult.objects.exists()
