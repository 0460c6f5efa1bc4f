"""A mirror kept by the documented sync loop (docs/api.md, "Sync") equals what the partner may
see, after any sequence of publishes, edits, unpublishes, kills, moves, rights and entitlement
changes (property-based)."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

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


def fresh(section: SectionPage) -> SectionPage:
    # The tree changes under the test (adds, moves): treebeard needs the parent's current row.
    return SectionPage.objects.get(pk=section.pk)


class Article:
    """What the test itself knows of one article, from the operations it applied."""

    def __init__(self, page: ArticlePage, section: str):
        self.pk, self.title, self.section = page.pk, page.title, section
        self.live, self.own = True, True


@settings(
    max_examples=5, database=None, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps)
def test_mirror_equals_visible_content(desk, steps):
    """The expected mirror is computed from the generated operations alone, never by asking the
    selectors under test what the partner may see."""
    # Fresh sections per example: hypothesis reuses the database between examples, and the
    # articles of earlier examples must not be in what this partner may see.
    home = SectionPage.objects.get(slug="sahel").get_parent()
    run = uuid.uuid4().hex[:8]
    sections = {
        slug: home.add_child(instance=SectionPage(title=f"{slug} {run}", slug=f"{slug}-{run}"))
        for slug in SECTIONS
    }
    partner = PartnerFactory(sections=[sections["sahel"]])
    entitled = {"sahel"}
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_key(partner).plaintext}")
    articles = [
        Article(ArticlePageFactory(parent=sections["sahel"]), "sahel"),
        Article(ArticlePageFactory(parent=sections["west-africa"]), "west-africa"),
    ]
    mirror = Mirror(client)

    for op, index, slug in steps:
        article = articles[index % len(articles)]
        page = ArticlePage.objects.get(pk=article.pk)
        if op == "publish":
            articles.append(Article(ArticlePageFactory(parent=fresh(sections[slug])), slug))
        elif op == "edit":
            page.title = article.title = f"{article.title[:60]} (updated)"
            page.save_revision().publish()
            article.live = True
        elif op == "unpublish" and article.live:
            page.unpublish()
            article.live = False
        elif op == "kill":
            services.kill_article(
                page=page, category=KillCategory.LEGAL, reason="A court ordered it withdrawn."
            )
            article.live = False
        elif op == "move" and article.section != slug:
            page.move(fresh(sections[slug]), pos="last-child")
            article.section = slug
        elif op == "rights":
            article.own = not article.own
            page.syndication_rights = (
                SyndicationRights.OWN if article.own else SyndicationRights.AGENCY_SITE_ONLY
            )
            page.save_revision().publish()
            article.live = True
        elif op == "entitle":
            partner_services.change_entitlements(partner=partner, add=[sections[slug]])
            entitled.add(slug)
        elif op == "unentitle":
            partner_services.change_entitlements(partner=partner, remove=[sections[slug]])
            entitled.discard(slug)
        elif op == "poll":
            mirror.poll()

    mirror.poll()
    expected = {a.pk: a.title for a in articles if a.live and a.own and a.section in entitled}
    assert mirror.items == expected
