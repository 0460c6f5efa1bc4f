"""Steps the browser tests share: signing in and opening the sidebar's page explorer."""

from __future__ import annotations

import re

PASSWORD = "e2e-desk-password"


def login(page, username: str) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))


def open_explorer(page):
    """Open Pages in the sidebar; returns the explorer dialog."""
    page.get_by_role("button", name="Pages").click()
    return page.get_by_role("dialog", name="Page explorer")
