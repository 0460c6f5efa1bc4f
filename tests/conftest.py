"""Suite-wide fixtures and the slow/postgres markers."""

from __future__ import annotations

import pytest
from django.db import connection


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", default=False, help="also run tests marked slow")


def _on_postgres() -> bool:
    from django.conf import settings

    return "postgresql" in settings.DATABASES["default"]["ENGINE"]


def pytest_collection_modifyitems(config, items):
    run_slow = config.getoption("--run-slow")
    on_postgres = _on_postgres()
    for item in items:
        if "slow" in item.keywords and not run_slow:
            item.add_marker(pytest.mark.skip(reason="slow: pass --run-slow"))
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)"))


_skipped_postgres_tests: list[str] = []


def pytest_runtest_logreport(report):
    if report.skipped and "postgres" in report.keywords and _on_postgres():
        _skipped_postgres_tests.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    # On PostgreSQL every PostgreSQL-only test must actually run.
    if _skipped_postgres_tests and session.exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    if _skipped_postgres_tests:
        terminalreporter.section("PostgreSQL-only tests skipped on PostgreSQL (this fails the run)")
        for nodeid in _skipped_postgres_tests:
            terminalreporter.line(nodeid)


@pytest.fixture
def db_vendor() -> str:
    return connection.vendor


def restore_wagtail_bootstrap_rows() -> None:
    """Recreate the rows Wagtail's data migrations make (default locale, root collection, root
    page). A `transaction=True` test flushes every table afterwards, so a later test would
    otherwise find no tree to build the desk on."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    locale = Locale.objects.first() or Locale.objects.create(language_code=settings.LANGUAGE_CODE)
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale, live=True))


def _load_desk() -> None:
    from apps.core.demo import load_demo_desk

    restore_wagtail_bootstrap_rows()
    load_demo_desk()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Build the demo desk once per test database: every test then runs in a transaction that is
    rolled back, so each sees the same desk without paying ~0.5 s to rebuild it."""
    with django_db_blocker.unblock():
        _load_desk()


@pytest.fixture
def desk(db):
    """The demo desk's structure: home, sections, groups, workflow and the two demo users."""
    from apps.core.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        # A `transaction=True` test flushed the tables since the session built the desk.
        _load_desk()
        home = HomePage.objects.get()
    return home


@pytest.fixture(autouse=True)
def _no_reference_index(request):
    """Wagtail's reference index (the admin's "Usage" counts) is rebuilt inline on every page,
    revision and image save: a third of what creating an article costs in a test, and nothing of
    ours reads it. Tests marked `reference_index` keep it; the live server's thread always does."""
    if request.node.get_closest_marker("reference_index"):
        yield
        return
    from wagtail.signal_handlers import disable_reference_index_auto_update

    with disable_reference_index_auto_update():
        yield


@pytest.fixture(autouse=True)
def _clear_cache():
    # Throttle windows, usage counters and Wagtail's site root paths live in the cache; tests
    # must not share them.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def sahel(desk):
    from apps.core.models import SectionPage

    return SectionPage.objects.get(slug="sahel")


@pytest.fixture
def west_africa(desk):
    from apps.core.models import SectionPage

    return SectionPage.objects.get(slug="west-africa")


@pytest.fixture
def partner(sahel):
    """A partner entitled to the Sahel section."""
    from tests.partners.factories import PartnerFactory

    return PartnerFactory(name="Lagoon Post", sections=[sahel])


@pytest.fixture
def key(partner) -> str:
    from tests.partners.factories import issue_key

    return issue_key(partner).plaintext


@pytest.fixture
def api(key):
    """An API client sending the partner's key."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def anon():
    from rest_framework.test import APIClient

    return APIClient()
