"""`q`: full-text search on the articles list.

Wagtail's database search backend does the matching: PostgreSQL full-text search on PostgreSQL,
its SQLite (FTS where available) or fallback backend elsewhere. It runs over the articles the
partner may see after the other filters, keeps the SEARCH_CAP best hits in relevance order (ties by
id, so the order is stable), and pages through that list with a cursor of its own. With `ordering=`
the same capped hits are paged in that order by the usual keyset cursor instead.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

from apps.api.exceptions import InvalidParameters
from apps.api.pagination import CURSOR_PARAM, Cursor, Page, encode_cursor
from apps.api.params import DEFAULT_PAGE_SIZE, Param
from apps.articles.models import ArticlePage

SEARCH_CAP = 200
MAX_QUERY_LENGTH = 200
RELEVANCE = "relevance"


def parse_q(raw: str) -> str:
    # Words are matched, not punctuation; a double quote would end the search backend's quoted
    # term early (an SQLite FTS syntax error), so it counts as a space.
    text = " ".join(raw.replace('"', " ").split())
    if not text:
        raise ValueError("must not be empty.")
    if len(text) > MAX_QUERY_LENGTH:
        raise ValueError(f"at most {MAX_QUERY_LENGTH} characters.")
    return text


Q_PARAM = Param(
    "q",
    parse_q,
    f"Full-text search in headline, standfirst and body. Results come in relevance order (best first) "
    f"over the {SEARCH_CAP} best hits; `ordering=` sorts those hits by date instead.",
    # At least one character that is neither a space nor a double quote.
    limits={"minLength": 1, "maxLength": MAX_QUERY_LENGTH, "pattern": r'[^\s"]'},
)


def search_hits(articles: QuerySet[ArticlePage], text: str) -> list[int]:
    """Ids of the best SEARCH_CAP matches among `articles`, best first (ties by id)."""
    candidates = ArticlePage.objects.filter(pk__in=articles.order_by().values("pk"))
    results = candidates.search(text, order_by_relevance=True).annotate_score("_score")
    scored = [(page.pk, float(page._score or 0)) for page in results[:SEARCH_CAP]]
    scored.sort(key=lambda hit: (-hit[1], hit[0]))
    return [pk for pk, _ in scored]


def relevance_page(
    queryset: QuerySet[ArticlePage],
    hits: list[int],
    *,
    request: Request,
    cursor: Cursor | None,
    page_size: int | None,
) -> Page:
    """One page of `hits` (ids in relevance order), loaded from `queryset` in one query."""
    size = page_size or DEFAULT_PAGE_SIZE
    offset = 0
    if cursor is not None:
        values = cursor.values
        if (
            cursor.ordering != RELEVANCE
            or len(values) != 1
            or not isinstance(values[0], int)
            or values[0] < 0
        ):
            raise InvalidParameters(
                [
                    {
                        "name": CURSOR_PARAM,
                        "reason": "'cursor' belongs to another listing; start again without it.",
                    }
                ]
            )
        offset = values[0]
    window = hits[offset : offset + size]
    rows = {row.pk: row for row in queryset.filter(pk__in=window)} if window else {}
    items = [rows[pk] for pk in window if pk in rows]
    url = request.build_absolute_uri()

    def link(position: int) -> str:
        token = encode_cursor(Cursor(ordering=RELEVANCE, backwards=False, values=(position,)))
        return replace_query_param(url, CURSOR_PARAM, token)

    next_link = link(offset + size) if offset + size < len(hits) else None
    previous_link = None
    if offset > 0:
        previous_link = (
            link(max(0, offset - size)) if offset - size > 0 else remove_query_param(url, CURSOR_PARAM)
        )
    return Page(items=items, next=next_link, previous=previous_link)


def page_articles(view: Any, qs: QuerySet[ArticlePage], *, values: dict[str, Any], ordering: Any):
    """The articles list's page, searched when `q` is given; also returns the set facets count over."""
    if "q" not in values:
        return view.page(qs, ordering=ordering, values=values), qs
    hits = search_hits(qs, values["q"])
    matched = qs.filter(pk__in=hits)
    if "ordering" in values:  # the capped hits, in the asked order, by the usual keyset cursor
        return view.page(matched, ordering=ordering, values=values), matched
    page = relevance_page(
        qs, hits, request=view.request, cursor=values.get("cursor"), page_size=values.get("page_size")
    )
    return page, matched
