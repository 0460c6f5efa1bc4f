"""Scenario 5: no JavaScript error and no CSP violation on the pages editors and readers use."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import Person
from tests.e2e.stories import tagged_story


@pytest.fixture(autouse=True)
def autosave_off(settings):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


@pytest.fixture
def story(e2e_desk, sahel):
    return tagged_story(sahel)


def visit(page, console, url: str) -> list[str]:
    console.clear()
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    return [f"{url}: {error}" for error in console.errors]


def test_public_pages_run_clean(page, console, story, sahel):
    urls = [
        "/",
        sahel.url,
        story.article.url,
        "/actors/",
        f"/actors/{story.actor.slug}/",
        "/events/",
        f"/events/{story.event.slug}/",
        "/search/?q=grain",
        "/api/v1/docs/",
    ]
    errors = [error for url in urls for error in visit(page, console, url)]
    assert errors == []


def test_admin_editor_explorer_and_choosers_run_clean(page, console, story, sahel, shots):
    editor = Person(page)
    editor.login("editor")
    editor.open_explorer().get_by_role("link", name="Sahel", exact=True).wait_for()
    errors = [f"explorer: {e}" for e in console.errors]

    errors += visit(page, console, f"/admin/pages/{story.article.pk}/edit/")
    # A new article has every chooser empty: open each one, then close it.
    errors += visit(page, console, f"/admin/pages/add/articles/articlepage/{sahel.pk}/")
    page.get_by_role("tab", name="Tags").click()
    page.get_by_role("button", name="Add Actor").click()
    page.get_by_role("tab", name="Content").click()
    for tab, button in [
        ("Content", "Choose author"),
        ("Content", "Choose place"),
        ("Content", "Choose an image"),
        ("Tags", "Choose actor"),
    ]:
        page.get_by_role("tab", name=tab).click()
        page.get_by_role("button", name=button).first.click()
        modal = page.locator(".modal-dialog")
        expect(modal).to_be_visible()
        page.wait_for_load_state("networkidle")
        if button == "Choose actor":
            expect(modal).to_contain_text(story.actor.name)
            shots("actor-chooser")
        modal.get_by_role("button", name="Close").click()
        expect(modal).to_be_hidden()
        errors += [f"{button}: {e}" for e in console.errors]
        console.clear()

    for url in [
        "/admin/",
        f"/admin/pages/{story.article.get_parent().pk}/",
        "/admin/snippets/registry/actor/",
    ]:
        errors += visit(page, console, url)
    assert errors == []
