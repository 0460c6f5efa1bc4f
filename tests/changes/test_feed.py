"""Each way content disappears yields a tombstone with its reason; entitlement is per partner."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from apps.articles.models import ArticlePage, SyndicationRights
from apps.changes import jobs, services
from apps.changes.models import Change, ChangeCounter, Kill, KillCategory
from apps.changes.selectors import head
from apps.partners import services as partner_services
from tests.articles.admin_forms import article_form_data
from tests.changes.conftest import feed
from tests.factories import ArticlePageFactory
from tests.partners.factories import PartnerFactory, issue_key

pytestmark = pytest.mark.django_db


def last(api, page):
    entries = [e for e in feed(api) if e["type"] == "article" and e["id"] == page.pk]
    assert entries, "no entry for the article"
    return entries[-1]


def test_publish_yields_upsert_with_url(api, sahel):
    page = ArticlePageFactory(parent=sahel)
    entry = last(api, page)
    assert entry["action"] == "upsert" and entry["reason"] == "published"
    assert entry["uri"] == f"urn:newsdesk:article:{page.pk}"
    assert entry["url"].endswith(f"/api/v1/articles/{page.pk}/")


def test_republish_is_an_update(api, sahel):
    page = ArticlePageFactory(parent=sahel)
    page.save_revision().publish()
    assert last(api, page)["reason"] == "updated"


def test_unpublish_yields_tombstone(api, sahel):
    page = ArticlePageFactory(parent=sahel)
    page.unpublish()
    entry = last(api, page)
    assert (entry["action"], entry["reason"]) == ("tombstone", "unpublished")
    assert entry["ninjs"]["pubstatus"] == "withheld"


def test_kill_yields_kill_tombstone_and_canceled_ninjs(api, sahel, desk):
    page = ArticlePageFactory(parent=sahel)
    editor = get_user_model().objects.get(username="editor")
    services.kill_article(
        page=page, category=KillCategory.LEGAL, reason="Court order received today.", user=editor
    )
    entry = last(api, page)
    assert (entry["action"], entry["reason"]) == ("tombstone", "kill")
    assert entry["ninjs"]["pubstatus"] == "canceled"
    assert not ArticlePage.objects.get(pk=page.pk).live
    assert Kill.objects.get(page=page).user == editor


def test_killed_article_is_not_scheduled_back(api, sahel):
    page = ArticlePageFactory(parent=sahel)
    revision = page.save_revision(approved_go_live_at=timezone.now() + timedelta(minutes=5))
    services.kill_article(page=page, category=KillCategory.ETHICAL, reason="Names a protected source.")
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
    jobs.publish_scheduled(now=timezone.now() + timedelta(hours=1))
    assert not ArticlePage.objects.get(pk=page.pk).live


def test_expiry_by_scheduler_yields_expired_tombstone(api, sahel):
    page = ArticlePageFactory(parent=sahel)
    ArticlePage.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    assert jobs.publish_scheduled()["expired"] == 1
    entry = last(api, page)
    assert (entry["action"], entry["reason"]) == ("tombstone", "expired")


def test_scheduled_publication_by_scheduler_yields_upsert(api, sahel):
    page = ArticlePageFactory(parent=sahel, publish=False)
    page.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
    assert jobs.publish_scheduled()["published"] == 1
    assert last(api, page)["action"] == "upsert"


def test_view_restriction_on_article_yields_restricted(api, sahel):
    page = ArticlePageFactory(parent=sahel)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert (last(api, page)["action"], last(api, page)["reason"]) == ("tombstone", "restricted")


def test_view_restriction_on_section_yields_restricted(api, sahel):
    page = ArticlePageFactory(parent=sahel)
    PageViewRestriction.objects.create(page=sahel, restriction_type=PageViewRestriction.LOGIN)
    entry = last(api, page)
    assert (entry["action"], entry["reason"]) == ("tombstone", "restricted")


def test_move_out_of_entitled_section_yields_moved_out(api, sahel, west_africa):
    page = ArticlePageFactory(parent=sahel)
    page.move(west_africa, pos="last-child")
    entry = last(api, page)
    assert (entry["action"], entry["reason"]) == ("tombstone", "moved_out")


def test_move_is_an_upsert_for_a_partner_entitled_to_both(sahel, west_africa):
    both = PartnerFactory(sections=[sahel, west_africa])
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_key(both).plaintext}")
    page = ArticlePageFactory(parent=sahel)
    page.move(west_africa, pos="last-child")
    assert last(client, page)["action"] == "upsert"


def test_deletion_yields_deleted_tombstone(api, sahel):
    page = ArticlePageFactory(parent=sahel)
    page_id = page.pk
    page.delete()
    entries = [e for e in feed(api) if e["id"] == page_id]
    assert (entries[-1]["action"], entries[-1]["reason"]) == ("tombstone", "deleted")


def test_rights_change_yields_rights_tombstone(api, sahel):
    page = ArticlePageFactory(parent=sahel)
    page.syndication_rights = SyndicationRights.AGENCY_SITE_ONLY
    page.save_revision().publish()
    entry = last(api, page)
    assert (entry["action"], entry["reason"]) == ("tombstone", "rights")


def test_losing_a_section_yields_entitlement_tombstones(api, partner, sahel):
    page = ArticlePageFactory(parent=sahel)
    partner_services.change_entitlements(partner=partner, remove=[sahel])
    response = api.get("/api/v1/changes/")
    entry = [e for e in response.json()["results"] if e["id"] == page.pk][-1]
    assert (entry["action"], entry["reason"]) == ("tombstone", "entitlement")


def test_gaining_a_section_yields_entitlement_upserts(api, partner, west_africa):
    page = ArticlePageFactory(parent=west_africa)
    assert not [e for e in feed(api) if e["id"] == page.pk]
    partner_services.change_entitlements(partner=partner, add=[west_africa])
    entry = last(api, page)
    assert (entry["action"], entry["reason"]) == ("upsert", "entitlement")


def test_partner_never_hears_about_content_outside_its_entitlement(api, west_africa):
    page = ArticlePageFactory(parent=west_africa)
    page.save_revision().publish()
    page.unpublish()
    other = ArticlePageFactory(parent=west_africa)
    services.kill_article(page=other, category=KillCategory.LEGAL, reason="Injunction served on the desk.")
    assert Change.objects.filter(object_id__in=[page.pk, other.pk]).count() >= 4
    assert [e for e in feed(api) if e["id"] in {page.pk, other.pk}] == []


def test_agency_copy_never_reaches_partners(api, sahel):
    page = ArticlePageFactory(parent=sahel, syndication_rights=SyndicationRights.AGENCY_SITE_ONLY)
    page.unpublish()
    assert [e for e in feed(api) if e["id"] == page.pk] == []


def test_actor_merge_yields_merged_tombstone(api, desk):
    from apps.registry.services import merge_actors
    from tests.registry.factories import ActorFactory

    loser, survivor = ActorFactory(), ActorFactory()
    merge_actors(loser=loser, survivor=survivor)
    entry = [e for e in feed(api) if e["type"] == "actor" and e["id"] == loser.pk][-1]
    assert (entry["action"], entry["reason"], entry["merged_into"]) == ("tombstone", "merged", survivor.pk)


def test_actor_rename_yields_upsert(api, desk):
    from tests.registry.factories import ActorFactory

    actor = ActorFactory()
    actor.name = "A new official name"
    actor.save()
    entry = [e for e in feed(api) if e["type"] == "actor" and e["id"] == actor.pk][-1]
    assert (entry["action"], entry["reason"]) == ("upsert", "renamed")


def test_failing_change_log_write_rolls_back_the_admin_publish(client, sahel, desk):
    page = ArticlePageFactory(parent=sahel, publish=False)
    # A row already holds the next sequence: the change-log insert hits the unique constraint.
    taken = ChangeCounter.objects.get(pk=1).value + 1
    Change.objects.create(seq=taken, object_type="article", object_id=0, cause="updated", action="upsert")
    client.force_login(get_user_model().objects.get(username="editor"))
    with pytest.raises(IntegrityError):
        client.post(
            reverse("wagtailadmin_pages:edit", args=(page.pk,)),
            article_form_data(page=page, action="action-publish"),
        )
    assert not ArticlePage.objects.get(pk=page.pk).live


def test_admin_publish_records_in_the_same_request(client, api, sahel, desk):
    page = ArticlePageFactory(parent=sahel, publish=False)
    client.force_login(get_user_model().objects.get(username="editor"))
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        article_form_data(page=page, action="action-publish"),
    )
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=page.pk).live
    assert last(api, page)["action"] == "upsert"


def test_stale_after_gets_410(api, sahel, settings):
    ArticlePageFactory(parent=sahel)
    settings.NEWSDESK_CHANGES_RETENTION = timedelta(seconds=0)
    assert services.prune_changes(now=timezone.now() + timedelta(seconds=1)) >= 1
    response = api.get("/api/v1/changes/", {"after": 0})
    assert response.status_code == 410
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("resync-required")
    assert api.get("/api/v1/changes/", {"after": head().seq}).status_code == 200


def test_bad_after_is_400_problem(api, desk):
    response = api.get("/api/v1/changes/", {"after": "yesterday"})
    assert response.status_code == 400
    assert response.json()["invalid_params"][0]["name"] == "after"
    assert api.get("/api/v1/changes/", {"after": head().seq + 5}).status_code == 400


def test_feed_pages_with_next_after(api, sahel):
    pages = [ArticlePageFactory(parent=sahel) for _ in range(3)]
    first = api.get("/api/v1/changes/", {"after": 0, "limit": 2}).json()
    assert first["more"] is True
    rest = api.get("/api/v1/changes/", {"after": first["next_after"], "limit": 2}).json()
    ids = [e["id"] for e in first["results"] + rest["results"] if e["type"] == "article"]
    assert ids == [p.pk for p in pages]


def test_feed_query_count_is_bounded(api, sahel, django_assert_max_num_queries):
    for _ in range(3):
        ArticlePageFactory(parent=sahel)
    api.get("/api/v1/changes/")
    for _ in range(5):
        ArticlePageFactory(parent=sahel)
    # auth, partner, entitlement (2), head, rows; validators: entitlement (2), heads (2)
    with django_assert_max_num_queries(10):
        assert len(api.get("/api/v1/changes/").json()["results"]) == 8


def test_publishing_a_section_does_not_repeat_its_articles(api, sahel):
    ArticlePageFactory(parent=sahel)
    before = Change.objects.count()
    sahel.save_revision().publish()
    assert Change.objects.count() == before
