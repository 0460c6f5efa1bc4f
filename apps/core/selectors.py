"""Reads shared by every app that lists pages."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction


def view_restricted() -> Exists:
    """A view restriction on the page or any ancestor, as a subquery.

    Wagtail's `.public()` reads every restriction in a query of its own when the queryset is
    built; a correlated subquery keeps the rule lazy and one query wherever it is used.
    """
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, F("page__depth") * Page.steplen)
        )
    )


def published_now(qs: QuerySet[Page], *, now: datetime | None = None) -> QuerySet[Page]:
    """The visibility rule's time part, for pages of any type: live, gone live, not expired.

    Wagtail routes on `live` alone and its scheduler may not have run yet, so go_live_at and
    expire_at are checked here too. Every public surface applies it through this function.
    """
    now = now or timezone.now()
    return (
        qs.live()
        .filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=now))
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
    )


def publicly_visible_pages(*, now: datetime | None = None) -> QuerySet[Page]:
    """Pages of any type a reader may open (links may point at sections, articles or the
    home page): published now and under no view restriction."""
    return published_now(Page.objects.all(), now=now).exclude(view_restricted())


def published_sections(*, now: datetime | None = None):
    """Sections published now (restricted ones included), lazily: an article is only as
    visible as its section (Wagtail would still route to it under an unpublished one)."""
    from apps.core.models import SectionPage  # models import this module's neighbours

    return published_now(SectionPage.objects.all(), now=now)


def public_sections():
    """Sections published now with no view restriction, lazily (usable as a subquery): the
    site's nav, the home page, feeds and partner entitlements all start from it."""
    return published_sections().exclude(view_restricted())
