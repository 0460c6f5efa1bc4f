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


def _search_sql() -> str:
    """`q`: the same ranking as Wagtail's PostgreSQL backend (its weights, title_norm), the 200 best
    hits, then the first page of them best first, ties by id (apps/api/search.py)."""
    return f"""
    WITH hits AS (
      SELECT a.page_ptr_id, ts_rank(%(weights)s::float4[], ie.title, tq) * ie.title_norm
                            + ts_rank(%(weights)s::float4[], ie.body, tq) AS score
      FROM articles_articlepage a JOIN wagtailcore_page p ON p.id = a.page_ptr_id
      JOIN wagtailsearch_indexentry ie ON ie.content_type_id = %(article_type)s
                                      AND ie.object_id = a.page_ptr_id::text,
           to_tsquery(%(q_term)s) tq
      WHERE {_VISIBLE} AND (ie.title || ie.body) @@ tq
      ORDER BY score DESC, a.page_ptr_id DESC LIMIT 200
    ), page AS (
      SELECT a.*, p.title, p.url_path, p.live_revision_id, h.score FROM hits h
      JOIN articles_articlepage a ON a.page_ptr_id = h.page_ptr_id JOIN wagtailcore_page p ON p.id = a.page_ptr_id
      ORDER BY h.score DESC, h.page_ptr_id LIMIT %(limit)s
    )
    SELECT json_build_object('results', COALESCE(json_agg({_ARTICLE_JSON.format(body="")}
                              ORDER BY a.score DESC, a.page_ptr_id), '[]'))::text
    FROM page a JOIN wagtailcore_page p ON p.id = a.page_ptr_id JOIN wagtailcore_page s ON s.id = a.section_id
    """  # noqa: S608 - fixed fragments, values are parameters


_TAGGED = """AND a.page_ptr_id IN (SELECT t.page_id FROM articles_articleactor t WHERE t.actor_id = %({name})s
             AND t.confirmed)"""

# A change-log row this partner may receive (apps/changes/selectors.partner_rows).
_FEED_ROW = """({c}.partner_id = %(partner)s OR ({c}.partner_id IS NULL AND ({c}.object_type <> 'article'
    OR ({c}.visible_after AND {c}.syndicable_after AND {c}.section_after = ANY(%(sections)s))
    OR ({c}.visible_before AND {c}.syndicable_before AND {c}.section_before = ANY(%(sections)s)))))"""

# What the row tells this partner: an article row of the shared log is an upsert while entitled after.
_FEED_ACT = """CASE WHEN c.partner_id IS NOT NULL OR c.object_type <> 'article' THEN c.action
    WHEN c.visible_after AND c.syndicable_after AND c.section_after = ANY(%(sections)s) THEN 'upsert'
    ELSE 'tombstone' END"""

SCENARIOS: dict[str, str] = {
    "list": _list_sql(""),
    "section": _list_sql("AND a.section_id = %(section)s"),
    "actor": _list_sql(_TAGGED.format(name="actor")),
    "actors_and": _list_sql(_TAGGED.format(name="actor") + " " + _TAGGED.format(name="actor2")),
    "actors_or": _list_sql(
        "AND a.page_ptr_id IN (SELECT t.page_id FROM articles_articleactor t "
        "WHERE t.actor_id IN (%(actor)s, %(actor2)s) AND t.confirmed)"
    ),
    # published_after / published_before take days: the first day's start to the last day's end.
    "date_range": _list_sql(
        "AND a.published_at >= %(date_from)s::date AND a.published_at < %(date_to)s::date + 1"
    ),
    "deep": _list_sql("AND (a.published_at, a.page_ptr_id) < (%(deep_at)s, %(deep_id)s)"),
    "detail": _list_sql("AND a.page_ptr_id = %(detail)s", body=True),
    "q": _search_sql(),
    "ninjs": f"""
      SELECT json_build_object(
        'uri', 'urn:newsdesk:article:' || a.page_ptr_id, 'type', 'text', 'representationtype', 'full',
        'profile', 'newsdesk-' || a.kind, 'version', p.live_revision_id::text,
        'firstcreated', a.published_at, 'versioncreated', COALESCE(a.updated_at, a.published_at),
        'pubstatus', 'usable', 'language', a.language, 'slugline', p.slug,
        'headlines', json_build_array(json_build_object('role', 'main', 'value', p.title)),
        'bodies', json_build_array(json_build_object('role', 'main', 'contenttype', 'application/json',
                                                     'value', a.body)),
        'descriptions', json_build_array(json_build_object('role', 'summary', 'value', a.standfirst)),
        'by', (SELECT string_agg(au.name, ', ' ORDER BY b.sort_order) FROM articles_articlebyline b
               JOIN articles_author au ON au.id = b.author_id WHERE b.page_id = a.page_ptr_id),
        'subjects', (SELECT COALESCE(json_agg(json_build_object('name', ac.name, 'uri', 'urn:newsdesk:actor:' || ac.id,
                                   'rel', t.role, 'literal', ac.slug, 'relevance', round(t.relevance * 100))
                                   ORDER BY t.role, t.relevance DESC), '[]')
                     FROM articles_articleactor t JOIN registry_actor ac ON ac.id = t.actor_id
                     WHERE t.page_id = a.page_ptr_id AND t.confirmed AND ac.review_status = 'approved'
                       AND ac.merged_into_id IS NULL)
      )::text
      FROM articles_articlepage a JOIN wagtailcore_page p ON p.id = a.page_ptr_id
      WHERE a.page_ptr_id = %(detail)s AND {_VISIBLE}
    """,  # noqa: S608 - fixed fragments, values are parameters
    "events": """
      SELECT json_build_object('results', COALESCE(json_agg(json_build_object(
               'id', e.id, 'uri', 'urn:newsdesk:event:' || e.id, 'slug', e.slug, 'title', e.title,
               'type', e.event_type, 'status', e.status, 'start', e.start, 'start_precision', e.start_precision,
               'end', e."end", 'end_precision', e.end_precision,
               'place', CASE WHEN pl.review_status = 'approved' THEN json_build_object(
                          'id', pl.id, 'uri', 'urn:newsdesk:place:' || pl.id, 'slug', pl.slug, 'name', pl.name,
                          'country', NULLIF(pl.country, '')) END,
               'summary', e.summary, 'updated_at', e.updated_at) ORDER BY e.id), '[]'))::text
      FROM (SELECT * FROM registry_event e WHERE e.review_status = 'approved' ORDER BY e.id LIMIT %(limit)s) e
      LEFT JOIN registry_place pl ON pl.id = e.place_id
    """,
    # One actor with its aliases, the relations that may hold on `as_of` (partial dates count for
    # their whole period: start <= day <= end_upper), its 20 newest participations (latest start
    # first, undated first, then the newest event; the actor id as a value, not ac.id, so the plan
    # knows how many it has), the link to the rest, and the 20 newest visible articles.
    "actor_as_of": f"""
      SELECT json_build_object(
        'id', ac.id, 'uri', 'urn:newsdesk:actor:' || ac.id, 'slug', ac.slug, 'name', ac.name, 'kind', ac.kind,
        'country', NULLIF(ac.country, ''), 'wikidata_qid', NULLIF(ac.wikidata_qid, ''),
        'description', ac.description, 'updated_at', ac.updated_at, 'as_of', %(as_of)s::date,
        'aliases', (SELECT COALESCE(json_agg(json_build_object('text', al.text, 'language', al.language,
                                   'kind', al.kind) ORDER BY al.kind, al.text), '[]')
                    FROM registry_alias al WHERE al.actor_id = ac.id),
        'relations', (SELECT COALESCE(json_agg(json_build_object(
                         'predicate', r.predicate,
                         'direction', CASE WHEN r.subject_id = ac.id THEN 'outgoing' ELSE 'incoming' END,
                         'other', json_build_object('id', o.id, 'uri', 'urn:newsdesk:actor:' || o.id,
                                                    'slug', o.slug, 'name', o.name, 'kind', o.kind),
                         'position_title', r.position_title, 'start', r.start, 'start_precision', r.start_precision,
                         'end', r."end", 'end_precision', r.end_precision, 'current', true,
                         'source_note', r.source_note) ORDER BY r.predicate, r.start, r.id), '[]')
                      FROM registry_actorrelation r
                      JOIN registry_actor o ON o.id = CASE WHEN r.subject_id = ac.id THEN r.object_id ELSE r.subject_id END
                      WHERE (r.subject_id = ac.id OR r.object_id = ac.id)
                        AND (r.start IS NULL OR r.start <= %(as_of)s::date)
                        AND (r."end" IS NULL OR r.end_upper >= %(as_of)s::date)
                        AND o.review_status = 'approved' AND o.merged_into_id IS NULL),
        'events', (SELECT COALESCE(json_agg(json_build_object('event', json_build_object(
                       'id', x.id, 'uri', 'urn:newsdesk:event:' || x.id, 'slug', x.slug, 'title', x.title,
                       'type', x.event_type, 'start', CASE x.start_precision
                         WHEN 'year' THEN to_char(x.start, 'YYYY') WHEN 'month' THEN to_char(x.start, 'YYYY-MM')
                         ELSE to_char(x.start, 'YYYY-MM-DD') END), 'role', x.role)
                       ORDER BY x.start DESC NULLS FIRST, x.id DESC, x.ep_id DESC), '[]')
                   FROM (SELECT e.id, e.slug, e.title, e.event_type, e.start, e.start_precision, ep.role,
                                ep.id AS ep_id
                         FROM registry_eventparticipant ep JOIN registry_event e ON e.id = ep.event_id
                         WHERE ep.actor_id = %(as_of_actor)s AND e.review_status = 'approved'
                         ORDER BY e.start DESC NULLS FIRST, e.id DESC, ep.id DESC LIMIT 20) x),
        'events_url', %(base)s || '/api/v1/events/?participant=' || ac.id,
        'articles', (SELECT COALESCE(json_agg(json_build_object('id', x.page_ptr_id,
                        'uri', 'urn:newsdesk:article:' || x.page_ptr_id, 'title', x.title,
                        'url', %(base)s || x.url_path, 'published_at', x.published_at)
                        ORDER BY x.published_at DESC, x.page_ptr_id DESC), '[]')
                     FROM (SELECT a.page_ptr_id, a.published_at, p.title, p.url_path
                           FROM articles_articlepage a JOIN wagtailcore_page p ON p.id = a.page_ptr_id
                           WHERE {_VISIBLE} AND a.page_ptr_id IN (SELECT t.page_id FROM articles_articleactor t
                                            WHERE t.actor_id = %(as_of_actor)s AND t.confirmed)
                           ORDER BY a.published_at DESC, a.page_ptr_id DESC LIMIT 20) x)
      )::text
      FROM registry_actor ac WHERE ac.id = %(as_of_actor)s AND ac.review_status = 'approved'
        AND ac.merged_into_id IS NULL
    """,  # noqa: S608 - fixed fragments, values are parameters
    # The partner's feed (apps/changes/selectors.partner_changes): its own rows, registry rows and
    # article rows entitled before or after; an upsert superseded by a later such row is left out.
    # The partner's feed (apps/changes/selectors.partner_changes): its own rows, registry rows and
    # article rows entitled before or after; an upsert superseded by a later such row is left out.
    "changes": f"""
      SELECT json_build_object('results', COALESCE(json_agg(json_build_object(
               'seq', c.seq, 'action', c.act, 'object_type', c.object_type, 'object_id', c.object_id,
               'uri', 'urn:newsdesk:' || c.object_type || ':' || c.object_id,
               'url', CASE WHEN c.object_type = 'article' AND c.act = 'upsert'
                           THEN %(base)s || '/api/v1/articles/' || c.object_id || '/' END,
               'changed_at', c.created_at, 'merged_into', c.merged_into) ORDER BY c.seq), '[]'))::text
      FROM (SELECT c.*, {_FEED_ACT} AS act FROM changes_change c
            WHERE c.seq > %(after)s AND {_FEED_ROW.format(c="c")}
              AND NOT ({_FEED_ACT} = 'upsert' AND EXISTS (
                SELECT 1 FROM changes_change l WHERE l.object_type = c.object_type
                AND l.object_id = c.object_id AND l.seq > c.seq AND {_FEED_ROW.format(c="l")}))
            ORDER BY seq LIMIT %(limit)s) c
    """,  # noqa: S608 - fixed fragments, values are parameters
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
