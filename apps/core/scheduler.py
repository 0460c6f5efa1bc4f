"""The desk's periodic jobs, in one place.

`manage.py run_scheduler` runs them: `make run` starts it beside the web server, production
runs it as one long-lived process (or `run_scheduler --once` from cron/systemd timers; see
docs/operations.md). Add a job by appending to ``JOBS``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    run: Callable[[], object]
    description: str = ""


def publish_scheduled() -> None:
    # Wagtail's publish_scheduled logic, one object per transaction with its change-log row
    # (apps/changes/jobs.py): pages whose go_live_at has passed go live, expired ones unpublish.
    from apps.changes.jobs import publish_scheduled as publish_with_change_log

    publish_with_change_log()


def prune_change_log() -> None:
    from apps.changes.jobs import prune_changes

    prune_changes()


def flush_api_key_usage() -> None:
    from apps.partners.services import flush_key_usage  # late import: models load after app setup

    flush_key_usage()


JOBS: list[PeriodicJob] = [
    PeriodicJob(
        "prune_change_log",
        timedelta(hours=1),
        prune_change_log,
        "Drop change-feed rows older than the retention window (clients behind it get 410 and resync).",
    ),
    PeriodicJob(
        "publish_scheduled",
        timedelta(minutes=1),
        publish_scheduled,
        "Publish pages whose go-live time has passed; unpublish expired pages.",
    ),
    PeriodicJob(
        "flush_api_key_usage",
        timedelta(minutes=1),
        flush_api_key_usage,
        "Move per-key API usage counters from the cache to the database (shown in the admin).",
    ),
]


def due_jobs(
    now: datetime, last_run: dict[str, datetime], jobs: list[PeriodicJob] | None = None
) -> list[PeriodicJob]:
    """Jobs that never ran in this process or whose interval has elapsed."""
    return [
        job
        for job in (JOBS if jobs is None else jobs)
        if job.name not in last_run or now - last_run[job.name] >= job.every
    ]


def run_jobs(jobs: list[PeriodicJob]) -> dict[str, str]:
    """Run each job; one failing job is logged and does not stop the others."""
    outcome: dict[str, str] = {}
    for job in jobs:
        try:
            job.run()
        except Exception:
            logger.exception("periodic job %s failed", job.name)
            outcome[job.name] = "failed"
        else:
            outcome[job.name] = "ok"
    return outcome
