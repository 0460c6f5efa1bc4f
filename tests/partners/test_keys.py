"""API keys: hashed with a peppered HMAC, shown once, at most two live per partner."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.partners import services
from apps.partners.keys import parse_key
from apps.partners.models import ApiKey
from apps.partners.selectors import KeyRejected, key_for_token, live_keys
from tests.partners.factories import PartnerFactory, issue_key

pytestmark = pytest.mark.django_db


def test_only_a_peppered_hmac_of_the_secret_is_stored(settings):
    settings.API_KEY_PEPPER = "pepper-for-this-test"
    new = issue_key(PartnerFactory())
    prefix, secret = parse_key(new.plaintext)
    stored = ApiKey.objects.get(pk=new.key.pk)
    assert stored.prefix == prefix
    assert secret not in stored.secret_hash
    expected = hmac.new(b"pepper-for-this-test", f"{prefix}:{secret}".encode(), hashlib.sha256).hexdigest()
    assert stored.secret_hash == expected


def test_changing_the_pepper_invalidates_keys(settings):
    new = issue_key(PartnerFactory())
    assert key_for_token(new.plaintext) == new.key
    settings.API_KEY_PEPPER = "rotated"
    with pytest.raises(KeyRejected):
        key_for_token(new.plaintext)


def test_keys_are_long_random_and_distinct():
    partner = PartnerFactory()
    first, second = issue_key(partner), issue_key(partner)
    assert first.plaintext != second.plaintext
    assert first.key.prefix != second.key.prefix
    assert len(parse_key(first.plaintext)[1]) >= 43  # 256 bits, URL-safe base64


def test_a_third_live_key_is_refused_until_one_is_revoked():
    partner = PartnerFactory()
    first = issue_key(partner)
    issue_key(partner)
    with pytest.raises(ValidationError, match="2 live keys"):
        issue_key(partner)
    services.revoke_api_key(prefix=first.key.prefix)
    assert issue_key(partner).key.slot == first.key.slot


def test_an_expired_key_frees_its_slot():
    partner = PartnerFactory()
    old = issue_key(partner)
    issue_key(partner)
    ApiKey.objects.filter(pk=old.key.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    issue_key(partner)
    old.key.refresh_from_db()
    assert old.key.revoked_at is not None
    assert ApiKey.objects.filter(partner=partner, revoked_at__isnull=True).count() == 2


def test_the_database_refuses_two_live_keys_in_one_slot():
    new = issue_key(PartnerFactory())
    clone = ApiKey(partner=new.key.partner, prefix="abcdefabcdef", secret_hash="0" * 64, slot=new.key.slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


def test_an_expiry_in_the_past_is_refused():
    with pytest.raises(ValidationError, match="future"):
        issue_key(PartnerFactory(), expires_at=timezone.now() - timedelta(days=1))


def test_revoking_is_idempotent_and_keeps_the_first_time():
    new = issue_key(PartnerFactory())
    first = services.revoke_api_key(prefix=new.key.prefix).revoked_at
    assert services.revoke_api_key(prefix=new.plaintext).revoked_at == first


def test_revoking_an_unknown_prefix_is_an_error():
    with pytest.raises(ValidationError, match="No API key"):
        services.revoke_api_key(prefix="000000000000")


def test_ensure_partner_refuses_unknown_sections(desk):
    with pytest.raises(ValidationError, match="Unknown section"):
        services.ensure_partner(name="Harmattan Radio", section_slugs=["sahel", "atlantis"])


# The expiry boundary: a key works up to, but not at, its expires_at (every reader of it agrees).
EXPIRES = timezone.now().replace(microsecond=0) + timedelta(days=3)
JUST_BEFORE = EXPIRES - timedelta(microseconds=1)


def test_a_key_is_accepted_until_the_instant_before_it_expires():
    new = issue_key(PartnerFactory(), expires_at=EXPIRES)
    assert key_for_token(new.plaintext, now=JUST_BEFORE).pk == new.key.pk
    assert new.key.is_live(now=JUST_BEFORE)
    assert list(services_live_keys(new.key.partner, JUST_BEFORE)) == [new.key.pk]


def test_a_key_is_refused_at_the_instant_it_expires():
    new = issue_key(PartnerFactory(), expires_at=EXPIRES)
    with pytest.raises(KeyRejected, match="expired"):
        key_for_token(new.plaintext, now=EXPIRES)
    assert not new.key.is_live(now=EXPIRES)
    assert list(services_live_keys(new.key.partner, EXPIRES)) == []


def test_a_key_frees_its_slot_at_the_instant_it_expires_not_before():
    partner = PartnerFactory()
    issue_key(partner)
    expiring = issue_key(partner, expires_at=EXPIRES)
    with pytest.raises(ValidationError, match="revoke one"):
        services.create_api_key(partner=partner, now=JUST_BEFORE)
    services.create_api_key(partner=partner, now=EXPIRES)
    assert ApiKey.objects.get(pk=expiring.key.pk).revoked_at == EXPIRES


def services_live_keys(partner, now):
    return live_keys(partner, now=now).values_list("pk", flat=True)
