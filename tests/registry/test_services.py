"""Proposing and approving registry records (reporters propose, editors approve)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from apps.registry.models import ReviewStatus
from apps.registry.selectors import public_actors
from apps.registry.services import approve, propose_actor
from tests.registry.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_a_proposed_actor_is_hidden_until_approved(django_user_model):
    reporter = django_user_model.objects.create_user(username="r")
    actor = propose_actor(name="  Liptako-Gourma Authority ", kind="organization", user=reporter)
    assert actor.name == "Liptako-Gourma Authority"
    assert actor.review_status == ReviewStatus.PROPOSED
    assert actor not in public_actors()
    approve(instance=actor, user=reporter)
    assert actor in public_actors()
    assert ModelLogEntry.objects.filter(action="registry.approve", object_id=str(actor.pk)).exists()


def test_proposing_an_invalid_actor_fails_and_saves_nothing():
    with pytest.raises(ValidationError):
        propose_actor(name="Someone", kind="wizard")


def test_approve_works_for_events():
    event = EventFactory(review_status=ReviewStatus.PROPOSED)
    assert approve(instance=event).review_status == ReviewStatus.APPROVED
