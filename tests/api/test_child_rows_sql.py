"""On PostgreSQL the API's child rows (bylines, corrections, public tags) run from SQL compiled
once per process (apps.api.selectors._compiled_union): the same rows as the ORM's union, for
any set of ids, and the compiled statement is reused."""

from __future__ import annotations

from datetime import date

import pytest

from apps.api import selectors
from apps.articles.models import ArticleActor, ArticleEvent, ArticlePlace
from apps.registry.models import ReviewStatus
from tests.api.factories import ActorFactory, ArticlePageFactory, EventFactory, PlaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_compiled_rows_equal_the_orms_for_any_ids(sahel, django_assert_num_queries):
    public, pending = ActorFactory(name="Public actor"), ActorFactory(review_status=ReviewStatus.PROPOSED)
    merged = ActorFactory(name="Merged away", merged_into=public)
    event, place = EventFactory(title="Summit"), PlaceFactory(name="Niamey", country="NE")
    tagged = ArticlePageFactory(
        parent=sahel,
        corrections=[(date(2026, 11, 30), "A date was wrong."), (date(2026, 12, 1), "A name was wrong.")],
        actor_tags=[
            ArticleActor(actor=public, relevance=0.4, confirmed=True),
            ArticleActor(actor=pending, confirmed=True),
            ArticleActor(actor=merged, confirmed=True),
        ],
        event_tags=[ArticleEvent(event=event, relevance=0.9, confirmed=True, role="mentioned")],
        place_tags=[ArticlePlace(place=place, confirmed=False)],
    )
    plain = ArticlePageFactory(parent=sahel)
    ids = [tagged.pk, plain.pk]

    def orm(pks):
        return sorted(selectors._child_rows_union(pks), key=repr)

    for pks in (ids, [tagged.pk], [plain.pk], [], [tagged.pk, tagged.pk]):
        assert sorted(selectors._child_rows_raw(pks), key=repr) == orm(pks)
    rows = selectors._child_rows(ids)
    assert [row[0] for row in rows] == ["byline", "byline", "correction", "correction", "actor", "event"]
    assert {row[6] for row in rows if row[0] == "actor"} == {"Public actor"}
    compiled = selectors._compiled_union()
    with django_assert_num_queries(1):
        selectors._child_rows(ids)
    assert selectors._compiled_union() is compiled
