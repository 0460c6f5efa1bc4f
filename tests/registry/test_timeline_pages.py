"""The actor page's timeline, a page at a time: the pages put end to end are the whole timeline
(``actor_timeline``, the one order), and a page costs the same queries however many events the
actor took part in (the most popular actor of the 100k corpus has 17,000)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from apps.registry import selectors
from apps.registry.models import ParticipantRole, ReviewStatus
from tests.articles.page_costs import page_cost
from tests.registry.factories import ActorFactory, EventFactory, ParticipantFactory, RelationFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2023, 1, 1)


def _entry(entry) -> tuple:
    return (entry.kind, entry.label, entry.date, entry.precision, entry.url)


@pytest.fixture
def busy_actor():
    """Events and relation starts and ends that tie on every part of the sort key."""
    actor = ActorFactory(name="Mali")

    def took_part(title, start=DAY, precision="day", **fields):
        event = EventFactory(title=title, start=start, start_precision=precision, **fields)
        ParticipantFactory(actor=actor, event=event)
        return event

    # One first day, three precisions: coarser first; titles compared by code point.
    took_part("Year event", precision="year")
    took_part("Month event", precision="month")
    for title in ("Zeta talks", "alpha talks", "Éclair summit", "Alpha talks", "Alpha talks"):
        took_part(title)
    took_part("Earlier", start=dt.date(2021, 6, 5))
    took_part("Later", start=dt.date(2024, 3, 2))
    took_part("b undated", start=None)
    took_part("A undated", start=None)
    took_part("Never shown", review_status=ReviewStatus.PROPOSED)
    twice = took_part("Host and attendee", start=dt.date(2022, 2, 2))
    ParticipantFactory(actor=actor, event=twice, role=ParticipantRole.HOST)
    # Relations: one starting on DAY (ties an event: the event first), ones ending, one undated.
    RelationFactory(subject=actor, start=DAY, start_precision="day", end=dt.date(2024, 3, 2))
    RelationFactory(object=actor, start=dt.date(2021, 1, 1), start_precision="year", end=DAY)
    RelationFactory(subject=actor, start=dt.date(2020, 5, 1), start_precision="month")
    RelationFactory(subject=actor, start=None)
    RelationFactory(subject=actor, object=ActorFactory(review_status=ReviewStatus.PROPOSED))
    return actor


def test_the_pages_end_to_end_are_the_whole_timeline_at_every_page_size(busy_actor):
    whole = [_entry(entry) for entry in selectors.actor_timeline(busy_actor)]
    assert len(whole) == 17  # 12 public events + 5 relation starts and ends
    for per_page in range(1, len(whole) + 2):
        stitched, number = [], 1
        while True:
            page = selectors.actor_timeline_page(busy_actor, page_number=number, per_page=per_page)
            assert page.number == number
            stitched += [_entry(entry) for entry in page]
            if not page.has_next():
                break
            number += 1
        assert stitched == whole, per_page
        assert number == -(-len(whole) // per_page)


def test_an_event_taken_part_in_twice_is_one_entry_with_the_first_role(busy_actor):
    page = selectors.actor_timeline_page(busy_actor)
    (entry,) = [entry for entry in page if entry.label == "Host and attendee"]
    assert entry.detail == "Attendee"  # the first participation's role


def test_bad_and_out_of_range_page_numbers_get_a_real_page(busy_actor):
    assert selectors.actor_timeline_page(busy_actor, page_number="x", per_page=5).number == 1
    last = selectors.actor_timeline_page(busy_actor, page_number=99, per_page=5)
    assert last.number == 4 and len(last) == 2 and not last.has_next()
    assert selectors.actor_timeline_page(ActorFactory()).object_list == []


def _canonical(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1)


def _timeline_items(html: str) -> list[str]:
    return re.findall(r'<li class="timeline-[a-z_]+">', html)


def test_actor_page_shows_one_page_of_the_timeline_with_links(client, desk):
    actor = ActorFactory(name="Popular")
    for i in range(selectors.TIMELINE_PAGE_SIZE + 3):
        event = EventFactory(title=f"Meeting {i:03d}", start=dt.date(2000, 1, 1) + dt.timedelta(days=i))
        ParticipantFactory(actor=actor, event=event)
    url = actor.get_absolute_url()

    first = client.get(url).content.decode()
    assert len(_timeline_items(first)) == selectors.TIMELINE_PAGE_SIZE
    assert "Meeting 000" in first and f"Meeting {selectors.TIMELINE_PAGE_SIZE - 1:03d}" in first
    assert f"Meeting {selectors.TIMELINE_PAGE_SIZE:03d}" not in first
    assert '<a rel="next" href="?page=2">Next</a>' in first and "<span>Page 1</span>" in first
    assert _canonical(first).endswith(url)

    second = client.get(url, {"page": 2}).content.decode()
    assert len(_timeline_items(second)) == 3
    assert f"Meeting {selectors.TIMELINE_PAGE_SIZE + 2:03d}" in second and "Meeting 000" not in second
    assert 'rel="prev" href="?page=1"' in second and 'rel="next"' not in second
    assert _canonical(second).endswith(f"{url}?page=2")
    assert client.get(url, {"page": 7}).content.decode().count("Meeting ") == len(_timeline_items(second))


def test_actor_page_queries_do_not_grow_with_events_and_relations(client, desk, django_assert_num_queries):
    actor = ActorFactory(name="Hub")
    RelationFactory(subject=actor)
    ParticipantFactory(actor=actor)
    url = actor.get_absolute_url()
    few, _ = page_cost(client, url)
    for i in range(selectors.TIMELINE_PAGE_SIZE * 2):
        ParticipantFactory(actor=actor, event=EventFactory(start=dt.date(2000, 1, 1) + dt.timedelta(days=i)))
    for i in range(10):
        RelationFactory(subject=actor, start=dt.date(2001 + i, 1, 1), end=dt.date(2002 + i, 1, 1))
    many, html = page_cost(client, url)
    assert len(_timeline_items(html)) == selectors.TIMELINE_PAGE_SIZE
    assert many == few
    page_two, _ = page_cost(client, f"{url}?page=2")
    assert page_two == few
    # Actor, relations, aliases, one page of the timeline, the tagged articles (ids, bylines),
    # then site and nav sections for the base template.
    with django_assert_num_queries(ACTOR_PAGE_QUERIES):
        client.get(url)


ACTOR_PAGE_QUERIES = 8
