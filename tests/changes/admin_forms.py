"""POST data for the article edit form (text written for these tests)."""

from __future__ import annotations

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from apps.articles.models import ArticlePage


def edit_post_data(page: ArticlePage, *, publish: bool) -> dict:
    byline = page.bylines.first()
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "standfirst": "Officials from the three capitals spoke of a common border force.",
            "kind": "news",
            "language": "en",
            "bylines": inline_formset([{"id": byline.pk, "author": byline.author_id}], initial=1, min=1),
            "dateline": "",
            "hero_image": "",
            "body": streamfield(
                [("paragraph", rich_text("<p>No date was given for the first patrols.</p>"))]
            ),
            "source_attribution": "",
            "corrections": inline_formset([]),
            "actor_tags": inline_formset([]),
            "event_tags": inline_formset([]),
            "place_tags": inline_formset([]),
            "syndication_rights": "own",
            "updated_at": "",
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "comments": inline_formset([]),
        }
    )
    if publish:
        data["action-publish"] = "1"
    return data
