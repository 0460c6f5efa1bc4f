"""Factories for partners and keys; keys go through the service so they are hashed like real ones."""

from __future__ import annotations

import factory

from apps.partners import services
from apps.partners.models import Partner, RateTier


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partner newsroom {n}")
    contact_email = factory.LazyAttribute(lambda o: f"desk{o.name.split()[-1]}@partner.example")
    active = True
    all_sections = False
    rate_tier = RateTier.STANDARD

    @factory.post_generation
    def sections(self, create, extracted, **kwargs):
        if create and extracted:
            self.sections.set(extracted)


def issue_key(partner: Partner, **kwargs) -> services.NewKey:
    return services.create_api_key(partner=partner, **kwargs)
