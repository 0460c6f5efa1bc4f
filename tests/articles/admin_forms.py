"""The article editor's form as the admin posts it (text written for these tests).

One builder for every test that drives the editor: each passes only what it is about (a body, a
tag row, the button pressed) and gets the rest of a valid form.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from apps.articles.models import ArticlePage

PLAIN_FIELDS = {
    "title": "Sahel ministers agree to pool their air defences",
    "slug": "sahel-ministers-pool-air-defences",
    "standfirst": "The three governments say a shared command will be in place within a year.",
    "kind": "news",
    "language": "en",
    "dateline": "",
    "hero_image": "",
    "source_attribution": "",
    "syndication_rights": "own",
    "updated_at": "",
    "seo_title": "",
    "search_description": "",
    "go_live_at": "",
    "expire_at": "",
}
BODY = "<p>Officials gave no figure for the cost of the plan.</p>"


def actor_tag_row(actor, *, pk: int | None = None, role: str = "subject") -> dict:
    row = {"actor": actor.pk, "role": role, "relevance": "0.9", "origin": "manual", "confirmed": "on"}
    return {"id": pk, **row} if pk else row


def article_form_data(
    *,
    authors: Iterable = (),
    page: ArticlePage | None = None,
    body: Sequence | None = None,
    actor_tags: Iterable[dict] = (),
    action: str | None = None,
    **fields,
) -> dict:
    """POST data for the add form (`authors` for the bylines) or, with `page`, its edit form (the
    page's title, slug and byline rows with their ids, so the edit updates them). `body` is a
    list of (block type, value) pairs; `fields` override the plain fields; `action` is the
    button's name (e.g. "action-submit")."""
    if page is not None:
        bylines = [{"id": b.pk, "author": b.author_id} for b in page.bylines.all()]
        fields = {"title": page.title, "slug": page.slug, **fields}
    else:
        bylines = [{"author": author.pk} for author in authors]
    data = nested_form_data(
        {
            **PLAIN_FIELDS,
            **fields,
            "bylines": inline_formset(bylines, initial=len(bylines) if page else 0, min=1),
            "body": streamfield(list(body) if body is not None else [("paragraph", rich_text(BODY))]),
            "corrections": inline_formset([]),
            "actor_tags": inline_formset(list(actor_tags)),
            "event_tags": inline_formset([]),
            "place_tags": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    if action:
        data[action] = "1"
    return data
