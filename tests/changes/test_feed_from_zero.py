"""What a partner reading the change feed from after=0 receives (docs/adr/0009): each article it
may see exactly once, never an article it may not see now, whatever the scheduler's state; and
granting sections writes rows only where a partner may have read past the shared ones."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from apps.articles.models import ArticlePage, SyndicationRights
from apps.changes.models import Change
from apps.core.models import SectionPage
from apps.partners import services as partner_services
from apps.partners.models import Partner
from tests.factories import ArticlePageFactory
from tests.partners.factories import PartnerFactory, issue_key

pytestmark = pytest.mark.django_db


def walk(client: APIClient, after: int = 0, limit: int = 3) -> list[dict]:
    """Every entry from `after` to the head, page by page (a small limit, so paging is tested)."""
    entries: list[dict] = []
    for _ in range(200):
        response = client.get("/api/v1/changes/", {"after": after, "limit": limit})
        assert response.status_code == 200, response.content
        body = response.json()
        entries += body["results"]
        after = body["next_after"]
        if not body["more"]:
            return entries
    raise AssertionError("the feed did not end")


def client_for(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def newsroom(desk):
    """Articles in three sections, some changed more than once, some hidden in different ways.
    Returns (ids a partner entitled to every section may see, ids it may not)."""
    sections = {s.slug: s for s in SectionPage.objects.filter(slug__in=["sahel", "west-africa", "analysis"])}
    seen, hidden = set(), set()
    for slug, section in sections.items():
        for n in range(2):
            seen.add(ArticlePageFactory(parent=section, title=f"{slug} story {n}").pk)
    edited = ArticlePageFactory(parent=sections["sahel"], title="Edited twice")
    for _ in range(2):
        edited.title += " (updated)"
        edited.save_revision().publish()
    seen.add(edited.pk)
    moved = ArticlePageFactory(parent=sections["sahel"], title="Moved to analysis")
    moved.move(sections["analysis"], pos="last-child")
    seen.add(moved.pk)
    gone = ArticlePageFactory(parent=sections["sahel"], title="Unpublished")
    gone.unpublish()
    hidden.add(gone.pk)
    agency = ArticlePageFactory(
        parent=sections["west-africa"],
        title="Agency copy",
        syndication_rights=SyndicationRights.AGENCY_SITE_ONLY,
    )
    hidden.add(agency.pk)
    # Its expiry passed, but the scheduler has not run: still live, no change row says so.
    expired = ArticlePageFactory(parent=sections["analysis"], title="Expired, not yet unpublished")
    ArticlePage.objects.filter(pk=expired.pk).update(expire_at=timezone.now() - timedelta(minutes=5))
    assert ArticlePage.objects.get(pk=expired.pk).live
    hidden.add(expired.pk)
    return seen, hidden


def upserts(entries: list[dict]) -> Counter:
    return Counter(e["id"] for e in entries if e["type"] == "article" and e["action"] == "upsert")


def test_a_new_partner_with_all_sections_gets_each_visible_article_once(newsroom):
    seen, hidden = newsroom
    rows_before = Change.objects.count()
    out = StringIO()
    call_command("partner_key", "create", "--partner", "Harmattan Radio", "--all-sections", stdout=out)
    # A partner that never had a key has read nothing: the shared rows carry everything to it.
    assert Change.objects.count() == rows_before
    got = upserts(walk(client_for(out.getvalue().strip().splitlines()[-1])))
    assert got == Counter(dict.fromkeys(seen, 1))
    assert not hidden & set(got)


def test_a_partner_granted_sections_after_reading_gets_each_article_once_from_zero(newsroom):
    seen, _ = newsroom
    sahel = SectionPage.objects.get(slug="sahel")
    partner = PartnerFactory(sections=[sahel])
    client = client_for(issue_key(partner).plaintext)
    head = client.get("/api/v1/changes/", {"limit": 1}).json()["head"]

    partner_services.change_entitlements(partner=partner, all_sections=True)

    # Reading on from where it was: the articles of the sections it gained, once each.
    in_sahel = set(ArticlePage.objects.filter(section=sahel).values_list("pk", flat=True))
    assert upserts(walk(client, after=head)) == Counter(dict.fromkeys(seen - in_sahel, 1))
    # Reading from the start: every article it may see, once each, never a hidden one.
    assert upserts(walk(client)) == Counter(dict.fromkeys(seen, 1))


def test_a_grant_never_upserts_an_expired_article_the_scheduler_has_not_unpublished(newsroom):
    _, hidden = newsroom
    partner = PartnerFactory()
    issue_key(partner)
    partner_services.change_entitlements(partner=partner, all_sections=True)
    granted = set(Change.objects.filter(partner=partner, action="upsert").values_list("object_id", flat=True))
    assert granted and not granted & hidden


def test_a_shared_row_of_an_expired_article_is_not_upserted_before_the_scheduler_runs(desk, api, sahel):
    page = ArticlePageFactory(parent=sahel)
    ArticlePage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(seconds=1))
    assert Change.objects.filter(object_id=page.pk, visible_after=True).exists()
    assert page.pk not in upserts(walk(api))


def test_tombstones_are_kept_even_when_a_later_row_follows(api, partner, sahel):
    page = ArticlePageFactory(parent=sahel)
    page.unpublish()
    page.save_revision().publish()
    entries = [(e["action"], e["reason"]) for e in walk(api) if e["id"] == page.pk]
    assert entries == [("tombstone", "unpublished"), ("upsert", "published")]


def test_granting_all_sections_is_one_statement(newsroom, django_assert_max_num_queries):
    partner = Partner.objects.create(name="Sahel Wire")
    issue_key(partner)
    with django_assert_max_num_queries(20):
        partner_services.change_entitlements(partner=partner, all_sections=True)
    seen, _ = newsroom
    assert Change.objects.filter(partner=partner, action="upsert").count() == len(seen)
