"""Registry records for article tests: the registry's own factories (approved by default)."""

from tests.registry.factories import ActorFactory, EventFactory, PlaceFactory

__all__ = ["ActorFactory", "EventFactory", "PlaceFactory"]
