"""The desk's periodic jobs: whatever the apps register through the `register_periodic_job` hook.

`manage.py run_scheduler` runs them: `make run` starts it beside the web server, production
runs it as one long-lived process (or `run_scheduler --once` from cron/systemd timers; see
docs/operations.md). An app adds a job in its wagtail_hooks.py (docs/adr/0008):

    @hooks.register("register_periodic_job")
    def my_job() -> PeriodicJob:
        return PeriodicJob("my_job", timedelta(minutes=5), run_it, "What it does.")
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from wagtail import hooks

logger = logging.getLogger(__name__)

HOOK = "register_periodic_job"


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    run: Callable[[], object]
    description: str = ""


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
    """Jobs that never ran in this process or whose interval has elapsed."""
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
