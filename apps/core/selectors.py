"""Reads shared by every app that lists pages."""

from __future__ import annotations

from datetime import datetime

from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction


class _IsAncestorPath(Func):
    """(ancestor_path, ancestor_depth, path, depth): the first page is the second or one of its
    ancestors, by treebeard path.

    On PostgreSQL it is written as a lookup of the page's own few ancestor paths (one per level,
    from `generate_series`), which the unique index on `path` answers per level. The portable
    form, `path = substr(outer_path, 1, depth * steplen)`, has the restriction's own depth on
    the right, so no index applies and every row of a listing scans every restriction: counting
    the visible articles of the 100k corpus (1,012 restricted) took 14.4-16.8 s that way and
    1.1 s this way (docs/adr/0016).
    """

    output_field = BooleanField()
    conditional = True

    def _compiled(self, compiler):
        return [compiler.compile(expression) for expression in self.source_expressions]

    def as_sql(self, compiler, connection, **extra_context):
        (ancestor, a), (ancestor_depth, b), (path, c), _depth = self._compiled(compiler)
        return f"{ancestor} = substr({path}, 1, {ancestor_depth} * {Page.steplen})", (*a, *c, *b)

    def as_postgresql(self, compiler, connection, **extra_context):
        (ancestor, a), _ancestor_depth, (path, c), (depth, d) = self._compiled(compiler)
        levels = f"SELECT substr({path}, 1, {Page.steplen} * level) FROM generate_series(1, {depth}) AS level"  # noqa: S608 - compiled column references
        return f"{ancestor} = ANY(ARRAY({levels}))", (*a, *c, *d)


def view_restricted() -> Exists:
    """A view restriction on the page or any ancestor, as a subquery.

    Wagtail's `.public()` reads every restriction in a query of its own when the queryset is
    built; a correlated subquery keeps the rule lazy and one query wherever it is used.
    """
    return Exists(
        PageViewRestriction.objects.filter(
            _IsAncestorPath(F("page__path"), F("page__depth"), OuterRef("path"), OuterRef("depth"))
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


def public_sections(*, now: datetime | None = None):
    """Sections published now with no view restriction, lazily (usable as a subquery): the
    site's nav, the home page, feeds and partner entitlements all start from it."""
    return published_sections(now=now).exclude(view_restricted())
