"""ETag / Last-Modified / 304 on every partner endpoint, derived from the change log
(apps/api/views.PartnerAPIView.initial, through Django's get_conditional_response)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.changes.selectors import head
from tests.factories import ArticlePageFactory
from tests.partners.factories import PartnerFactory, issue_key

pytestmark = pytest.mark.django_db

FEED = "/api/v1/changes/"
ARTICLES = "/api/v1/articles/"
# Every kind of partner response: lists, a detail, the registry and the feed.
ENDPOINTS = [FEED, ARTICLES, "/api/v1/sections/", "/api/v1/actors/", "/api/v1/events/", "/api/v1/places/"]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_etag_round_trips_to_304(api, sahel, url):
    ArticlePageFactory(parent=sahel)
    first = api.get(url)
    assert first.status_code == 200 and first["ETag"]
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again.content == b""


@pytest.mark.parametrize("url", ENDPOINTS)
def test_last_modified_round_trips_to_304(api, sahel, url):
    ArticlePageFactory(parent=sahel)
    first = api.get(url)
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


@pytest.mark.parametrize("url", [FEED, ARTICLES])
def test_unpublishing_an_item_changes_the_validator(api, sahel, url):
    page = ArticlePageFactory(parent=sahel)
    first = api.get(url)
    page.unpublish()
    after = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != first["ETag"]
    assert after["Last-Modified"]


def test_query_string_is_part_of_the_validator(api, sahel):
    ArticlePageFactory(parent=sahel)
    first = api.get(FEED)
    assert api.get(FEED, {"after": 1}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_article_detail_validator_changes_when_it_is_edited(api, sahel):
    page = ArticlePageFactory(parent=sahel)
    url = f"{ARTICLES}{page.pk}/"
    first = api.get(url)
    assert api.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    page.title = "A corrected headline"
    page.save_revision().publish()
    after = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200
    assert after.json()["title"] == "A corrected headline"


def test_json_and_ninjs_renditions_have_different_validators(api, sahel):
    page = ArticlePageFactory(parent=sahel)
    url = f"{ARTICLES}{page.pk}/"
    as_json = api.get(url)
    as_ninjs = api.get(url, HTTP_ACCEPT="application/vnd.iptc.ninjs+json")
    assert as_ninjs.status_code == 200
    assert as_json["ETag"] != as_ninjs["ETag"]


def test_a_change_another_partner_cannot_see_keeps_the_list_validator(api, sahel, west_africa):
    ArticlePageFactory(parent=sahel)
    first = api.get(ARTICLES)
    ArticlePageFactory(parent=west_africa)  # outside this partner's sections
    assert api.get(ARTICLES, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.parametrize("url", ENDPOINTS)
def test_responses_are_private_and_vary_on_accept_and_authorization(api, sahel, url):
    response = api.get(url)
    assert response["Cache-Control"] == "private, no-cache"
    vary = {part.strip() for part in response["Vary"].split(",")}
    assert {"Accept", "Authorization"} <= vary


def test_partners_never_share_a_validator(api, sahel):
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_key(PartnerFactory(sections=[sahel])).plaintext}")
    mine = api.get(FEED)
    assert other.get(FEED, HTTP_IF_NONE_MATCH=mine["ETag"]).status_code == 200


def test_responses_carry_the_head(api, sahel):
    ArticlePageFactory(parent=sahel)
    response = api.get(FEED)
    assert int(response["X-Newsdesk-Change-Head"]) == head().seq == response.json()["head"] > 0


@pytest.mark.parametrize("url", ENDPOINTS[1:])
def test_every_list_response_carries_the_head_to_start_a_sync_from(api, sahel, url):
    ArticlePageFactory(parent=sahel)
    assert int(api.get(url)["X-Newsdesk-Change-Head"]) == head().seq > 0


def test_feed_validator_follows_the_global_head(api, sahel, west_africa):
    first = api.get(FEED)
    ArticlePageFactory(parent=west_africa)  # not for this partner, but the body's head moves
    assert api.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_events_list_validators_are_the_base_views_own(api, partner, sahel, west_africa):
    """The events list reads its validators from a compiled statement (apps.changes.selectors.
    validator_state): the same values partner_validator_state gives, and the same headers."""
    from apps.changes.selectors import partner_validator_state, validator_state
    from apps.partners.selectors import entitled_section_ids, entitled_sections

    ArticlePageFactory(parent=sahel)
    ids = entitled_section_ids(partner)
    assert validator_state(partner_id=partner.pk, section_ids=ids) == partner_validator_state(
        partner_id=partner.pk, section_ids=entitled_sections(partner).values("pk")
    )
    events, actors = api.get("/api/v1/events/"), api.get("/api/v1/actors/")
    assert events["Last-Modified"] == actors["Last-Modified"]
    assert api.get("/api/v1/events/", HTTP_IF_NONE_MATCH=events["ETag"]).status_code == 304
    ArticlePageFactory(parent=west_africa)  # not this partner's: the validator stays
    assert api.get("/api/v1/events/")["ETag"] == events["ETag"]
