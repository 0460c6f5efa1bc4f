from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.rich_text import expand_db_html

from apps.core.models import SectionPage

pytestmark = pytest.mark.django_db


def _link(page) -> str:
    return f'<a linktype="page" id="{page.pk}">link</a>'


def test_links_to_public_pages_keep_their_url(desk):
    section = SectionPage.objects.get(slug="sahel")
    assert expand_db_html(_link(section)) == '<a href="/sahel/">link</a>'


@pytest.mark.parametrize("state", ["restricted", "expired", "unpublished"])
def test_links_to_pages_a_reader_cannot_open_lose_their_url(desk, state):
    section = SectionPage.objects.get(slug="west-africa")
    if state == "restricted":
        PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    elif state == "expired":
        SectionPage.objects.filter(pk=section.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    else:
        section.unpublish()
    assert expand_db_html(_link(section)) == "<a>link</a>"
