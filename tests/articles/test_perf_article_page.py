"""The public article page's exact query count (issue #15: at most 12), whatever its tags.

Each page is requested once first (warm-up: Wagtail's site root paths and content types are
cached), then counted. The counts are the number itself, so an extra query anywhere fails.
"""

from __future__ import annotations

from tests.api.factories import make_image
from tests.articles.page_costs import page_cost, tagged_article
from tests.factories import ArticlePageFactory, paragraph

# Site, article (section, dateline, hero image and view restrictions joined), bylines of the
# page and its teasers, corrections, more in the section, tags (one UNION ALL), desk settings,
# nav sections.
ARTICLE_PAGE_QUERIES = 8
# The hero image is joined to the article and its rendition comes from Wagtail's rendition
# cache after the first view; body images are fetched together in one query.
HERO_IMAGE_QUERIES = 0
BODY_IMAGE_QUERIES = 1


def test_article_page_is_eight_queries_with_one_tag_or_twelve(client, sahel):
    ArticlePageFactory(parent=sahel, title="Earlier story in the section")  # a teaser below
    few, _ = page_cost(client, tagged_article(sahel, 1, "One tag of each kind").url)
    many, html = page_cost(client, tagged_article(sahel, 12, "Twelve tags of each kind").url)

    print(f"QUERYCOUNT article page: 1 tag={few}, 12 tags={many}")
    assert few == many == ARTICLE_PAGE_QUERIES
    assert html.count('class="chip chip-actor"') == 12
    assert html.count('class="chip chip-place"') == 12
    assert "Earlier story in the section" in html


def test_article_page_with_hero_and_body_images(client, sahel):
    plain, _ = page_cost(client, tagged_article(sahel, 3, "No pictures at all").url)
    hero, html = page_cost(client, tagged_article(sahel, 3, "A picture on top", hero_image=make_image()).url)
    body = [
        paragraph("Delegates arrived in the morning."),
        ("image", {"image": make_image("Convoy at the border"), "caption": "", "credit": ""}),
        ("image", {"image": make_image("Ministers at the table"), "caption": "", "credit": ""}),
    ]
    both, both_html = page_cost(
        client, tagged_article(sahel, 3, "Pictures everywhere", hero_image=make_image("Hall"), body=body).url
    )

    print(f"QUERYCOUNT article page: no images={plain}, hero={hero}, hero and 2 body images={both}")
    assert plain == ARTICLE_PAGE_QUERIES
    assert hero == ARTICLE_PAGE_QUERIES + HERO_IMAGE_QUERIES
    assert both == ARTICLE_PAGE_QUERIES + HERO_IMAGE_QUERIES + BODY_IMAGE_QUERIES <= 12
    assert 'class="hero"' in html and both_html.count('class="body-image"') == 2
