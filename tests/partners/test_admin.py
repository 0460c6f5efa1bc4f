"""Partners and keys in the Wagtail admin: editors manage them, a new key is shown once."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from apps.changes.models import Change
from apps.core.models import SectionPage
from apps.partners.models import ApiKey, ApiKeyUsage, Partner
from apps.partners.selectors import key_for_token
from tests.factories import ArticlePageFactory
from tests.partners.factories import PartnerFactory, issue_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(desk, client):
    client.force_login(get_user_model().objects.get(username="editor"))
    return client


def test_editors_see_keys_with_their_usage(editor_client):
    new = issue_key(PartnerFactory(name="Harmattan Radio"), label="CMS sync")
    ApiKeyUsage.objects.create(key=new.key, day=timezone.now().date(), requests=1234, errors=7)
    response = editor_client.get(reverse("api_keys:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Harmattan Radio" in html and new.key.prefix in html and "CMS sync" in html
    assert "1234" in html and "Requests (7 days)" in html
    assert new.plaintext.split("_", 2)[2] not in html


def test_editors_see_daily_usage_per_key(editor_client):
    new = issue_key(PartnerFactory(name="Harmattan Radio"), label="CMS sync")
    ApiKeyUsage.objects.create(key=new.key, day=timezone.now().date(), requests=4321, errors=3)
    response = editor_client.get(reverse("api_usage:index"))
    assert response.status_code == 200
    assert "4321" in response.content.decode()


def test_editors_can_create_a_partner(editor_client):
    sahel = SectionPage.objects.get(slug="sahel")
    response = editor_client.post(
        reverse("partners:add"),
        {"name": "Harmattan Radio", "rate_tier": "standard", "active": "on", "sections": [sahel.pk]},
    )
    assert response.status_code == 302
    assert list(Partner.objects.get(name="Harmattan Radio").sections.all()) == [sahel]


def test_creating_a_key_shows_the_secret_once(editor_client):
    partner = PartnerFactory(name="Harmattan Radio")
    response = editor_client.post(reverse("api_keys:add"), {"partner": partner.pk, "label": "CMS sync"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    plaintext = response.context["plaintext"]
    assert plaintext in response.content.decode()
    key = ApiKey.objects.get(partner=partner)
    assert key_for_token(plaintext) == key
    # Nowhere else: not on the key's own pages.
    edit = editor_client.get(reverse("api_keys:edit", args=[key.pk])).content.decode()
    assert plaintext.split("_", 2)[2] not in edit


def test_a_third_key_is_a_form_error(editor_client):
    partner = PartnerFactory()
    issue_key(partner)
    issue_key(partner)
    response = editor_client.post(reverse("api_keys:add"), {"partner": partner.pk})
    assert response.status_code == 200
    assert "revoke one before creating another" in response.content.decode()
    assert partner.keys.count() == 2


def test_an_editor_revokes_a_key_from_its_edit_form(editor_client):
    new = issue_key(PartnerFactory())
    response = editor_client.post(
        reverse("api_keys:edit", args=[new.key.pk]), {"label": "old", "expires_at": "", "revoke": "on"}
    )
    assert response.status_code == 302
    new.key.refresh_from_db()
    assert new.key.revoked_at is not None
    assert new.key.label == "old"


def test_reporters_cannot_see_partners(desk, client):
    client.force_login(get_user_model().objects.get(username="reporter"))
    assert client.get(reverse("api_keys:index")).status_code in {302, 403}


def test_an_editor_granting_a_section_in_the_admin_tells_the_partner_through_the_change_log(editor_client):
    sahel, west_africa = SectionPage.objects.get(slug="sahel"), SectionPage.objects.get(slug="west-africa")
    page = ArticlePageFactory(parent=west_africa)
    partner = PartnerFactory(name="Harmattan Radio", sections=[sahel])
    issue_key(partner)
    response = editor_client.post(
        reverse("partners:edit", args=(partner.pk,)),
        {
            "name": partner.name,
            "rate_tier": "standard",
            "active": "on",
            "sections": [sahel.pk, west_africa.pk],
        },
    )
    assert response.status_code == 302
    granted = Change.objects.filter(partner=partner, cause="entitlement")
    assert list(granted.values_list("object_id", "action")) == [(page.pk, "upsert")]
