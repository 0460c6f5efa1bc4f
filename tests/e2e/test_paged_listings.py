"""A reader pages through a busy actor's timeline and a section with Next/Older links; no page
logs an error or a CSP violation. Screenshots under E2E_ARTIFACTS/<test name>/."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from apps.registry.selectors import TIMELINE_PAGE_SIZE
from tests.e2e.helpers import Person
from tests.factories import ArticlePageFactory
from tests.registry.factories import ActorFactory, EventFactory, ParticipantFactory


def test_reader_pages_through_a_busy_actors_timeline(page, shots, console, e2e_desk):
    actor = ActorFactory(name="Busy Republic")
    for i in range(TIMELINE_PAGE_SIZE + 2):
        event = EventFactory(title=f"Meeting {i:03d}", start=dt.date(2000, 1, 1) + dt.timedelta(days=i))
        ParticipantFactory(actor=actor, event=event)
    reader = Person(page)
    reader.goto(actor.get_absolute_url())
    expect(page.locator("ol.timeline li")).to_have_count(TIMELINE_PAGE_SIZE)
    shots("timeline-page-1", full_page=True)
    reader.click(page.get_by_role("link", name="Next"))
    expect(page.locator("ol.timeline li")).to_have_count(2)
    expect(page.get_by_text("Page 2", exact=True)).to_be_visible()
    shots("timeline-page-2", full_page=True)
    assert console.errors == []


def test_reader_pages_through_a_section(page, shots, console, sahel):
    for i in range(23):
        ArticlePageFactory(parent=sahel, title=f"Story {i:02d}")
    reader = Person(page)
    reader.goto(sahel.url)
    expect(page.locator("ul.article-list > li")).to_have_count(20)
    shots("section-page-1", full_page=True)
    reader.click(page.get_by_role("link", name="Older"))
    expect(page.locator("ul.article-list > li")).to_have_count(3)
    shots("section-page-2", full_page=True)
    assert console.errors == []
