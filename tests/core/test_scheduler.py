from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from apps.core import scheduler
from apps.core.models import SectionPage

pytestmark = pytest.mark.django_db


def _scheduled_section(home, *, go_live_at):
    section = SectionPage(title="Coastal states", slug="coastal-states", live=False)
    home.add_child(instance=section)
    section.go_live_at = go_live_at
    revision = section.save_revision()
    revision.publish()
    section.refresh_from_db()
    return section, revision


def test_periodic_jobs_publish_a_page_whose_go_live_time_has_passed(desk):
    section, revision = _scheduled_section(desk, go_live_at=timezone.now() + timedelta(hours=1))
    assert not section.live
    assert section.has_unpublished_changes
    # An hour passes: move the approved schedule into the past rather than the clock.
    past = timezone.now() - timedelta(minutes=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    SectionPage.objects.filter(pk=section.pk).update(go_live_at=past)

    call_command("run_scheduler", "--once")

    section.refresh_from_db()
    assert section.live
    assert section.live_revision_id == revision.pk


def test_periodic_jobs_unpublish_an_expired_page(desk):
    section = SectionPage.objects.child_of(desk).live().first()
    SectionPage.objects.filter(pk=section.pk).update(expire_at=timezone.now() - timedelta(minutes=1))

    outcome = scheduler.run_jobs(scheduler.JOBS)

    assert outcome["publish_scheduled"] == "ok"
    assert set(outcome.values()) == {"ok"}
    section.refresh_from_db()
    assert not section.live
    assert section.expired


def test_publish_scheduled_runs_every_minute():
    job = next(job for job in scheduler.JOBS if job.name == "publish_scheduled")
    assert job.every == timedelta(minutes=1)
    now = timezone.now()
    assert scheduler.due_jobs(now, {}) == scheduler.JOBS
    assert job not in scheduler.due_jobs(now, {"publish_scheduled": now - timedelta(seconds=59)})
    assert job in scheduler.due_jobs(now, {"publish_scheduled": now - timedelta(seconds=60)})


def test_a_failing_job_does_not_stop_the_others():
    ran = []

    def broken():
        raise RuntimeError("boom")

    jobs = [
        scheduler.PeriodicJob("broken", timedelta(minutes=1), broken),
        scheduler.PeriodicJob("fine", timedelta(minutes=1), lambda: ran.append("fine")),
    ]
    assert scheduler.run_jobs(jobs) == {"broken": "failed", "fine": "ok"}
    assert ran == ["fine"]
