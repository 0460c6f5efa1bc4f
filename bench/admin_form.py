"""The article editor's POST data for an existing page, as the admin sends it on "Save draft".

Built from the page itself (its plain fields, bylines, corrections, every tag row with its id and
every body block with its id), so the save updates the rows in place, like an editor who opens
the page and saves it again. Same shape as tests/articles/admin_forms.py, which builds new text.
"""

from __future__ import annotations

from typing import Any

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from apps.articles.models import ArticlePage

DATETIME = "%Y-%m-%d %H:%M"


def _when(value: Any) -> str:
    return value.strftime(DATETIME) if value else ""


def _tag_rows(tags, record: str) -> list[dict[str, Any]]:
    rows = []
    for tag in tags:
        row = {
            "id": tag.pk,
            record: getattr(tag, f"{record}_id"),
            "role": tag.role,
            "relevance": str(tag.relevance),
            "origin": tag.origin,
        }
        if tag.confirmed:
            row["confirmed"] = "on"
        rows.append(row)
    return rows


def _body(page: ArticlePage) -> dict[str, Any]:
    blocks = {}
    for n, block in enumerate(page.body.raw_data):
        value = block["value"]
        if block["type"] == "paragraph":
            value = rich_text(value)
        blocks[str(n)] = {
            "type": block["type"],
            "value": value,
            "id": block["id"],
            "deleted": "",
            "order": str(n),
        }
    blocks["count"] = str(len(page.body.raw_data))
    return blocks


def draft_form_data(page: ArticlePage) -> dict[str, Any]:
    """POST data that saves `page` as a draft with its current content (no publish button)."""
    bylines = [{"id": b.pk, "author": b.author_id} for b in page.bylines.all()]
    corrections = [{"id": c.pk, "date": c.date.isoformat(), "text": c.text} for c in page.corrections.all()]
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "standfirst": page.standfirst,
            "kind": page.kind,
            "language": page.language,
            "dateline": page.dateline_id or "",
            "hero_image": page.hero_image_id or "",
            "source_attribution": page.source_attribution,
            "syndication_rights": page.syndication_rights,
            "updated_at": _when(page.updated_at),
            "seo_title": page.seo_title,
            "search_description": page.search_description,
            "go_live_at": _when(page.go_live_at),
            "expire_at": _when(page.expire_at),
            "bylines": inline_formset(bylines, initial=len(bylines), min=1),
            "body": _body(page),
            "corrections": inline_formset(corrections, initial=len(corrections)),
            "actor_tags": inline_formset(
                _tag_rows(page.actor_tags.all(), "actor"), initial=page.actor_tags.count()
            ),
            "event_tags": inline_formset(
                _tag_rows(page.event_tags.all(), "event"), initial=page.event_tags.count()
            ),
            "place_tags": inline_formset(
                _tag_rows(page.place_tags.all(), "place"), initial=page.place_tags.count()
            ),
            "comments": inline_formset([]),
        }
    )
    if page.top_story:
        data["top_story"] = "on"
    return data


def compare(page_ids: list[int], rounds: int) -> list[dict[str, Any]]:
    """Draft saves of `page_ids` as the bench editor, with the editor form's bulk row validation
    (apps/articles/forms.py) and without it (Django's row-by-row validation), interleaved round by
    round so load on the machine hits both alike. Everything runs in one transaction rolled back
    at the end (the session, revisions and log entries included): the database is left as it was
    (sequences aside)."""
    import statistics
    import time
    from contextlib import nullcontext
    from unittest import mock

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from apps.articles import forms

    row_by_row = (
        mock.patch.object(forms, "_read_choices_once", lambda formset: []),
        mock.patch.object(forms, "_validated_in_bulk", lambda instance, rows: nullcontext()),
    )
    results = []
    with transaction.atomic():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(get_user_model().objects.get(username="bench-editor"))
        pages = [ArticlePage.objects.get(pk=pk) for pk in page_ids]
        posts = {page.pk: (f"/admin/pages/{page.pk}/edit/", draft_form_data(page)) for page in pages}
        samples: dict[tuple[int, str], list[float]] = {}
        queries: dict[tuple[int, str], int] = {}
        for round_ in range(rounds + 1):  # round 0 warms up
            for page in pages:
                for variant in ("row by row", "bulk"):
                    patches = row_by_row if variant == "row by row" else ()
                    for patch in patches:
                        patch.start()
                    try:
                        url, data = posts[page.pk]
                        with CaptureQueriesContext(connection) as captured:
                            started = time.perf_counter()
                            response = client.post(url, data)
                            elapsed = time.perf_counter() - started
                    finally:
                        for patch in patches:
                            patch.stop()
                    assert response.status_code == 302, response.content[:2000]
                    if round_:
                        samples.setdefault((page.pk, variant), []).append(elapsed * 1000)
                        queries[page.pk, variant] = len(captured)
        for page in pages:
            tags = page.actor_tags.count() + page.event_tags.count() + page.place_tags.count()
            before = statistics.median(samples[page.pk, "row by row"])
            after = statistics.median(samples[page.pk, "bulk"])
            results.append(
                {
                    "article": page.pk,
                    "tags": tags,
                    "blocks": len(page.body.raw_data),
                    "queries_before": queries[page.pk, "row by row"],
                    "queries_after": queries[page.pk, "bulk"],
                    "p50_ms_before": round(before, 1),
                    "p50_ms_after": round(after, 1),
                    "ratio_after_before": round(after / before, 2),
                }
            )
        transaction.set_rollback(True)
    return results


def main(argv: list[str] | None = None) -> None:
    """DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=postgres://... python manage.py shell -c
    "from bench.admin_form import main; main(['97655', '100020'])" (read-only: rolled back)."""
    import argparse
    import json

    parser = argparse.ArgumentParser(description="Draft save queries and time, bulk vs row by row")
    parser.add_argument("pages", type=int, nargs="+", help="article ids (the fewest- and most-tagged)")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    for row in compare(args.pages, args.rounds):
        print(json.dumps(row))
