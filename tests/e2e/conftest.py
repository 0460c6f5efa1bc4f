"""Browser tests: Playwright's sync API driving Debian's chromium against pytest-django's
live_server (real templates, admin, static files). See docs/testing.md."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.helpers import PASSWORD

# Chromium started with these does no background traffic: no update checks, no first-run UI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(os.environ.get("E2E_ARTIFACTS") or Path(tempfile.gettempdir()) / "newsdesk-e2e")
E2E_DIR = Path(__file__).parent

# Reported in the browser's console by the init script below, so a CSP refusal is an error
# message even where chromium would only log a warning.
CSP_REPORTER = """
document.addEventListener('securitypolicyviolation', (e) => {
  console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline')
    + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""


def chromium_path() -> str | None:
    return shutil.which("chromium")


def _playwright_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = None
    if chromium_path() is None:
        reason = "chromium not found on PATH (apt-get install chromium)"
    reason = reason or _playwright_missing()
    for item in items:
        if E2E_DIR not in Path(str(item.path)).parents:
            continue
        item.add_marker(pytest.mark.e2e)
        # One live server and one browser: under xdist (--dist loadgroup) they share a worker.
        item.add_marker(pytest.mark.xdist_group("e2e"))
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"e2e: {reason}"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # A failing browser test names its last screen, so the failure can be seen, not guessed.
    if report.when == "call" and report.failed and (page := item.funcargs.get("page")) is not None:
        shot = ARTIFACTS / _safe(item.name) / "failure.png"
        try:
            page.screenshot(path=str(shot), full_page=True)
            report.sections.append(("e2e", f"url {page.url}\nscreenshot {shot}"))
        except Exception as exc:  # the page may be what broke
            report.sections.append(("e2e", f"no screenshot: {exc}"))
    return report


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", name)[:120]


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # beside it are synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        # launch() gives every run a fresh temporary profile (user-data dir).
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Console:
    """Errors the browser reported: console errors, uncaught exceptions, CSP violations."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def on_console(self, msg) -> None:
        if msg.type == "error":
            self.errors.append(f"{msg.text} ({msg.location.get('url', '')})")

    def on_pageerror(self, exc) -> None:
        self.errors.append(f"pageerror: {exc}")

    def clear(self) -> None:
        self.errors.clear()


class Shots:
    """Numbered screenshots of a test's steps under ARTIFACTS/<test name>/."""

    def __init__(self, page, folder: Path) -> None:
        self.page, self.folder, self.count = page, folder, 0
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, step: str, *, full_page: bool = False) -> Path:
        self.count += 1
        path = self.folder / f"{self.count:02d}-{_safe(step)}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


def _serial_live_server_thread():
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

    class SerialLiveServerThread(LiveServerThread):
        """One request at a time. On in-memory SQLite every thread shares the test's single
        connection, so two overlapping requests (an autosave beside a submit) would corrupt it;
        Django answers `Connection: close` from a non-threaded server, so the browser never
        holds it."""

        def _create_server(self, connections_override=None):
            return WSGIServer((self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False)

    return SerialLiveServerThread


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, serial when the test database is in-memory SQLite."""
    import django.test.testcases
    from django.db import connection
    from pytest_django.live_server_helper import LiveServer

    threaded = django.test.testcases.LiveServerThread
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        django.test.testcases.LiveServerThread = _serial_live_server_thread()
    try:
        server = LiveServer(os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost")
    finally:
        django.test.testcases.LiveServerThread = threaded
    yield server
    server.stop()


@pytest.fixture
def e2e_desk(transactional_db, live_server, desk):
    """The demo desk behind a live server, with known passwords for `editor` and `reporter`.
    `transactional_db` comes first so the desk is written where the server thread can read it."""
    from django.contrib.auth import get_user_model

    for user in get_user_model().objects.filter(username__in=["editor", "reporter"]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return desk


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def page(browser, e2e_desk, live_server, console, request):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(10_000)
    context.add_init_script(CSP_REPORTER)
    page = context.new_page()
    page.on("console", console.on_console)
    page.on("pageerror", console.on_pageerror)
    yield page
    context.close()


@pytest.fixture
def shots(page, request) -> Shots:
    return Shots(page, ARTIFACTS / _safe(request.node.name))
