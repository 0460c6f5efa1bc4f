"""The PostgreSQL form of the view-restriction check (one probe of the path index per ancestor
level, docs/adr/0016) hides exactly the pages the portable form hides. Its speed is measured at
100k by bench/visibility_rule.py; a small corpus plans it differently, so no EXPLAIN here."""

from __future__ import annotations

import pytest
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Substr
from wagtail.models import Page, PageViewRestriction

from apps.articles.models import ArticlePage
from apps.core.selectors import view_restricted

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _portable_form() -> Exists:
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, F("page__depth") * Page.steplen)
        )
    )


def test_both_forms_hide_the_same_pages(corpus):
    new = set(ArticlePage.objects.live().exclude(view_restricted()).values_list("pk", flat=True))
    old = set(ArticlePage.objects.live().exclude(_portable_form()).values_list("pk", flat=True))
    assert new == old
    assert len(new) < ArticlePage.objects.live().count()  # some are restricted, so it is a real check
