"""The webhooks' periodic jobs and health check are registered through the lower apps' hooks."""

from __future__ import annotations

from datetime import timedelta

from django.test import override_settings
from wagtail import hooks

from apps.core import scheduler
from apps.core.views import HEALTH_CHECK_HOOK
from apps.webhooks import services
from apps.webhooks.wagtail_hooks import deliveries_for_changes, webhooks_health


def test_the_sweep_and_the_prune_are_periodic_jobs():
    jobs = {job.name: job for job in scheduler.registered_jobs()}
    assert jobs["webhooks_sweep"].run is services.sweep
    assert jobs["webhooks_prune"].run is services.prune
    assert jobs["webhooks_prune"].every == timedelta(hours=1)


@override_settings(WEBHOOKS_SWEEP_SECONDS=2)
def test_the_sweep_interval_comes_from_the_setting():
    jobs = {job.name: job for job in scheduler.registered_jobs()}
    assert jobs["webhooks_sweep"].every == timedelta(seconds=2)


def test_changes_and_healthz_reach_the_webhooks_through_hooks():
    assert deliveries_for_changes in hooks.get_hooks("after_change_logged")
    assert webhooks_health in hooks.get_hooks(HEALTH_CHECK_HOOK)
