"""Health endpoint, Content-Security-Policy per path, settings from the environment."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.settings.database import database_from_env

BASE_DIR = Path(__file__).resolve().parents[2]


def _csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0]] = tokens[1:]
    return directives


@pytest.mark.django_db
def test_healthz_reports_a_working_database(client, db_vendor):
    response = client.get("/healthz")
    assert response.status_code == 200
    # Apps add their own checks through the register_health_check hook (webhooks: worker, queue).
    assert {"status": "ok", "database": "ok", "engine": db_vendor}.items() <= response.json().items()
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_public_pages_send_a_strict_csp_without_unsafe_inline(desk, client):
    for url in ["/", "/sahel/", "/healthz"]:
        response = client.get(url)
        assert response.status_code == 200, url
        directives = _csp_directives(response["Content-Security-Policy"])
        assert directives["script-src"] == ["'self'"], url
        assert "'unsafe-inline'" not in directives["style-src"], url
        assert directives["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_admin_gets_its_own_policy_with_unsafe_inline_and_no_nonce(desk, client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    directives = _csp_directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" in directives["script-src"]
    assert not any(source.startswith("'nonce-") for source in directives["script-src"])
    # The admin policy is still a policy: no third-party script hosts.
    assert all(source in {"'self'", "'unsafe-inline'"} for source in directives["script-src"])


@pytest.mark.django_db
def test_admin_page_editor_gets_the_admin_policy(desk, client, django_user_model):
    editor = django_user_model.objects.get(username="editor")
    client.force_login(editor)
    response = client.get(f"/admin/pages/{desk.pk}/edit/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in _csp_directives(response["Content-Security-Policy"])["script-src"]


def test_admin_makes_no_third_party_calls(settings):
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None


def test_database_url_selects_postgresql():
    config = database_from_env("postgres://postgres@127.0.0.1:5432/newsdesk", default_sqlite_path=Path("x"))
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "newsdesk"
    assert config["HOST"] == "127.0.0.1"


def test_sqlite_is_the_default_and_tuned_for_concurrent_writers(tmp_path):
    config = database_from_env(None, default_sqlite_path=tmp_path / "db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert "busy_timeout" in config["OPTIONS"]["init_command"]


def _settings_in_subprocess(module: str, env: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    clean_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "PUBLIC_BASE_URL", "EMAIL_HOST"}
    }
    code = f"import {module} as s; print(json.dumps({expression}))"
    return subprocess.run(
        [sys.executable, "-c", f"import json; {code}"],
        cwd=BASE_DIR,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_module_reads_database_url_from_environment():
    result = _settings_in_subprocess(
        "newsdesk.settings.dev",
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/anything"},
        "s.DATABASES['default']['ENGINE']",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": "too-short", "ALLOWED_HOSTS": "example.org"}, "SECRET_KEY"),
        ({"SECRET_KEY": secrets.token_urlsafe(64)}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "example.org"}, "PUBLIC_BASE_URL"),
        (
            {
                "SECRET_KEY": secrets.token_urlsafe(64),
                "ALLOWED_HOSTS": "example.org",
                "PUBLIC_BASE_URL": "example.org",
            },
            "PUBLIC_BASE_URL",
        ),
    ],
)
def test_production_settings_refuse_to_start_half_configured(env, message):
    result = _settings_in_subprocess("newsdesk.settings.production", env, "s.DEBUG")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_production_admin_base_url_defaults_from_first_allowed_host():
    env = {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "news.example.org,www.example.org",
        "PUBLIC_BASE_URL": "https://news.example.org/",
    }
    result = _settings_in_subprocess(
        "newsdesk.settings.production",
        env,
        "[s.WAGTAILADMIN_BASE_URL, s.DEBUG, s.CSRF_TRUSTED_ORIGINS, s.PUBLIC_BASE_URL]",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "https://news.example.org",
        False,
        ["https://news.example.org"],
        "https://news.example.org",
    ]


def test_production_sends_mail_through_smtp_from_the_environment():
    env = {
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "news.example.org",
        "PUBLIC_BASE_URL": "https://news.example.org",
        "EMAIL_HOST": "smtp.example.org",
    }
    result = _settings_in_subprocess("newsdesk.settings.production", env, "[s.EMAIL_BACKEND, s.EMAIL_HOST]")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["django.core.mail.backends.smtp.EmailBackend", "smtp.example.org"]


def test_development_prints_mail_to_the_console():
    result = _settings_in_subprocess("newsdesk.settings.dev", {}, "s.EMAIL_BACKEND")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == "django.core.mail.backends.console.EmailBackend"
