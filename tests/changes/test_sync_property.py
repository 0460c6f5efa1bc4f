"""A mirror kept by the documented sync loop (docs/api.md, "Sync") equals what the partner may
see, after any sequence of publishes, edits, unpublishes, kills, moves, rights and entitlement
changes (property-based)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from apps.api.selectors import partner_articles
from apps.articles.models import ArticlePage, SyndicationRights
from apps.changes import services
from apps.changes.models import KillCategory
from apps.core.models import SectionPage
from apps.partners import services as partner_services
from tests.factories import ArticlePageFactory
from tests.partners.factories import PartnerFactory, issue_key

pytestmark = pytest.mark.django_db

SECTIONS = ["sahel", "west-africa", "analysis"]
OPS = ["publish", "edit", "unpublish", "kill", "move", "rights", "entitle", "unentitle", "poll"]


class Mirror:
    """The client of docs/api.md: record the head, walk the list, then apply the feed."""

    def __init__(self, client: APIClient):
        self.client = client
        self.items: dict[int, str] = {}
        self.after = self.client.get("/api/v1/changes/", {"limit": 1}).json()["head"]
        url = "/api/v1/articles/"
        while url:
            page = self.client.get(url)
            assert page.status_code == 200, page.content
            body = page.json()
            for article in body["results"]:
                self.items[article["id"]] = article["title"]
            url = body["next"]

    def poll(self) -> None:
        while True:
            response = self.client.get("/api/v1/changes/", {"after": self.after})
            assert response.status_code == 200, response.content
            feed = response.json()
            for entry in feed["results"]:
                if entry["type"] != "article":
                    continue
                if entry["action"] == "tombstone":
                    self.items.pop(entry["id"], None)
                    continue
                got = self.client.get(entry["url"])
                if got.status_code == 200:
                    self.items[entry["id"]] = got.json()["title"]
            self.after = feed["next_after"]
            if not feed["more"]:
                return


steps = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 50), st.sampled_from(SECTIONS)), min_size=1, max_size=10
)


@settings(
    max_examples=5, database=None, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps)
def test_mirror_equals_visible_content(desk, steps):
    sections = {slug: SectionPage.objects.get(slug=slug) for slug in SECTIONS}
    partner = PartnerFactory(sections=[sections["sahel"]])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_key(partner).plaintext}")
    pages = [ArticlePageFactory(parent=sections["sahel"]), ArticlePageFactory(parent=sections["west-africa"])]
    mirror = Mirror(client)

    for op, index, slug in steps:
        page = ArticlePage.objects.get(pk=pages[index % len(pages)].pk)
        if op == "publish":
            pages.append(ArticlePageFactory(parent=sections[slug]))
        elif op == "edit":
            page.title = f"{page.title[:60]} (updated)"
            page.save_revision().publish()
        elif op == "unpublish" and page.live:
            page.unpublish()
        elif op == "kill":
            services.kill_article(
                page=page, category=KillCategory.LEGAL, reason="A court ordered it withdrawn."
            )
        elif op == "move" and page.get_parent().pk != sections[slug].pk:
            page.move(sections[slug], pos="last-child")
        elif op == "rights":
            own = page.syndication_rights != SyndicationRights.OWN
            page.syndication_rights = SyndicationRights.OWN if own else SyndicationRights.AGENCY_SITE_ONLY
            page.save_revision().publish()
        elif op == "entitle":
            partner_services.change_entitlements(partner=partner, add=[sections[slug]])
        elif op == "unentitle":
            partner_services.change_entitlements(partner=partner, remove=[sections[slug]])
        elif op == "poll":
            mirror.poll()

    mirror.poll()
    expected = set(partner_articles(partner).values_list("pk", flat=True))
    assert set(mirror.items) == expected
    titles = dict(partner_articles(partner).values_list("pk", "title"))
    assert mirror.items == titles
