"""TASKS_BACKEND=rq moves the background backend to Redis; the default stays the database queue."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

BASE_SETTINGS = Path(__file__).resolve().parents[2] / "newsdesk" / "settings" / "base.py"


def base_settings(monkeypatch, **env: str) -> dict:
    for name in ("TASKS_BACKEND", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE_SETTINGS))


def test_the_default_background_backend_is_the_database_queue(monkeypatch):
    settings = base_settings(monkeypatch)
    assert settings["TASKS"]["background"] == {"BACKEND": "django_tasks_db.DatabaseBackend"}
    assert "django_rq" not in settings["INSTALLED_APPS"]
    assert "RQ_QUEUES" not in settings


def test_tasks_backend_rq_runs_background_tasks_on_redis(monkeypatch):
    settings = base_settings(monkeypatch, TASKS_BACKEND="rq", REDIS_URL="redis://127.0.0.1:6379/7")
    assert settings["TASKS"]["background"] == {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    # Wagtail's index tasks stay inline whatever runs ours.
    assert settings["TASKS"]["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"
    assert {"django_rq", "django_tasks_rq"} <= set(settings["INSTALLED_APPS"])
    assert settings["RQ_QUEUES"]["default"]["URL"] == "redis://127.0.0.1:6379/7"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND must be 'db' or 'rq'"),
        ({"TASKS_BACKEND": "rq"}, "TASKS_BACKEND=rq needs REDIS_URL"),
    ],
)
def test_a_wrong_tasks_backend_stops_the_start(monkeypatch, env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        base_settings(monkeypatch, **env)
