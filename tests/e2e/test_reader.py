"""Scenario 3: a reader walks the public site; no page logs an error or a CSP violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import Person
from tests.e2e.stories import tagged_story


@pytest.fixture
def story(e2e_desk, sahel):
    return tagged_story(sahel)


def test_reader_follows_a_story_to_its_actor_and_event(page, shots, console, story):
    reader = Person(page)
    reader.goto("/")
    shots("home", full_page=True)
    reader.click(page.get_by_role("link", name=story.article.title).first)
    expect(page.get_by_role("heading", level=1)).to_have_text(story.article.title)
    shots("article", full_page=True)

    chips = page.get_by_role("navigation", name="Tagged in this story")
    expect(chips.get_by_role("link", name=story.event.title)).to_be_visible()
    reader.click(chips.get_by_role("link", name=story.actor.name))
    expect(page.get_by_role("heading", level=1)).to_have_text(story.actor.name)
    expect(page.get_by_role("heading", name="Relationship picture")).to_be_visible()
    expect(page.locator(".relationship-picture svg")).to_contain_text(story.ally.name)
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    expect(page.locator("main")).to_contain_text(story.article.title)
    shots("actor", full_page=True)

    reader.goto(f"/events/{story.event.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(story.event.title)
    participants = page.locator("section").filter(has=page.get_by_role("heading", name="Participants"))
    expect(participants.get_by_role("link", name=story.actor.name)).to_be_visible()
    expect(page.locator("main")).to_contain_text(story.article.title)
    shots("event", full_page=True)

    reader.goto(f"{story.article.get_parent().url}")
    expect(page.locator("main")).to_contain_text(story.article.title)
    feed = page.request.get("/feeds/sections/sahel/rss.xml")
    assert feed.ok and story.article.title in feed.text()

    reader.goto("/search/")
    reader.fill(page.get_by_role("searchbox").last, "grain reserve")
    page.keyboard.press("Enter")
    expect(page.locator("main").get_by_role("link", name=story.article.title)).to_be_visible()
    shots("search")
    assert console.errors == []
