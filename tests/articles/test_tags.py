"""Tags follow Wagtail's draft/revision model, and only public registry records show."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Revision

from apps.articles.models import ArticleActor, ArticleEvent, ArticlePage
from apps.articles.selectors import public_tags_for_page
from apps.registry.models import ReviewStatus
from apps.registry.services import merge_actors
from tests.articles.factories import ActorFactory, EventFactory
from tests.factories import ArticlePageFactory


def _json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def _names(data: dict, key: str) -> set[str]:
    return {thing["name"] for thing in data.get(key, [])}


@pytest.fixture
def live_article(sahel):
    return ArticlePageFactory(parent=sahel, title="Junta leaders meet in the capital")


def _add_draft_tags(page: ArticlePage, *, actor=None, event=None) -> Revision:
    draft = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    if actor is not None:
        draft.actor_tags.add(ArticleActor(actor=actor))
    if event is not None:
        draft.event_tags.add(ArticleEvent(event=event))
    return draft.save_revision()


def test_tag_in_a_draft_stays_off_every_public_surface_until_published(client, live_article):
    actor = ActorFactory(name="Niger")
    event = EventFactory(title="Embassy closure in Niamey")
    revision = _add_draft_tags(live_article, actor=actor, event=event)

    def shown() -> dict[str, bool]:
        page_html = client.get(live_article.url).content.decode()
        return {
            "chip_actor": "Niger" in page_html,
            "chip_event": "Embassy closure in Niamey" in page_html,
            "json_ld_about": "Niger" in _names(_json_ld(page_html), "about"),
            "actor_page": live_article.slug in client.get(actor.get_absolute_url()).content.decode(),
            "actor_rss": live_article.slug
            in client.get(f"/feeds/actors/{actor.slug}/rss.xml").content.decode(),
            "actor_atom": live_article.slug
            in client.get(f"/feeds/actors/{actor.slug}/atom.xml").content.decode(),
            "event_page": live_article.slug in client.get(event.get_absolute_url()).content.decode(),
            "event_rss": live_article.slug
            in client.get(f"/feeds/events/{event.slug}/rss.xml").content.decode(),
        }

    assert not any(shown().values())
    assert public_tags_for_page(live_article) == {"actor_tags": [], "event_tags": [], "place_tags": []}

    revision.publish()

    assert all(shown().values())


def test_unconfirmed_tags_are_not_public(live_article):
    actor = ActorFactory()
    ArticleActor.objects.create(page=live_article, actor=actor, origin="suggested", confirmed=False)
    assert public_tags_for_page(live_article)["actor_tags"] == []


@pytest.mark.parametrize("status", [ReviewStatus.PROPOSED])
def test_tags_of_unapproved_records_are_not_public(live_article, status):
    actor = ActorFactory(review_status=status)
    event = EventFactory(review_status=status)
    ArticleActor.objects.create(page=live_article, actor=actor)
    ArticleEvent.objects.create(page=live_article, event=event)
    tags = public_tags_for_page(live_article)
    assert tags["actor_tags"] == [] and tags["event_tags"] == []


def test_relevance_outside_zero_to_one_is_refused_by_the_database(live_article):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleActor.objects.create(page=live_article, actor=ActorFactory(), relevance=1.5)


def test_merge_then_publishing_an_old_draft_shows_the_survivor(client, live_article, django_user_model):
    loser = ActorFactory(name="Sergei Lavrov")
    survivor = ActorFactory(name="Sergey Lavrov")
    revision = _add_draft_tags(live_article, actor=loser)

    merge_actors(loser=loser, survivor=survivor, user=None)
    Revision.objects.get(pk=revision.pk).publish()

    assert list(ArticleActor.objects.filter(page=live_article).values_list("actor_id", flat=True)) == [
        survivor.pk
    ]
    html = client.get(live_article.url).content.decode()
    assert "Sergey Lavrov" in html
    assert "Sergei Lavrov" not in html
    assert live_article.slug in client.get(survivor.get_absolute_url()).content.decode()


def test_merge_repoints_scheduled_revisions(live_article):
    loser = ActorFactory(name="Moscow")
    survivor = ActorFactory(name="Russia")
    draft = ArticlePage.objects.get(pk=live_article.pk).get_latest_revision_as_object()
    draft.actor_tags.add(ArticleActor(actor=loser))
    draft.go_live_at = timezone.now() + timedelta(days=1)
    scheduled = draft.save_revision()
    scheduled.publish()  # future go_live_at: approved for later, not live yet
    scheduled.refresh_from_db()
    assert scheduled.approved_go_live_at is not None
    # A newer draft on top, so the scheduled revision is no longer the latest one.
    ArticlePage.objects.get(pk=live_article.pk).get_latest_revision_as_object().save_revision()

    merge_actors(loser=loser, survivor=survivor, user=None)

    scheduled.refresh_from_db()
    assert [tag["actor"] for tag in scheduled.content["actor_tags"]] == [survivor.pk]


def test_merge_collapses_a_draft_that_tags_both_records(live_article):
    loser = ActorFactory(name="Burkina")
    survivor = ActorFactory(name="Burkina Faso")
    draft = ArticlePage.objects.get(pk=live_article.pk).get_latest_revision_as_object()
    draft.actor_tags.add(ArticleActor(actor=loser))
    draft.actor_tags.add(ArticleActor(actor=survivor))
    revision = draft.save_revision()

    merge_actors(loser=loser, survivor=survivor, user=None)

    revision.refresh_from_db()
    assert [tag["actor"] for tag in revision.content["actor_tags"]] == [survivor.pk]
    revision.publish()  # and it publishes without breaking the one-tag-per-actor constraint
    assert ArticleActor.objects.filter(page=live_article).count() == 1
