"""The key read: the key, its partner and the partner's entitled section ids in one statement,
compiled once per process (partners.selectors.key_for_token); nothing of it is cached."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.models import PageViewRestriction

from apps.core.models import HomePage, SectionPage
from apps.partners import services
from apps.partners.models import ApiKey, Partner
from apps.partners.selectors import KeyRejected, entitled_section_ids, entitled_sections, key_for_token
from tests.factories import ArticlePageFactory
from tests.partners.factories import PartnerFactory, issue_key

pytestmark = pytest.mark.django_db


def _section(slug: str, *, live: bool = True, private: bool = False) -> SectionPage:
    section = HomePage.objects.get().add_child(instance=SectionPage(title=slug.title(), slug=slug))
    section.save_revision().publish()
    if not live:
        SectionPage.objects.filter(pk=section.pk).update(live=False)
    if private:
        PageViewRestriction.objects.create(
            page=section, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    return section


def _orm_ids(partner: Partner) -> list[int]:
    """What the ORM's entitlement rule gives for a fresh instance (no key read on it)."""
    return list(entitled_sections(Partner.objects.get(pk=partner.pk)).values_list("pk", flat=True))


def test_key_and_partner_are_model_instances_as_the_orm_reads_them(django_assert_num_queries, sahel):
    partner = PartnerFactory(sections=[sahel], notes="Weekly digest", contact_name="Ada")
    new = issue_key(partner, label="CMS sync", expires_at=timezone.now() + timedelta(days=9))
    ApiKey.objects.filter(pk=new.key.pk).update(recent_errors=[{"path": "/x", "status": 404}])
    with django_assert_num_queries(1):
        key = key_for_token(new.plaintext)
        read = key.partner
        ids = entitled_section_ids(read)
    stored = ApiKey.objects.select_related("partner").get(pk=new.key.pk)
    assert isinstance(key, ApiKey) and isinstance(read, Partner)
    assert not key._state.adding and key._state.db == "default"
    fields = [field.attname for field in ApiKey._meta.concrete_fields]
    assert [getattr(key, name) for name in fields] == [getattr(stored, name) for name in fields]
    fields = [field.attname for field in Partner._meta.concrete_fields]
    assert [getattr(read, name) for name in fields] == [getattr(stored.partner, name) for name in fields]
    assert key.recent_errors == [{"path": "/x", "status": 404}]
    assert timezone.is_aware(key.created_at) and timezone.is_aware(read.created_at)
    assert ids == [sahel.pk] == _orm_ids(partner)


def test_entitled_ids_follow_the_orm_rule_for_none_some_and_all_sections(sahel, west_africa):
    hidden, off = _section("hidden", private=True), _section("off", live=False)
    some = PartnerFactory(sections=[sahel, hidden, off])
    none = PartnerFactory()
    every = PartnerFactory(all_sections=True)
    for partner, expected in [
        (some, [sahel.pk]),
        (none, []),
        (
            every,
            list(
                SectionPage.objects.exclude(pk__in=[hidden.pk, off.pk])
                .order_by("path")
                .values_list("pk", flat=True)
            ),
        ),
    ]:
        ids = entitled_section_ids(key_for_token(issue_key(partner).plaintext).partner)
        assert ids == expected == _orm_ids(partner)
    assert west_africa.pk in entitled_section_ids(key_for_token(issue_key(every).plaintext).partner)


def test_a_fresh_partner_still_reads_its_sections_from_the_database(partner, sahel):
    assert entitled_section_ids(Partner.objects.get(pk=partner.pk)) == [sahel.pk]


@pytest.mark.parametrize("change", ["private", "unpublished"])
def test_a_section_hidden_between_two_requests_is_gone_from_the_next(partner, key, sahel, change):
    article = ArticlePageFactory(parent=sahel)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert [item["id"] for item in client.get("/api/v1/articles/").json()["results"]] == [article.pk]
    assert key_for_token(key).partner.__dict__["_entitled_section_ids"] == [sahel.pk]
    if change == "private":
        PageViewRestriction.objects.create(
            page=sahel, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    else:
        SectionPage.objects.filter(pk=sahel.pk).update(live=False)
    assert client.get("/api/v1/articles/").json()["results"] == []
    assert client.get(f"/api/v1/articles/{article.pk}/").status_code == 404
    assert client.get("/api/v1/sections/").json()["results"] == []
    assert entitled_section_ids(key_for_token(key).partner) == []


def test_a_grant_made_between_two_requests_shows_in_the_next(partner, key, west_africa):
    assert west_africa.pk not in entitled_section_ids(key_for_token(key).partner)
    partner.sections.add(west_africa)
    assert west_africa.pk in entitled_section_ids(key_for_token(key).partner)


def test_unknown_prefix_and_wrong_secret_read_the_same(partner):
    real = issue_key(partner).plaintext
    for token in ["nd_0123456789ab_" + "x" * 43, real[: len("nd_") + 13] + "y" * 43]:
        with pytest.raises(KeyRejected) as rejected:
            key_for_token(token)
        assert str(rejected.value) == "The API key is not recognised."


def test_a_malformed_key_is_refused_without_a_query(django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(KeyRejected, match=r"^The API key is malformed\.$"):
        key_for_token("nd_zz_" + "x" * 43)


def test_revoked_and_expired_keys_are_refused_on_the_next_read(partner):
    new = issue_key(partner)
    assert key_for_token(new.plaintext).pk == new.key.pk
    now = timezone.now()
    ApiKey.objects.filter(pk=new.key.pk).update(expires_at=now)
    with pytest.raises(KeyRejected, match=r"^The API key has expired\.$"):
        key_for_token(new.plaintext, now=now)  # the boundary: expires_at == now is refused
    assert key_for_token(new.plaintext, now=now - timedelta(microseconds=1)).pk == new.key.pk
    services.revoke_api_key(prefix=new.key.prefix)
    with pytest.raises(KeyRejected, match=r"^The API key has been revoked\.$"):
        key_for_token(new.plaintext)


def test_an_inactive_partner_is_read_as_inactive(partner, key):
    Partner.objects.filter(pk=partner.pk).update(active=False)
    assert key_for_token(key).partner.active is False
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/articles/").status_code == 403


def test_articles_for_the_read_ids_are_the_rules_articles_without_its_section_subquery(sahel, west_africa):
    """partner_articles given the ids the key read brought (public sections, read in this
    request) drops the rule's own published-section subquery, and selects the same articles."""
    from apps.partners.selectors import partner_articles

    hidden, private = _section("hidden-desk", live=False), _section("private-desk", private=True)
    partner = PartnerFactory(all_sections=True)
    for section in (sahel, west_africa, hidden, private):
        ArticlePageFactory(parent=section, title=f"Copy filed in {section.slug}")
    read = key_for_token(issue_key(partner).plaintext).partner
    ids = entitled_section_ids(read)
    assert hidden.pk not in ids and private.pk not in ids
    given = partner_articles(read, section_ids=ids)
    expected = set(partner_articles(Partner.objects.get(pk=partner.pk)).values_list("pk", flat=True))
    assert set(given.values_list("pk", flat=True)) == expected
    assert len(expected) == 2
    assert "core_sectionpage" not in str(given.values("pk").query)
    # Without ids, a partner from the key read uses the ids it carries; one read elsewhere, the rule.
    assert "core_sectionpage" not in str(partner_articles(read).values("pk").query)
    fresh = Partner.objects.get(pk=partner.pk)
    assert "core_sectionpage" in str(partner_articles(fresh).values("pk").query)
