"""Reads shared by every app that lists pages."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Substr
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
