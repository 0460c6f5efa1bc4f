"""The suite turns Wagtail's reference index off (tests/conftest.py); the marker turns it back on."""

from __future__ import annotations

import pytest
from wagtail.models import ReferenceIndex

from tests.api.factories import ArticlePageFactory, make_image

pytestmark = pytest.mark.django_db


def _references_to(image) -> int:
    return ReferenceIndex.get_references_to(image).count()


@pytest.mark.reference_index
def test_the_marker_keeps_the_index_current(sahel):
    image = make_image()
    ArticlePageFactory(parent=sahel, hero_image=image)
    assert _references_to(image) >= 1


def test_without_the_marker_saves_do_not_index(sahel):
    image = make_image()
    ArticlePageFactory(parent=sahel, hero_image=image)
    assert _references_to(image) == 0
