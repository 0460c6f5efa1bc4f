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
