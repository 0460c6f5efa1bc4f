"""Admin login lockout (django-axes, keyed by username and IP together, with a cool-off) and the
admin's password reset, which answers the same for a known and an unknown address."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.db.models import F

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
PASSWORD = "a long desk passphrase 42"
LIMIT = settings.AXES_FAILURE_LIMIT
HOME_IP = "203.0.113.7"
OTHER_IP = "198.51.100.9"


@pytest.fixture
def editor(desk, django_user_model):
    return django_user_model.objects.create_user(
        "night_editor", "night.editor@desk.example", PASSWORD, is_staff=True, is_superuser=True
    )


def attempt(client, username: str, password: str, ip: str = HOME_IP):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


def fail(client, username: str, times: int, ip: str = HOME_IP) -> list[int]:
    return [attempt(client, username, "wrong guess", ip).status_code for _ in range(times)]


def test_settings_lock_by_user_and_ip_with_a_cool_off():
    assert LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_one_failure_short_of_the_limit_still_lets_the_right_password_in(client, editor):
    assert fail(client, editor.username, LIMIT - 1) == [200] * (LIMIT - 1)
    assert logged_in(attempt(client, editor.username, PASSWORD))


def test_the_limit_th_failure_locks_the_pair_out_even_with_the_right_password(client, editor):
    statuses = fail(client, editor.username, LIMIT)
    assert statuses == [200] * (LIMIT - 1) + [429]
    response = attempt(client, editor.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "too many" in response.content.decode().lower()


def test_the_lock_is_per_user_and_ip_pair(client, editor, django_user_model):
    django_user_model.objects.create_user("day_editor", "day.editor@desk.example", PASSWORD, is_staff=True)
    fail(client, editor.username, LIMIT)
    # The same user from another address, and another user from the same address, get in: a
    # guesser cannot lock a colleague out of the desk from outside.
    assert logged_in(attempt(client, editor.username, PASSWORD, ip=OTHER_IP))
    client.logout()
    assert logged_in(attempt(client, "day_editor", PASSWORD, ip=HOME_IP))
    client.logout()
    assert attempt(client, editor.username, PASSWORD, ip=HOME_IP).status_code == 429


def _age_attempts(by: timedelta) -> None:
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - by)


def test_the_lock_lifts_after_the_cool_off(client, editor):
    fail(client, editor.username, LIMIT)
    _age_attempts(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
    assert logged_in(attempt(client, editor.username, PASSWORD))


def test_a_try_during_the_lock_is_refused_and_restarts_the_cool_off(client, editor):
    fail(client, editor.username, LIMIT)
    _age_attempts(settings.AXES_COOLOFF_TIME - timedelta(seconds=30))
    assert attempt(client, editor.username, PASSWORD).status_code == 429
    # A persistent guesser stays locked: the clock started again at that try.
    _age_attempts(timedelta(seconds=31))
    assert attempt(client, editor.username, PASSWORD).status_code == 429
    _age_attempts(settings.AXES_COOLOFF_TIME)
    assert logged_in(attempt(client, editor.username, PASSWORD))


def test_a_success_resets_the_count(client, editor):
    fail(client, editor.username, LIMIT - 1)
    assert logged_in(attempt(client, editor.username, PASSWORD))
    client.logout()
    assert fail(client, editor.username, LIMIT - 1) == [200] * (LIMIT - 1)
    assert logged_in(attempt(client, editor.username, PASSWORD))


def test_an_unknown_username_is_locked_like_a_known_one(client, editor):
    # Same answers for both, so the lockout is no oracle for which accounts exist.
    assert fail(client, "nobody_here", LIMIT) == fail(client, editor.username, LIMIT)


def test_the_django_admin_login_shares_the_lock(client, editor):
    fail(client, editor.username, LIMIT)
    response = client.post(
        "/django-admin/login/?next=/django-admin/",
        {"username": editor.username, "password": PASSWORD},
        REMOTE_ADDR=HOME_IP,
    )
    assert response.status_code == 429


RESET = "/admin/password_reset/"


def _reset(client, email: str):
    return client.post(RESET, {"email": email}, follow=True)


def _visible_text(response) -> str:
    # The page minus its CSRF tokens (form field and admin config), which differ per response.
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())


def test_password_reset_says_the_same_for_known_and_unknown_addresses(client, editor):
    known = _reset(client, editor.email)
    unknown = _reset(client, "stranger@elsewhere.example")
    assert known.redirect_chain == unknown.redirect_chain == [("/admin/password_reset/done/", 302)]
    assert known.status_code == unknown.status_code == 200
    assert _visible_text(known) == _visible_text(unknown)
    # Only the real account gets mail.
    assert [message.to for message in mail.outbox] == [[editor.email]]


def test_password_reset_link_uses_the_admin_base_url_not_the_request_host(client, editor):
    client.post(RESET, {"email": editor.email}, HTTP_HOST="attacker.example")
    (message,) = mail.outbox
    assert "attacker.example" not in message.body
    link = re.search(r"https?://\S+/admin/password_reset/confirm/\S+/", message.body).group(0)
    assert link.startswith(settings.WAGTAILADMIN_BASE_URL + "/")


def test_the_reset_link_sets_a_new_password_once(client, editor):
    client.post(RESET, {"email": editor.email})
    link = re.search(r"/admin/password_reset/confirm/\S+/", mail.outbox[0].body).group(0)
    form = client.get(link, follow=True)
    set_url = form.redirect_chain[-1][0]
    new = "another long desk passphrase 77"
    done = client.post(set_url, {"new_password1": new, "new_password2": new}, follow=True)
    assert done.redirect_chain[-1][0] == "/admin/password_reset/complete/"
    editor.refresh_from_db()
    assert editor.check_password(new)
    # The token is spent: the same link no longer offers the form.
    again = client.get(link, follow=True)
    assert b"new_password1" not in again.content
