"""The desk's periodic jobs: whatever the apps register through the `register_periodic_job` hook.

`manage.py run_scheduler` runs them: `make run` starts it beside the web server, production
runs one per node (or `run_scheduler --once` from cron/systemd timers; see docs/operations.md).
Any number of schedulers may run against one database: before running a job a scheduler claims
it in the job's `PeriodicJobState` row (one conditional UPDATE: due, and not held by another
scheduler), so each due run happens on one node only (docs/adr/0002). An app adds a job in its
wagtail_hooks.py (docs/adr/0008):

    @hooks.register("register_periodic_job")
    def my_job() -> PeriodicJob:
        return PeriodicJob("my_job", timedelta(minutes=5), run_it, "What it does.")
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, Q
from django.utils import timezone
from wagtail import hooks

from apps.core.models import PeriodicJobState

logger = logging.getLogger(__name__)

HOOK = "register_periodic_job"


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    run: Callable[[], object]
    description: str = ""
    # How long a claim holds: if the scheduler running the job dies, another may take the job
    # over once this has passed (so a run that outlives it can overlap the next one).
    lease: timedelta = timedelta(minutes=5)


def registered_jobs() -> list[PeriodicJob]:
    """Every registered job, in hook order; two jobs with one name are a programming error."""
    jobs = [register() for register in hooks.get_hooks(HOOK)]
    names = [job.name for job in jobs]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise RuntimeError(f"periodic job registered twice: {', '.join(duplicates)}")
    return jobs


def __getattr__(name: str) -> list[PeriodicJob]:
    # `scheduler.JOBS` reads as the list it used to be; it is built from the hooks on access.
    if name == "JOBS":
        return registered_jobs()
    raise AttributeError(name)


def due_jobs(
    now: datetime, last_run: dict[str, datetime], jobs: list[PeriodicJob] | None = None
) -> list[PeriodicJob]:
    """Jobs that never ran or whose interval has elapsed since `last_run` (name -> start)."""
    return [
        job
        for job in (registered_jobs() if jobs is None else jobs)
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


def scheduler_id() -> str:
    """Who holds a claim: host and process, as an operator reading the table would look for it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def last_runs() -> dict[str, datetime]:
    """When each job last started, on any node."""
    return dict(
        PeriodicJobState.objects.filter(last_started_at__isnull=False).values_list("name", "last_started_at")
    )


def claim(job: PeriodicJob, *, now: datetime, owner: str) -> bool:
    """Take this due run of `job` for `owner`; False if it is not due or another scheduler holds it.

    One UPDATE whose WHERE re-checks both conditions: on PostgreSQL a second scheduler's UPDATE
    waits for the first to commit and then finds the row no longer matching; SQLite serialises
    writers. Clocks of the nodes are assumed in step (NTP), well within a job's interval.
    """
    PeriodicJobState.objects.bulk_create([PeriodicJobState(name=job.name)], ignore_conflicts=True)
    due = Q(last_started_at__isnull=True) | Q(last_started_at__lte=now - job.every)
    free = Q(locked_until__isnull=True) | Q(locked_until__lte=now)
    claimed = PeriodicJobState.objects.filter(due & free, name=job.name).update(
        last_started_at=now, locked_by=owner, locked_until=now + job.lease, runs=F("runs") + 1
    )
    return claimed == 1


def release(job: PeriodicJob, *, owner: str, status: str) -> None:
    """Record how the run ended and free the job (only if `owner` still holds it)."""
    PeriodicJobState.objects.filter(name=job.name, locked_by=owner).update(
        last_finished_at=timezone.now(), last_status=status, locked_by="", locked_until=None
    )


def run_due_jobs(jobs: list[PeriodicJob], *, owner: str, now: datetime | None = None) -> dict[str, str]:
    """Run the jobs that are due across the deployment and that this scheduler wins the claim for."""
    now = now or timezone.now()
    outcome: dict[str, str] = {}
    for job in due_jobs(now, last_runs(), jobs):
        if not claim(job, now=now, owner=owner):
            continue
        status = run_jobs([job])[job.name]
        release(job, owner=owner, status=status)
        outcome[job.name] = status
    return outcome
