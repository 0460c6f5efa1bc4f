"""Registry records, images and articles for the partner API tests (text written for these tests)."""

from __future__ import annotations

import io

import factory
from django.core.files.images import ImageFile
from PIL import Image as PILImage

from apps.articles.models import ArticleActor, ArticleEvent, ArticlePlace
from apps.core.models import ImageRights, NewsImage
from apps.registry.models import Actor, ActorKind, Event, EventType, Place, PlaceKind, ReviewStatus
from tests.factories import ArticlePageFactory, paragraph

__all__ = ["ArticlePageFactory", "paragraph"]


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Test actor {n}")
    kind = ActorKind.STATE
    review_status = ReviewStatus.APPROVED


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place

    name = factory.Sequence(lambda n: f"Test town {n}")
    kind = PlaceKind.CITY
    review_status = ReviewStatus.APPROVED


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Test summit {n}")
    event_type = EventType.SUMMIT
    start = factory.Faker("date_object")
    review_status = ReviewStatus.APPROVED


def make_image(title: str = "Delegates in the hall", *, rights: str = ImageRights.OWN) -> NewsImage:
    buffer = io.BytesIO()
    PILImage.new("RGB", (64, 48), (180, 120, 40)).save(buffer, "PNG")
    return NewsImage.objects.create(
        title=title,
        file=ImageFile(buffer, name=f"{title.replace(' ', '-').lower()}.png"),
        credit="Desk photographer",
        caption=f"{title}.",
        alt_text=f"Photo: {title.lower()}",
        rights=rights,
    )


def tags(*, actors=(), events=(), places=(), **extra) -> dict:
    """Child rows for ArticlePageFactory: confirmed subject tags unless `extra` says otherwise."""
    return {
        "actor_tags": [ArticleActor(actor=a, **extra) for a in actors],
        "event_tags": [ArticleEvent(event=e, **extra) for e in events],
        "place_tags": [ArticlePlace(place=p, **extra) for p in places],
    }
