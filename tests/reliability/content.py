"""A content hash of what a restore must bring back, read with plain SQL from any connection."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from django.apps import apps

# Whole tables: the tags, the registry, the partners and the change log.
TABLES = [
    "articles.ArticleActor",
    "articles.ArticleEvent",
    "articles.ArticlePlace",
    "registry.Actor",
    "registry.ActorRelation",
    "registry.Event",
    "registry.EventParticipant",
    "registry.Place",
    "partners.Partner",
    "partners.ApiKey",
    "changes.Change",
]
PAGE_COLUMNS = [
    '"title"',
    '"slug"',
    '"url_path"',
    '"live_revision_id"',
    '"first_published_at"',
    '"last_published_at"',
]


def columns(model: Any) -> list[str]:
    # Quoted: some are SQL words ("end").
    return [f'"{field.column}"' for field in model._meta.local_concrete_fields]


def queries() -> dict[str, str]:
    article = apps.get_model("articles.ArticlePage")
    page = apps.get_model("wagtailcore.Page")
    picked = ", ".join([*(f"a.{c}" for c in columns(article)), *(f"p.{c}" for c in PAGE_COLUMNS)])
    sql = {
        "published articles": (
            f"SELECT {picked} FROM {article._meta.db_table} a JOIN {page._meta.db_table} p "  # noqa: S608
            f"ON p.id = a.{article._meta.pk.column} WHERE p.live ORDER BY p.id"
        )
    }
    for label in TABLES:
        model = apps.get_model(label)
        sql[label] = (
            f"SELECT {', '.join(columns(model))} FROM {model._meta.db_table} ORDER BY {model._meta.pk.column}"  # noqa: S608
        )
    return sql


def plain(value: Any) -> Any:
    """One value as every connection reads it back: an instant in UTC (the session's time zone
    differs between connections), JSON parsed and re-serialised (Django's connection returns
    jsonb as text, a plain psycopg one as objects), bytes as hex."""
    if isinstance(value, datetime) and value.tzinfo:
        return value.astimezone(UTC).isoformat()
    if isinstance(value, str) and value[:1] in {"{", "["}:
        try:
            value = json.loads(value)
        except ValueError:
            return value
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    if isinstance(value, memoryview | bytes):
        return bytes(value).hex()
    return value


def content_hashes(connection: Any) -> dict[str, tuple[int, str]]:
    """(row count, sha256 of the rows) per kind of content, through a DB-API connection."""
    result = {}
    for kind, sql in queries().items():
        cursor = connection.cursor()
        cursor.execute(sql)
        rows = cursor.fetchall()
        cursor.close()
        digest = hashlib.sha256(repr([tuple(map(plain, row)) for row in rows]).encode()).hexdigest()
        result[kind] = (len(rows), digest)
    return result
