"""Every block type of the article body as partners get it: HTML built from the block's stored
value (never Python reprs), its visible words in body_text and in ninjs, and the partner rules
(no rights-restricted image, no link to an article the partner cannot see, no unsafe scheme)."""

from __future__ import annotations

import json

import pytest

from apps.core.models import ImageRights, SectionPage
from tests.api.factories import ArticlePageFactory, make_image

pytestmark = pytest.mark.django_db

URL = "/api/v1/articles/"
NINJS = "application/vnd.iptc.ninjs+json"


def body_of(api, article) -> tuple[str, str]:
    data = api.get(f"{URL}{article.pk}/").json()
    return data["body_html"], data["body_text"]


def ninjs_bodies(api, article) -> dict[str, str]:
    data = api.get(f"{URL}{article.pk}/", HTTP_ACCEPT=NINJS).json()
    return {body["contenttype"]: body["value"] for body in data["bodies"]}


def article_with(sahel, *blocks, title="Block under test"):
    return ArticlePageFactory(parent=sahel, title=title, body=json.dumps(list(blocks)))


def test_fact_box_lists_each_item_from_its_value(api, sahel):
    article = article_with(
        sahel,
        {
            "type": "fact_box",
            "value": {
                "title": "The alliance in brief",
                "facts": [
                    {"type": "item", "value": "Members: three Sahel states", "id": "a1"},
                    {"type": "item", "value": "Founded in 2023 & ratified in 2024", "id": "a2"},
                ],
            },
        },
    )
    html, text = body_of(api, article)
    assert html == (
        '<aside class="fact-box"><h3>The alliance in brief</h3><ul>'
        "<li>Members: three Sahel states</li><li>Founded in 2023 &amp; ratified in 2024</li></ul></aside>"
    )
    assert "{" not in html and "'type'" not in html
    assert text == "The alliance in brief Members: three Sahel states Founded in 2023 & ratified in 2024"
    assert ninjs_bodies(api, article) == {"text/html": html, "text/plain": text}


def test_fact_box_of_an_older_revision_with_bare_items(api, sahel):
    article = article_with(
        sahel, {"type": "fact_box", "value": {"title": "Key facts", "facts": ["One", "Two"]}}
    )
    assert body_of(api, article) == (
        '<aside class="fact-box"><h3>Key facts</h3><ul><li>One</li><li>Two</li></ul></aside>',
        "Key facts One Two",
    )


def test_paragraph_keeps_its_markup_and_safe_links_only(api, sahel):
    article = article_with(
        sahel,
        {
            "type": "paragraph",
            "value": '<p>Read <b>the</b> <a href="https://example.org/report">report</a>, '
            '<a href="javascript:alert(1)">this</a>, <a href="JaVa\tScRiPt:alert(1)">that</a>, '
            '<a href="data:text/html,x">data</a> or <a href="mailto:desk@example.org">write</a>.</p>',
        },
    )
    html, text = body_of(api, article)
    assert '<a href="https://example.org/report">report</a>' in html
    assert '<a href="mailto:desk@example.org">write</a>' in html
    assert "javascript" not in html.lower() and "script:" not in html.lower() and "data:" not in html
    assert "<a>this</a>" in html and "<a>that</a>" in html and "<a>data</a>" in html
    assert text == "Read the report, this, that, data or write."
    assert "javascript" not in ninjs_bodies(api, article)["text/html"].lower()


def test_single_quoted_and_unquoted_unsafe_links_are_dropped_too(api, sahel):
    article = article_with(
        sahel,
        {
            "type": "paragraph",
            "value": "<p><a href='javascript:alert(1)'>one</a> and <a href=javascript:alert(2)>two</a>.</p>",
        },
    )
    html, _ = body_of(api, article)
    assert "javascript" not in html.lower()
    assert "<a>one</a>" in html and "<a>two</a>" in html


def test_a_page_link_with_a_non_ascii_digit_id_loses_its_href_and_breaks_nothing(api, sahel):
    article = article_with(
        sahel, {"type": "paragraph", "value": '<p>See <a linktype="page" id="\u00b2">this</a>.</p>'}
    )
    response = api.get(f"{URL}{article.pk}/")
    assert response.status_code == 200
    assert "<a>this</a>" in response.json()["body_html"]
    assert api.get(URL).status_code == 200


def test_heading_at_both_levels(api, sahel):
    article = article_with(
        sahel,
        {"type": "heading", "value": {"text": "What comes next", "level": "h2"}},
        {"type": "heading", "value": {"text": "Trade & fuel", "level": "h3"}},
    )
    assert body_of(api, article) == (
        "<h2>What comes next</h2><h3>Trade &amp; fuel</h3>",
        "What comes next Trade & fuel",
    )


def test_quote_with_its_attribution_and_line_breaks(api, sahel):
    article = article_with(
        sahel,
        {
            "type": "quote",
            "value": {"quote": "We will stay.\nWe will talk.", "attribution": "A minister <in Niamey>"},
        },
    )
    html, text = body_of(api, article)
    assert html == (
        "<blockquote><p>We will stay.<br>We will talk.</p><footer>A minister &lt;in Niamey&gt;</footer></blockquote>"
    )
    assert text == "We will stay. We will talk. A minister <in Niamey>"


def test_image_has_its_rendition_caption_and_credit_and_restricted_ones_are_left_out(api, sahel):
    own = make_image("Delegates in the hall")
    restricted = make_image("Agency wire photo", rights=ImageRights.RESTRICTED)
    article = article_with(
        sahel,
        {"type": "image", "value": {"image": own.pk, "caption": "Delegates arrive", "credit": "Pool photo"}},
        {"type": "image", "value": {"image": restricted.pk, "caption": "Not for partners", "credit": ""}},
    )
    html, text = body_of(api, article)
    rendition = own.get_rendition("max-1600x1600")
    assert html == (
        f'<figure data-image-id="{own.pk}"><img src="http://testserver{rendition.url}" width="{rendition.width}" '
        f'height="{rendition.height}" alt="Photo: delegates in the hall">'
        "<figcaption>Delegates arrive <small>Pool photo</small></figcaption></figure>"
    )
    assert "Not for partners" not in html and f'"{restricted.pk}"' not in html
    assert text == "Delegates arrive Pool photo"


def test_image_without_its_own_caption_uses_the_images(api, sahel):
    own = make_image("Market at dawn")
    article = article_with(sahel, {"type": "image", "value": {"image": own.pk, "caption": "", "credit": ""}})
    assert body_of(api, article)[1] == "Market at dawn. Desk photographer"


def test_embed_is_a_link_to_the_video_and_an_unsafe_one_is_dropped(api, sahel):
    article = article_with(
        sahel,
        {"type": "embed", "value": "https://www.youtube.com/watch?v=abc123"},
        {"type": "embed", "value": "javascript:alert(1)"},
    )
    html, text = body_of(api, article)
    assert html == (
        '<p class="embed"><a href="https://www.youtube.com/watch?v=abc123">https://www.youtube.com/watch?v=abc123</a></p>'
    )
    assert text == "https://www.youtube.com/watch?v=abc123"


def test_related_article_links_only_what_the_partner_may_see(api, sahel, desk):
    visible = ArticlePageFactory(parent=sahel, title="Border posts reopen")
    elsewhere = SectionPage.objects.exclude(pk=sahel.pk).first()
    not_entitled = ArticlePageFactory(parent=elsewhere, title="Coastal budget vote")
    article = article_with(
        sahel,
        {"type": "related_article", "value": {"article": visible.pk, "label": "Background"}},
        {"type": "related_article", "value": {"article": not_entitled.pk, "label": "Also"}},
    )
    html, text = body_of(api, article)
    assert html == (
        f'<aside class="related">Background: <a href="http://testserver{visible.url_path[len(desk.url_path) - 1 :]}">'
        "Border posts reopen</a></aside>"
    )
    assert "Coastal budget vote" not in html
    assert text == "Background: Border posts reopen"


def test_blocks_are_separated_by_a_space_in_the_text(api, sahel):
    article = article_with(
        sahel,
        {"type": "heading", "value": {"text": "Talks", "level": "h2"}},
        {"type": "paragraph", "value": "<p>First line<br/>second line</p><ul><li>one</li><li>two</li></ul>"},
    )
    assert body_of(api, article)[1] == "Talks First line second line one two"


def test_a_site_relative_link_is_made_absolute_on_the_public_base(api, sahel):
    article = article_with(
        sahel,
        {
            "type": "paragraph",
            "value": '<p>See <a href="/sahel/">the section</a> and <a href="#notes">notes</a>.</p>',
        },
    )
    html, _ = body_of(api, article)
    assert '<a href="http://testserver/sahel/">the section</a>' in html
    assert '<a href="#notes">notes</a>' in html
