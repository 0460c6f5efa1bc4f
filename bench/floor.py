"""The floor: for each scenario, one hand-written SQL statement that returns the response's JSON
(the same articles, in the same order, with their section, bylines and public tags), run through
psycopg. It is what any Python stack must pay at least: one round trip, JSON built by PostgreSQL.

What the floor leaves out (and ours does): the key check, throttle, validators (ETag), the
entitlement and visibility rules resolved per request (the floor gets the entitled section ids
from the harness), rendering the body's blocks to HTML (the floor ships the stored blocks).
"""

from __future__ import annotations

import json
import os
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse

# Visible to the bench partner: live, gone live, not expired, own copy, first published, in an
# entitled (public) section, and no view restriction on the page or an ancestor.
_VISIBLE = """
    p.live AND (p.go_live_at IS NULL OR p.go_live_at <= now()) AND (p.expire_at IS NULL OR p.expire_at > now())
    AND a.syndication_rights = 'own' AND a.published_at IS NOT NULL AND a.updated_at IS NOT NULL
    AND a.section_id = ANY(%(sections)s)
    AND NOT EXISTS (SELECT 1 FROM wagtailcore_pageviewrestriction r JOIN wagtailcore_page rp ON rp.id = r.page_id
                    WHERE p.path LIKE rp.path || '%%')
"""

_ARTICLE_JSON = """
    json_build_object(
      'id', a.page_ptr_id, 'uri', 'urn:newsdesk:article:' || a.page_ptr_id,
      'url', %(base)s || p.url_path, 'title', p.title, 'standfirst', a.standfirst, 'kind', a.kind,
      'language', a.language,
      'section', json_build_object('id', s.id, 'slug', s.slug, 'title', s.title),
      'published_at', a.published_at, 'updated_at', a.updated_at, 'revision', p.live_revision_id,
      'bylines', (SELECT COALESCE(json_agg(json_build_object('name', au.name, 'slug', au.slug,
                          'job_title', au.job_title) ORDER BY b.sort_order), '[]')
                  FROM articles_articlebyline b JOIN articles_author au ON au.id = b.author_id
                  WHERE b.page_id = a.page_ptr_id),
      'source_attribution', a.source_attribution,
      'tags', (SELECT COALESCE(json_agg(t ORDER BY t.role, t.relevance DESC), '[]') FROM (
                 SELECT 'actor' AS type, ac.id, ac.slug, ac.name, ac.kind, t.role, t.relevance
                 FROM articles_articleactor t JOIN registry_actor ac ON ac.id = t.actor_id
                 WHERE t.page_id = a.page_ptr_id AND t.confirmed AND ac.review_status = 'approved'
                   AND ac.merged_into_id IS NULL
                 UNION ALL
                 SELECT 'event', e.id, e.slug, e.title, e.event_type, t.role, t.relevance
                 FROM articles_articleevent t JOIN registry_event e ON e.id = t.event_id
                 WHERE t.page_id = a.page_ptr_id AND t.confirmed AND e.review_status = 'approved'
                 UNION ALL
                 SELECT 'place', pl.id, pl.slug, pl.name, pl.kind, t.role, t.relevance
                 FROM articles_articleplace t JOIN registry_place pl ON pl.id = t.place_id
                 WHERE t.page_id = a.page_ptr_id AND t.confirmed AND pl.review_status = 'approved') t),
      'hero_image', a.hero_image_id
      {body}
    )
"""


def _list_sql(extra: str, *, body: bool = False) -> str:
    return f"""
    WITH page AS (
      SELECT a.*, p.title, p.url_path, p.live_revision_id FROM articles_articlepage a
      JOIN wagtailcore_page p ON p.id = a.page_ptr_id
      WHERE {_VISIBLE} {extra}
      ORDER BY a.published_at DESC, a.page_ptr_id DESC LIMIT %(limit)s
    )
    SELECT json_build_object('results', COALESCE(json_agg({_ARTICLE_JSON.format(body=", 'body', a.body" if body else "")}
                              ORDER BY a.published_at DESC, a.page_ptr_id DESC), '[]'))::text
    FROM page a JOIN wagtailcore_page p ON p.id = a.page_ptr_id JOIN wagtailcore_page s ON s.id = a.section_id
    """  # noqa: S608 - fixed fragments, values are parameters


_TAGGED = """AND a.page_ptr_id IN (SELECT t.page_id FROM articles_articleactor t WHERE t.actor_id = %({name})s
             AND t.confirmed)"""

SCENARIOS: dict[str, str] = {
    "list": _list_sql(""),
    "section": _list_sql("AND a.section_id = %(section)s"),
    "actor": _list_sql(_TAGGED.format(name="actor")),
    "actors_and": _list_sql(_TAGGED.format(name="actor") + " " + _TAGGED.format(name="actor2")),
    "actors_or": _list_sql(
        "AND a.page_ptr_id IN (SELECT t.page_id FROM articles_articleactor t "
        "WHERE t.actor_id IN (%(actor)s, %(actor2)s) AND t.confirmed)"
    ),
    "date_range": _list_sql("AND a.published_at >= %(date_from)s AND a.published_at < %(date_to)s"),
    "deep": _list_sql("AND (a.published_at, a.page_ptr_id) < (%(deep_at)s, %(deep_id)s)"),
    "detail": _list_sql("AND a.page_ptr_id = %(detail)s", body=True),
    "changes": """
      SELECT json_build_object('results', COALESCE(json_agg(json_build_object(
               'seq', c.seq, 'type', c.object_type, 'id', c.object_id, 'action', c.action,
               'at', c.created_at) ORDER BY c.seq), '[]'))::text
      FROM (SELECT * FROM changes_change c
            WHERE c.seq > %(after)s AND (c.partner_id IS NULL OR c.partner_id = %(partner)s)
              AND (c.section_after = ANY(%(sections)s) OR c.section_before = ANY(%(sections)s))
            ORDER BY c.seq LIMIT %(limit)s) c
    """,
}


def context() -> dict[str, Any]:
    """The scenario parameters, set by the harness (an environment variable reaches gunicorn)."""
    raw = json.loads(os.environ.get("BENCH_CONTEXT", "{}"))
    return raw


def run(scenario: str, params: dict[str, Any]) -> str:
    with connection.cursor() as cursor:
        cursor.execute(SCENARIOS[scenario], params)
        return cursor.fetchone()[0]


def floor_view(request: HttpRequest, scenario: str) -> HttpResponse:
    """The floor over HTTP: the statement's text as the body, nothing else."""
    if scenario not in SCENARIOS:
        return HttpResponse(status=404)
    return HttpResponse(run(scenario, context()), content_type="application/json")
