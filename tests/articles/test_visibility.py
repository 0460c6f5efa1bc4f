"""The one visibility rule on every public surface: hidden states never leak, visible ones show.

States: a never-published draft, an article scheduled for later, an expired one and a
private one (login restriction). Each is checked on every surface, one test per pair; the
same surfaces are checked with a visible article so that none of these tests passes vacuously.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from apps.articles.models import ArticleActor, ArticleEvent, ArticlePage
from apps.articles.selectors import visible_articles
from tests.articles.factories import ActorFactory, EventFactory
from tests.factories import ArticlePageFactory

MARKER = "Quokkaville"

SURFACES = {
    "home": lambda ctx: "/",
    "section": lambda ctx: ctx["section"].url,
    "article": lambda ctx: ctx["article"].url,
    "section_rss": lambda ctx: f"/feeds/sections/{ctx['section'].slug}/rss.xml",
    "section_atom": lambda ctx: f"/feeds/sections/{ctx['section'].slug}/atom.xml",
    "sitemap": lambda ctx: "/sitemap.xml",
    "search": lambda ctx: f"/search/?q={MARKER}",
    "actor_page": lambda ctx: ctx["actor"].get_absolute_url(),
    "actor_rss": lambda ctx: f"/feeds/actors/{ctx['actor'].slug}/rss.xml",
    "actor_atom": lambda ctx: f"/feeds/actors/{ctx['actor'].slug}/atom.xml",
    "event_page": lambda ctx: ctx["event"].get_absolute_url(),
    "event_rss": lambda ctx: f"/feeds/events/{ctx['event'].slug}/rss.xml",
    "event_atom": lambda ctx: f"/feeds/events/{ctx['event'].slug}/atom.xml",
}


def _make(state: str, *, section, actor, event) -> ArticlePage:
    now = timezone.now()
    tags = {"actor_tags": [ArticleActor(actor=actor)], "event_tags": [ArticleEvent(event=event)]}
    title = f"{MARKER} delegates argue over the border crossing"
    if state == "draft":
        return ArticlePageFactory(parent=section, title=title, publish=False, **tags)
    if state == "scheduled":
        page = ArticlePageFactory(parent=section, title=title, publish=False, **tags)
        page.go_live_at = now + timedelta(hours=2)
        page.save_revision().publish()  # with a future go_live_at this schedules, it does not publish
        page.refresh_from_db()
        assert not page.live
        return page
    page = ArticlePageFactory(parent=section, title=title, **tags)
    if state == "expired":
        # The scheduler has not run yet: the page is still `live`, the rule must hide it anyway.
        ArticlePage.objects.filter(pk=page.pk).update(expire_at=now - timedelta(minutes=1))
    elif state == "private":
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    else:
        assert state == "visible"
    page.refresh_from_db()
    return page


@pytest.fixture
def world(sahel):
    return {"section": sahel, "actor": ActorFactory(name="Assimi Goita"), "event": EventFactory()}


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("state", ["draft", "scheduled", "expired", "private"])
def test_hidden_article_never_appears(client, world, state, surface):
    article = _make(state, section=world["section"], actor=world["actor"], event=world["event"])
    ctx = {**world, "article": article}

    response = client.get(SURFACES[surface](ctx))

    body = response.content.decode()
    assert article.title not in body
    assert article.slug not in body
    if surface == "article":
        # Hidden states 404; a private article sends an anonymous reader to the login page.
        assert response.status_code == (302 if state == "private" else 404)
    else:
        assert response.status_code == 200


@pytest.mark.parametrize("surface", SURFACES)
def test_visible_article_appears(client, world, surface):
    article = _make("visible", section=world["section"], actor=world["actor"], event=world["event"])
    ctx = {**world, "article": article}

    response = client.get(SURFACES[surface](ctx))

    assert response.status_code == 200
    body = response.content.decode()
    assert article.slug in body
    if surface != "sitemap":  # a sitemap lists URLs only
        assert article.title in body


@pytest.mark.parametrize("state", ["draft", "scheduled", "expired", "private"])
def test_visibility_rule_excludes_state(world, state):
    article = _make(state, section=world["section"], actor=world["actor"], event=world["event"])
    assert not visible_articles().filter(pk=article.pk).exists()


def test_scheduled_article_becomes_visible_when_its_time_comes(world):
    article = _make("scheduled", section=world["section"], actor=world["actor"], event=world["event"])
    later = timezone.now() + timedelta(hours=3)
    # Once the scheduler has published it, the rule admits it only from go_live_at on.
    ArticlePage.objects.filter(pk=article.pk).update(live=True)
    assert not visible_articles().filter(pk=article.pk).exists()
    assert visible_articles(now=later).filter(pk=article.pk).exists()


def test_expired_article_is_visible_before_its_expiry(world):
    article = _make("expired", section=world["section"], actor=world["actor"], event=world["event"])
    assert visible_articles(now=article.expire_at - timedelta(minutes=5)).filter(pk=article.pk).exists()


def _hide_section(section, how: str) -> None:
    # The scheduler (or an editor unpublishing without descendants) leaves the article live.
    if how == "unpublished":
        type(section).objects.filter(pk=section.pk).update(live=False)
    else:
        type(section).objects.filter(pk=section.pk).update(expire_at=timezone.now() - timedelta(minutes=1))


@pytest.mark.parametrize("surface", SURFACES)
@pytest.mark.parametrize("how", ["unpublished", "expired"])
def test_an_article_in_a_hidden_section_never_appears(client, world, how, surface):
    article = _make("visible", section=world["section"], actor=world["actor"], event=world["event"])
    ctx = {**world, "article": article}
    _hide_section(world["section"], how)

    response = client.get(SURFACES[surface](ctx))

    body = response.content.decode()
    assert article.title not in body
    assert article.slug not in body
    # The section's own page and feeds are gone with it; every other surface still answers.
    assert response.status_code in (
        (200, 404) if surface in {"section", "section_rss", "section_atom", "article"} else (200,)
    )
    if surface == "article":
        assert response.status_code == 404


def test_an_article_is_as_visible_as_its_section_at_the_boundary(world):
    article = _make("visible", section=world["section"], actor=world["actor"], event=world["event"])
    ends = timezone.now() + timedelta(hours=1)
    type(world["section"]).objects.filter(pk=world["section"].pk).update(expire_at=ends)
    assert visible_articles(now=ends - timedelta(microseconds=1)).filter(pk=article.pk).exists()
    assert not visible_articles(now=ends).filter(pk=article.pk).exists()
