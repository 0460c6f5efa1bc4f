"""Scenario 1: a reporter writes an article in the browser and submits it to Desk review.

Autosave stays ON here (Wagtail's default, what reporters have); the other scenarios turn it off."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from apps.articles.models import ArticlePage
from apps.core.services import DESK_WORKFLOW
from tests.e2e.helpers import Person
from tests.factories import AuthorFactory
from tests.registry.factories import ActorFactory, EventFactory, PlaceFactory

BODY = (
    "Assimi Goita received Abdourahamane Tiani in Bamako on Monday, "
    "and the two leaders spoke about the alliance's joint force."
)


@pytest.fixture
def registry(e2e_desk):
    return {
        "author": AuthorFactory(name="Aminata Traore"),
        "actors": [ActorFactory(name="Assimi Goita"), ActorFactory(name="Abdourahamane Tiani")],
        "place": PlaceFactory(name="Bamako"),
        "event": EventFactory(title="Bamako security talks"),
    }


def write_article(me: Person, registry) -> None:
    """From the dashboard: walk the explorer to Sahel, add an article, write and tag it."""
    page = me.page
    explorer = me.open_explorer()
    me.click(explorer.get_by_role("link", name="Sahel", exact=True))
    me.click(page.get_by_role("link", name="Add child page").first)
    expect(page).to_have_url(re.compile(r"/admin/pages/add/articles/articlepage/\d+/$"))

    me.fill(page.get_by_placeholder("Page title*"), "Sahel leaders meet in Bamako")
    me.fill(page.locator("#id_standfirst"), "Two heads of state discussed the alliance's joint force.")
    me.choose(page.get_by_role("button", name="Choose author"), registry["author"].name)
    me.choose(page.get_by_role("button", name="Choose place"), registry["place"].name)
    me.click(page.get_by_title("Insert a block").first)
    me.click(page.get_by_role("option", name="Paragraph"))
    me.type(page.locator("[data-contentpath=body] [contenteditable=true]").first, BODY)

    me.click(page.get_by_role("tab", name="Tags"))
    me.click(page.get_by_role("button", name="Add Actor"))
    me.choose(page.get_by_role("button", name="Choose actor").last, registry["actors"][0].name)
    me.click(page.get_by_role("button", name="Add Event"))
    me.choose(page.get_by_role("button", name="Choose event").last, registry["event"].title)
    me.click(page.get_by_role("button", name="Add Place"))
    me.choose(page.get_by_role("button", name="Choose place").last, registry["place"].name)


def autosaves_in_flight(page):
    """A count of the editor's autosave POSTs not yet answered, and when the last one moved."""
    state = {"open": 0, "moved": time.monotonic()}

    def sent(request):
        if request.method == "POST" and "/admin/pages/" in request.url:
            state["open"] += 1
            state["moved"] = time.monotonic()

    def done(request):
        if request.method == "POST" and "/admin/pages/" in request.url:
            state["open"] -= 1
            state["moved"] = time.monotonic()

    page.on("request", sent)
    page.on("requestfinished", done)
    page.on("requestfailed", done)
    return state


def wait_for_autosave_to_settle(page, state, *, quiet_s: float = 1.5, timeout_s: float = 20) -> None:
    """Until no autosave is in flight or has moved for `quiet_s`: the "Saved" indicator alone can
    still show an earlier save while the next one (for the last tag chosen) is about to go. A
    submit racing that save is refused by Wagtail as out of date (400 in the console)."""
    deadline = time.monotonic() + timeout_s
    while state["open"] or time.monotonic() - state["moved"] < quiet_s:
        assert time.monotonic() < deadline, "autosave did not settle"
        page.wait_for_timeout(100)


def test_reporter_writes_tags_and_submits_to_desk_review(page, shots, console, registry):
    me = Person(page)
    autosaves = autosaves_in_flight(page)
    me.login("reporter")
    write_article(me, registry)
    shots("tags", full_page=True)

    # Autosave stores the new draft by itself (the editor moves to the page's edit view) and says
    # so. Submitting while a save is still in flight is the race in docs/testing.md.
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/(#.*)?$"), timeout=15_000)
    wait_for_autosave_to_settle(page, autosaves)
    expect(page.locator(".w-autosave-indicator__state--saved")).to_be_visible()

    # The reporter's action menu offers submission and no way to publish.
    me.click(page.locator("footer .w-dropdown__toggle"))
    actions = page.locator("footer")
    expect(actions.get_by_role("button", name="Submit to Desk review")).to_be_visible()
    expect(actions.get_by_role("button", name=re.compile("Publish"))).to_have_count(0)
    shots("actions")
    me.click(actions.get_by_role("button", name="Submit to Desk review"))

    expect(page.locator(".messages")).to_contain_text("has been submitted for moderation")
    shots("submitted")
    article = ArticlePage.objects.get(title="Sahel leaders meet in Bamako")
    assert not article.live
    state = article.current_workflow_state
    assert state is not None and state.workflow.name == DESK_WORKFLOW and state.status == "in_progress"
    latest = article.get_latest_revision_as_object()
    assert [t.actor_id for t in latest.actor_tags.all()] == [registry["actors"][0].pk]
    assert [t.event_id for t in latest.event_tags.all()] == [registry["event"].pk]
    assert [t.place_id for t in latest.place_tags.all()] == [registry["place"].pk]
    assert latest.dateline_id == registry["place"].pk
    assert "Abdourahamane Tiani" in str(latest.body)
    assert console.errors == []
    print(f"reporter actions: {me.actions}")
    assert me.actions == 28
