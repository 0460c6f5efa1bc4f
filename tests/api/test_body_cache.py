"""The partner API's body cache (apps.api.selectors._bodies): a cached body is the same JSON as
a fresh one, and nothing that changes what a partner may get (a new revision, unpublish, a kill,
a correction, an image's rights, a linked page going private) is ever answered from an older
rendering: list, detail and ninjs change at once, with the cache on."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.cache import caches
from wagtail.models import PageViewRestriction

from apps.articles.models import ArticleCorrection
from apps.changes import services as change_services
from apps.changes.models import KillCategory
from apps.core.models import ImageRights, SectionPage
from tests.api.factories import ArticlePageFactory, make_image

pytestmark = pytest.mark.django_db

URL = "/api/v1/articles/"
NINJS = "application/vnd.iptc.ninjs+json"


@pytest.fixture
def cache_on(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "body-cache-tests",
        }
    }
    settings.API_BODY_CACHE_SECONDS = 3600
    caches["default"].clear()
    yield settings
    caches["default"].clear()


def cached_bodies() -> int:
    return sum(":api:body:" in key for key in caches["default"]._cache)


def views(api, article) -> tuple[dict, dict, dict]:
    """The article as the list, the detail and ninjs show it (None where it is not shown)."""
    listed = {item["id"]: item for item in api.get(URL).json()["results"]}.get(article.pk)
    detail = api.get(f"{URL}{article.pk}/")
    ninjs = api.get(f"{URL}{article.pk}/", HTTP_ACCEPT=NINJS)
    return (
        listed,
        detail.json() if detail.status_code == 200 else None,
        ninjs.json() if ninjs.status_code == 200 else None,
    )


def ninjs_html(item: dict) -> str:
    return next(body["value"] for body in item["bodies"] if body["contenttype"] == "text/html")


def article_with(sahel, *blocks, title="Cached body"):
    return ArticlePageFactory(parent=sahel, title=title, body=json.dumps(list(blocks)))


def para(html: str) -> dict:
    return {"type": "paragraph", "value": html}


def republish(page, **changes) -> None:
    page.refresh_from_db()
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()


@pytest.fixture
def varied(sahel, desk):
    """Articles with every kind of block and body input: images (own, restricted, a hero), page
    links (public, draft), related articles (visible, another section), unsafe links."""
    own, restricted = (
        make_image("Delegates in the hall"),
        make_image("Wire photo", rights=ImageRights.RESTRICTED),
    )
    elsewhere = SectionPage.objects.exclude(pk=sahel.pk).first()
    other = ArticlePageFactory(parent=elsewhere, title="Coastal budget vote")
    near = ArticlePageFactory(parent=sahel, title="Border posts reopen")
    draft = ArticlePageFactory(parent=sahel, title="Unpublished draft", publish=False)
    articles = [
        article_with(
            sahel,
            {"type": "heading", "value": {"text": "Talks & more", "level": "h3"}},
            para(
                f'<p>See <a linktype="page" id="{near.pk}">this</a> and <a linktype="page" id="{draft.pk}">x</a>.</p>'
            ),
            {"type": "image", "value": {"image": own.pk, "caption": "Arrival", "credit": "Pool"}},
            {"type": "image", "value": {"image": restricted.pk, "caption": "Not for partners", "credit": ""}},
            {"type": "related_article", "value": {"article": near.pk, "label": "Background"}},
            {"type": "related_article", "value": {"article": other.pk, "label": "Also"}},
            title="Every block",
        ),
        article_with(
            sahel,
            {"type": "quote", "value": {"quote": "We stay.\nWe talk.", "attribution": "A minister"}},
            {"type": "fact_box", "value": {"title": "Facts", "facts": [{"type": "item", "value": "One"}]}},
            {"type": "embed", "value": "https://www.youtube.com/watch?v=abc123"},
            para('<p><a href="javascript:alert(1)">bad</a> <a href="/sahel/">site</a></p>'),
            title="Quotes and facts",
        ),
        article_with(sahel, para("<p>Plain words &amp; more.</p>"), title="Plain"),
    ]
    republish(articles[2], hero_image=own)
    return articles


def test_cached_bodies_are_the_same_json_as_fresh_ones(api, varied, settings, cache_on):
    urls = [URL, *(f"{URL}{article.pk}/" for article in varied)]

    def answers():
        return [api.get(url).json() for url in urls] + [
            api.get(f"{URL}{article.pk}/", HTTP_ACCEPT=NINJS).json() for article in varied
        ]

    settings.API_BODY_CACHE_SECONDS = 0
    fresh = answers()
    assert cached_bodies() == 0
    settings.API_BODY_CACHE_SECONDS = 3600
    filling = answers()
    assert cached_bodies() >= len(varied)
    served = answers()
    assert fresh == filling == served
    assert any("<figure" in item["body_html"] for item in fresh[0]["results"])


def test_a_new_revision_changes_the_body_at_once(api, sahel, cache_on):
    article = article_with(sahel, para("<p>First version of the story.</p>"))
    before = views(api, article)
    assert "First version" in before[0]["body_html"]

    republish(article, body=json.dumps([para("<p>Second version of the story.</p>")]))
    listed, detail, ninjs = views(api, article)
    for html in (listed["body_html"], detail["body_html"], ninjs_html(ninjs)):
        assert html == "<p>Second version of the story.</p>"
    assert detail["body_text"] == "Second version of the story."
    assert ninjs["version"] == str(detail["revision"]) != str(before[1]["revision"])


def test_unpublished_and_killed_articles_are_gone_at_once(api, sahel, cache_on):
    unpublished = article_with(sahel, para("<p>To be unpublished.</p>"), title="Unpublish me")
    killed = article_with(sahel, para("<p>To be killed.</p>"), title="Kill me")
    assert all(views(api, unpublished)) and all(views(api, killed))

    unpublished.unpublish()
    change_services.kill_article(page=killed, category=KillCategory.LEGAL, reason="Court order.")
    assert views(api, unpublished) == (None, None, None)
    assert views(api, killed) == (None, None, None)


def test_a_correction_shows_at_once(api, sahel, cache_on):
    article = article_with(sahel, para("<p>The minister spoke on Monday.</p>"))
    assert views(api, article)[1]["corrections"] == []

    article.refresh_from_db()
    article.corrections = [ArticleCorrection(date=date(2026, 11, 30), text="He spoke on Tuesday.")]
    republish(article, body=json.dumps([para("<p>The minister spoke on Tuesday.</p>")]))
    listed, detail, ninjs = views(api, article)
    expected = [{"date": "2026-11-30", "text": "He spoke on Tuesday."}]
    assert listed["corrections"] == detail["corrections"] == expected
    assert {
        "role": "correction",
        "contenttype": "text/plain",
        "value": "2026-11-30: He spoke on Tuesday.",
    } in ninjs["descriptions"]
    assert "Tuesday" in detail["body_html"] and "Monday" not in ninjs_html(ninjs)


def test_an_image_whose_rights_are_withdrawn_leaves_at_once(api, sahel, cache_on):
    image = make_image("Delegates in the hall")
    article = article_with(
        sahel, {"type": "image", "value": {"image": image.pk, "caption": "Arrival", "credit": "Pool"}}
    )
    listed, detail, ninjs = views(api, article)
    assert f'data-image-id="{image.pk}"' in detail["body_html"] and detail["images"]
    assert cached_bodies() == 1

    image.rights = ImageRights.RESTRICTED
    image.save()
    listed, detail, ninjs = views(api, article)
    for html in (listed["body_html"], detail["body_html"], ninjs_html(ninjs)):
        assert html == ""
    assert listed["images"] == detail["images"] == [] and "associations" not in ninjs
    assert detail["body_text"] == ""


def test_an_image_caption_edit_shows_at_once(api, sahel, cache_on):
    image = make_image("Delegates in the hall")
    article = article_with(
        sahel, {"type": "image", "value": {"image": image.pk, "caption": "", "credit": ""}}
    )
    assert views(api, article)[1]["body_text"] == "Delegates in the hall. Desk photographer"

    image.caption, image.credit = "Delegates leave the hall.", "Agency"
    image.save()
    listed, detail, ninjs = views(api, article)
    assert listed["body_text"] == detail["body_text"] == "Delegates leave the hall. Agency"
    assert "Delegates leave the hall." in ninjs_html(ninjs)


def test_a_linked_page_gone_private_loses_its_title_and_url_at_once(api, sahel, desk, cache_on):
    target = ArticlePageFactory(parent=sahel, title="Border posts reopen")
    article = article_with(
        sahel,
        para(f'<p>See <a linktype="page" id="{target.pk}">the earlier story</a>.</p>'),
        {"type": "related_article", "value": {"article": target.pk, "label": "Background"}},
    )
    url = f"http://testserver{target.url_path[len(desk.url_path) - 1 :]}"
    listed, detail, ninjs = views(api, article)
    for html in (listed["body_html"], detail["body_html"], ninjs_html(ninjs)):
        assert f'<a href="{url}">the earlier story</a>' in html and "Border posts reopen" in html

    PageViewRestriction.objects.create(page=target, restriction_type=PageViewRestriction.LOGIN)
    listed, detail, ninjs = views(api, article)
    for html in (listed["body_html"], detail["body_html"], ninjs_html(ninjs)):
        assert html == "<p>See <a>the earlier story</a>.</p>"
        assert url not in html and "Border posts reopen" not in html
    assert "Border posts reopen" not in detail["body_text"]


def test_a_related_article_only_one_partner_may_see_is_not_shared_through_the_cache(sahel, desk, cache_on):
    from rest_framework.test import APIClient

    from tests.partners.factories import PartnerFactory, issue_key

    elsewhere = SectionPage.objects.exclude(pk=sahel.pk).first()
    other = ArticlePageFactory(parent=elsewhere, title="Coastal budget vote")
    article = article_with(
        sahel, {"type": "related_article", "value": {"article": other.pk, "label": "Also"}}
    )

    def client(sections):
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_key(PartnerFactory(sections=sections)).plaintext}")
        return api

    both, sahel_only = client([sahel, elsewhere]), client([sahel])
    assert "Coastal budget vote" in both.get(f"{URL}{article.pk}/").json()["body_html"]
    assert sahel_only.get(f"{URL}{article.pk}/").json()["body_html"] == ""
    assert "Coastal budget vote" in both.get(f"{URL}{article.pk}/").json()["body_html"]


def test_images_are_read_from_their_prefetched_renditions_without_cache_writes(api, sahel, cache_on):
    """Wagtail's get_rendition writes each rendition to the default cache (Redis in production:
    a round trip per image per request); the API reads the prefetched one instead."""
    from wagtail.images.models import Filter

    from apps.core.models import NewsRendition

    image = make_image("Delegates in the hall")
    article = article_with(
        sahel, {"type": "image", "value": {"image": image.pk, "caption": "", "credit": ""}}
    )
    first = api.get(f"{URL}{article.pk}/").json()  # makes the rendition
    spec = Filter(spec="max-1600x1600")
    rendition_key = NewsRendition.construct_cache_key(image, spec.get_cache_key(image), spec.spec)
    caches["default"].clear()

    again = api.get(f"{URL}{article.pk}/").json()
    api.get(URL)
    assert caches["default"].get(rendition_key) is None
    assert again == first and again["images"][0]["url"].endswith(image.get_rendition(spec).url)
