"""Registry records, images and articles for the partner API tests (text written for these tests)."""

from __future__ import annotations

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage

from apps.articles.models import ArticleActor, ArticleEvent, ArticlePlace
from apps.core.models import ImageRights, NewsImage
from tests.factories import ArticlePageFactory, paragraph
from tests.registry.factories import ActorFactory, EventFactory, PlaceFactory

__all__ = ["ActorFactory", "ArticlePageFactory", "EventFactory", "PlaceFactory", "paragraph"]


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
