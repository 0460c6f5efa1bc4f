"""Steps the browser tests share. `Person` counts what a person does (each click, each field
filled, each address typed), so a scenario can state how many actions it costs."""

from __future__ import annotations

import re

from playwright.sync_api import expect

PASSWORD = "e2e-desk-password"


class Person:
    def __init__(self, page) -> None:
        self.page = page
        self.actions = 0

    def goto(self, url: str) -> None:
        self.actions += 1
        self.page.goto(url)

    def click(self, locator) -> None:
        self.actions += 1
        locator.click()

    def fill(self, locator, text: str) -> None:
        self.actions += 1
        locator.fill(text)

    def type(self, locator, text: str) -> None:
        """Type into a rich-text (contenteditable) field, key by key as a person would."""
        self.actions += 1
        locator.click()
        locator.press_sequentially(text)

    def login(self, username: str) -> None:
        self.goto("/admin/login/")
        self.fill(self.page.get_by_label("Username"), username)
        self.fill(self.page.get_by_label("Password"), PASSWORD)
        self.click(self.page.get_by_role("button", name="Sign in"))
        self.page.wait_for_url(re.compile(r"/admin/$"))

    def open_explorer(self):
        """Open Pages in the sidebar; returns the explorer dialog."""
        self.click(self.page.get_by_role("button", name="Pages"))
        return self.page.get_by_role("dialog", name="Page explorer")

    def choose(self, chooser_button, name: str) -> None:
        """Open a chooser, pick the record called `name` in its modal."""
        self.click(chooser_button)
        modal = self.page.locator(".modal-dialog")
        self.click(modal.get_by_role("link", name=name, exact=True))
        modal.wait_for(state="hidden")
        expect(self.page.locator(".modal-backdrop")).to_have_count(0)


def login(page, username: str) -> None:
    Person(page).login(username)


def open_explorer(page):
    return Person(page).open_explorer()
