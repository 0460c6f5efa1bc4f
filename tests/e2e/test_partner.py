"""Scenario 4: an editor creates a partner key in the admin; the partner reads with it, and the
API's Swagger UI renders from our own static files."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import Person
from tests.e2e.stories import tagged_story
from tests.partners.factories import PartnerFactory


@pytest.fixture(autouse=True)
def autosave_off(settings):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0


def test_key_created_in_the_admin_reads_articles_by_actor(page, shots, console, e2e_desk, sahel):
    story = tagged_story(sahel)
    partner = PartnerFactory(name="Lagoon Post", sections=[sahel])
    editor = Person(page)
    editor.login("editor")
    editor.click(page.get_by_role("button", name="Partners"))
    editor.click(page.get_by_role("link", name="API keys"))
    editor.click(page.get_by_role("link", name="Add API key"))
    page.locator("#id_partner").select_option(label=partner.name)
    editor.actions += 1
    editor.fill(page.locator("#id_label"), "CMS sync")
    editor.click(page.get_by_role("button", name="Create"))
    key = page.get_by_test_id("new-api-key").inner_text().strip()
    shots("key-created")
    assert key

    headers = {"Authorization": f"Bearer {key}"}
    listing = page.request.get(f"/api/v1/articles/?actor={story.actor.pk}", headers=headers)
    assert listing.status == 200, listing.text()
    assert [a["title"] for a in listing.json()["results"]] == [story.article.title]
    assert page.request.get("/api/v1/articles/").status == 401
    assert console.errors == []


def test_swagger_ui_renders_offline(page, shots, console, e2e_desk, live_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Newsdesk partner API")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    shots("swagger")
    assert [url for url in requested if not url.startswith(live_server.url)] == []
    assert console.errors == []
