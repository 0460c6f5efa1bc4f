"""Several schedulers against one database run each due job once (apps/core/scheduler.py)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from apps.core import scheduler
from apps.core.models import PeriodicJobState

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


def counting_job(
    name: str = "count", every: timedelta = MINUTE, **kwargs
) -> tuple[scheduler.PeriodicJob, list]:
    ran: list[str] = []
    return scheduler.PeriodicJob(name, every, lambda: ran.append(name), **kwargs), ran


def test_a_second_scheduler_does_not_claim_a_run_the_first_took():
    job, _ = counting_job()
    now = timezone.now()
    assert scheduler.claim(job, now=now, owner="node-a:1")
    assert not scheduler.claim(job, now=now, owner="node-b:1")
    state = PeriodicJobState.objects.get(name="count")
    assert (state.runs, state.locked_by, state.last_started_at) == (1, "node-a:1", now)


def test_the_next_run_is_due_one_interval_after_the_last_start_on_any_node():
    job, _ = counting_job()
    now = timezone.now()
    assert scheduler.claim(job, now=now, owner="node-a:1")
    scheduler.release(job, owner="node-a:1", status="ok")
    assert not scheduler.claim(job, now=now + MINUTE - timedelta(microseconds=1), owner="node-b:1")
    assert scheduler.claim(job, now=now + MINUTE, owner="node-b:1")
    assert PeriodicJobState.objects.get(name="count").runs == 2


def test_a_held_job_is_not_started_again_until_its_lease_runs_out():
    # A run that outlives its interval is not overlapped; a dead scheduler's claim lapses.
    job, _ = counting_job(lease=timedelta(minutes=5))
    now = timezone.now()
    assert scheduler.claim(job, now=now, owner="node-a:1")
    assert not scheduler.claim(job, now=now + 2 * MINUTE, owner="node-b:1")
    assert scheduler.claim(job, now=now + 5 * MINUTE, owner="node-b:1")
    assert PeriodicJobState.objects.get(name="count").locked_by == "node-b:1"


def test_only_the_holder_releases_a_claim():
    job, _ = counting_job()
    now = timezone.now()
    scheduler.claim(job, now=now, owner="node-a:1")
    scheduler.release(job, owner="node-b:1", status="ok")
    assert PeriodicJobState.objects.get(name="count").locked_by == "node-a:1"
    scheduler.release(job, owner="node-a:1", status="failed")
    state = PeriodicJobState.objects.get(name="count")
    assert (state.locked_by, state.locked_until, state.last_status) == ("", None, "failed")
    assert state.last_finished_at is not None


def test_two_schedulers_ticking_together_run_each_job_once():
    every_minute, minute_runs = counting_job("minutely")
    hourly, hour_runs = counting_job("hourly", timedelta(hours=1))
    jobs = [every_minute, hourly]
    now = timezone.now()
    assert scheduler.run_due_jobs(jobs, owner="node-a:1", now=now) == {"minutely": "ok", "hourly": "ok"}
    assert scheduler.run_due_jobs(jobs, owner="node-b:1", now=now + timedelta(seconds=1)) == {}
    assert scheduler.run_due_jobs(jobs, owner="node-b:1", now=now + MINUTE) == {"minutely": "ok"}
    assert (minute_runs, hour_runs) == (["minutely", "minutely"], ["hourly"])


def test_a_failing_job_is_recorded_and_released():
    def broken():
        raise RuntimeError("boom")

    job = scheduler.PeriodicJob("broken", MINUTE, broken)
    assert scheduler.run_due_jobs([job], owner="node-a:1") == {"broken": "failed"}
    state = PeriodicJobState.objects.get(name="broken")
    assert (state.last_status, state.locked_by) == ("failed", "")


def test_run_scheduler_once_twice_in_a_minute_runs_the_jobs_once(capsys):
    call_command("run_scheduler", "--once")
    first = capsys.readouterr().out
    call_command("run_scheduler", "--once")
    second = capsys.readouterr().out
    names = {job.name for job in scheduler.registered_jobs()}
    assert {line.rsplit(" ", 2)[-2].rstrip(":") for line in first.splitlines()} == names
    assert second == ""
    assert set(PeriodicJobState.objects.values_list("name", "runs")) == {(name, 1) for name in names}


def test_run_scheduler_refuses_a_tick_below_one_second():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--tick must be at least 1"):
        call_command("run_scheduler", "--tick", "0")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_on_postgresql_give_the_run_to_one_scheduler():
    # Eight schedulers released at the same instant: row locking makes exactly one UPDATE match.
    job, ran = counting_job()
    now = timezone.now()
    barrier = threading.Barrier(8)
    outcomes: list[dict] = []
    errors: list[BaseException] = []

    def tick(owner: str) -> None:
        try:
            barrier.wait(timeout=30)
            outcomes.append(scheduler.run_due_jobs([job], owner=owner, now=now))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick, args=(f"node-{i}:1",)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(map(len, outcomes)) == [0] * 7 + [1]
    assert ran == ["count"]
    assert PeriodicJobState.objects.get(name="count").runs == 1
