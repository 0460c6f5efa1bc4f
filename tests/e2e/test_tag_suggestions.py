"""In the browser: suggestions appear as the body is typed, "accept all" makes the tags, and a
reporter submits a story with three suggested tags in at most 15 actions.

The tagging app's browser test, on the harness of tests/e2e/conftest.py (one browser per run)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.articles.models import ArticlePage
from apps.registry import demo
from tests.e2e.helpers import Person
from tests.factories import AuthorFactory

BODY = "Mali and Niger sent ministers to Moscow, where Sergey Lavrov received them on Thursday."


@pytest.fixture
def registry(e2e_desk):
    demo.load()
    return AuthorFactory(name="Aminata Traore")


def _latest_actor_slugs(title: str) -> set[str]:
    article = ArticlePage.objects.filter(title=title).first()
    if article is None:
        return set()
    return {t.actor.slug for t in article.get_latest_revision_as_object().actor_tags.all()}


def test_reporter_accepts_three_suggested_tags_and_submits_in_15_actions(page, shots, console, registry):
    title = "Sahel ministers meet Lavrov"
    me = Person(page)
    me.login("reporter")
    signed_in = me.actions

    explorer = me.open_explorer()
    me.click(explorer.get_by_role("link", name="Sahel", exact=True))
    me.click(page.get_by_role("link", name="Add child page").first)
    me.fill(page.get_by_placeholder("Page title*"), title)
    me.fill(page.locator("#id_standfirst"), "The talks covered the alliance's joint force.")
    me.choose(page.get_by_role("button", name="Choose author"), registry.name)
    me.click(page.get_by_title("Insert a block").first)
    me.click(page.get_by_role("option", name="Paragraph"))
    me.type(page.locator("[data-contentpath=body] [contenteditable=true]").first, BODY)

    # The suggestions follow the text as it is typed (debounced), with no save in between.
    me.click(page.get_by_role("tab", name="Tags"))
    panel = page.locator("[data-tagging-panel]")
    expect(panel.get_by_text("Sergey Lavrov (subject")).to_be_visible(timeout=15_000)
    expect(panel.locator(".tagging-group").first.get_by_text(re.compile(r"^Mali \("))).to_be_visible()
    shots("suggestions", full_page=True)
    me.click(panel.get_by_role("button", name="Accept all"))
    chosen = page.locator("[id^=id_actor_tags-][id$=-actor-title]")
    expect(chosen.filter(has_text="Sergey Lavrov")).to_be_visible()

    # Autosave (on, as reporters have it) stores the accepted rows; submit once it has.
    for _ in range(50):
        if {"mali", "niger", "sergey-lavrov"} <= _latest_actor_slugs(title):
            break
        page.wait_for_timeout(200)
    expect(page.locator(".w-autosave-indicator__state--saved")).to_be_visible()
    me.click(page.locator("footer .w-dropdown__toggle"))
    me.click(page.locator("footer").get_by_role("button", name="Submit to Desk review"))
    expect(page.locator(".messages")).to_contain_text("submitted for moderation")
    shots("submitted")

    article = ArticlePage.objects.get(title=title)
    assert not article.live
    tags = {t.actor.slug: t for t in article.get_latest_revision_as_object().actor_tags.all()}
    assert {"mali", "niger", "sergey-lavrov"} <= set(tags)
    assert all(t.origin == "suggested" for t in tags.values())
    assert console.errors == []
    actions = me.actions - signed_in
    print(f"reporter actions after sign-in, with suggestions: {actions}")
    assert actions <= 15
