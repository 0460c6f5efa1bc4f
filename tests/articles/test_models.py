"""ArticlePage rules: where it may live, its section pointer, its dates, its body blocks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.embeds.blocks import EmbedBlock, EmbedValue
from wagtail.embeds.finders.base import EmbedFinder
from wagtail.models import Page

from apps.articles.blocks import AllowListedEmbedBlock
from apps.articles.models import ArticlePage
from apps.articles.selectors import SECTION_ARTICLES_PER_PAGE
from apps.core.models import HomePage, SectionPage
from tests.factories import ArticlePageFactory


def test_articles_live_only_under_sections(desk):
    assert ArticlePage.can_create_at(SectionPage.objects.first())
    assert not ArticlePage.can_create_at(desk)
    # The section names no child types (core knows no articles); Wagtail's base Page, which
    # nobody can create, is the only other model its default allows.
    assert SectionPage.creatable_subpage_models() == [ArticlePage]
    assert [m for m in SectionPage.allowed_subpage_models() if m is not Page] == [ArticlePage]
    assert ArticlePage.allowed_subpage_models() == []
    assert not HomePage.can_create_at(SectionPage.objects.first())


def test_section_is_set_from_the_parent(sahel):
    article = ArticlePageFactory(parent=sahel)
    assert article.section_id == sahel.pk


def test_section_follows_the_page_when_it_moves(sahel, west_africa):
    article = ArticlePageFactory(parent=sahel)

    article.move(west_africa, pos="last-child")

    article.refresh_from_db()
    assert article.section_id == west_africa.pk
    # A later publish of an old revision does not put the old section back.
    article.get_latest_revision().publish()
    article.refresh_from_db()
    assert article.section_id == west_africa.pk


def test_published_at_is_the_first_publication_and_survives_republishing(sahel):
    article = ArticlePageFactory(parent=sahel)
    first = article.published_at
    assert first is not None
    assert article.updated_at == first

    article.title = "A sharper headline"
    article.save_revision().publish()
    article.refresh_from_db()

    assert article.published_at == first
    assert article.updated_at == first  # a headline tweak is not a meaningful update


def test_editor_sets_a_meaningful_update(sahel):
    article = ArticlePageFactory(parent=sahel)
    later = timezone.now() + timedelta(hours=1)
    article.updated_at = later
    article.save_revision().publish()
    article.refresh_from_db()
    assert article.updated_at == later
    assert article.modified_at == later


def test_draft_article_has_no_publication_date(sahel):
    article = ArticlePageFactory(parent=sahel, publish=False)
    assert article.published_at is None


@pytest.mark.parametrize(
    "url",
    ["https://www.youtube.com/watch?v=abc123XYZ", "https://youtu.be/abc123XYZ", "https://vimeo.com/123456"],
)
def test_embeds_from_allow_listed_providers_are_accepted(db, url):
    value = AllowListedEmbedBlock().clean(EmbedValue(url))
    assert value.url == url


@pytest.mark.parametrize("url", ["https://www.dailymotion.com/video/x7xyz", "https://evil.example/watch?v=1"])
def test_embeds_from_other_providers_are_refused(db, settings, url):
    # Even with a finder that would embed anything, the block keeps to the CSP's providers.
    settings.WAGTAILEMBEDS_FINDERS = [{"class": "tests.articles.test_models.AcceptAnythingFinder"}]
    assert EmbedBlock().clean(EmbedValue(url)).url == url
    with pytest.raises(ValidationError, match="Only YouTube and Vimeo"):
        AllowListedEmbedBlock().clean(EmbedValue(url))


class AcceptAnythingFinder(EmbedFinder):
    def __init__(self, **options):
        pass

    def accept(self, url):
        return True

    def find_embed(self, url, max_width=None, max_height=None):
        return {
            "title": "",
            "type": "video",
            "html": f'<iframe src="{url}"></iframe>',
            "width": 1,
            "height": 1,
        }


def test_rendered_embed_uses_a_frame_source_the_csp_allows(client, sahel, settings):
    import re

    article = ArticlePageFactory(
        parent=sahel,
        body=[("embed", EmbedValue("https://www.youtube.com/watch?v=abc123XYZ"))],
    )
    response = client.get(article.url)

    sources = re.findall(r'<iframe[^>]+src="([^"]+)"', response.content.decode())
    assert sources
    for src in sources:
        assert any(src.startswith(allowed + "/") for allowed in settings.CSP_FRAME_SOURCES), src
    assert "frame-src" in response["Content-Security-Policy"]


def test_corrections_are_shown_on_the_page(client, sahel):
    article = ArticlePageFactory(
        parent=sahel, corrections=[("2025-04-05", "The summit took place in Moscow, not Minsk.")]
    )
    html = client.get(article.url).content.decode()
    assert "Corrections" in html
    assert "The summit took place in Moscow, not Minsk." in html


def test_language_sets_the_page_lang(client, sahel):
    article = ArticlePageFactory(parent=sahel, language="fr", title="Les ministres se retrouvent")
    html = client.get(article.url).content.decode()
    assert '<html lang="fr">' in html


def test_section_listing_is_paginated(client, sahel):
    for i in range(SECTION_ARTICLES_PER_PAGE + 3):
        ArticlePageFactory(parent=sahel, title=f"Paginated story {i:02d}")
    first = client.get(sahel.url).content.decode()
    second = client.get(sahel.url + "?page=2").content.decode()
    assert first.count("Paginated story") == SECTION_ARTICLES_PER_PAGE
    assert second.count("Paginated story") == 3
    assert client.get(sahel.url + "?page=abc").status_code == 200


def test_home_shows_top_stories_per_section(client, sahel, west_africa):
    pinned = ArticlePageFactory(parent=sahel, title="Pinned Sahel story", top_story=True)
    ArticlePageFactory(parent=sahel, title="Newer Sahel story")
    ArticlePageFactory(parent=west_africa, title="West Africa story")
    html = client.get("/").content.decode()
    assert "Pinned Sahel story" in html and "West Africa story" in html
    sahel_block = html.split(f'id="section-{sahel.pk}"')[1].split("</section>")[0]
    assert sahel_block.index(pinned.title) < sahel_block.index("Newer Sahel story")


def test_a_copy_is_a_new_story_in_its_new_section(sahel, west_africa):
    original = ArticlePageFactory(parent=sahel)

    copy = original.copy(to=west_africa, update_attrs={"slug": "copied-story"}, keep_live=False)

    copy = ArticlePage.objects.get(pk=copy.pk)
    assert copy.section_id == west_africa.pk
    assert copy.published_at is None and copy.updated_at is None


def test_production_embed_finder_asks_only_the_allow_listed_providers():
    from apps.articles.embeds import ALLOWED_EMBED_PROVIDERS
    from newsdesk.settings import base

    finders = base.WAGTAILEMBEDS_FINDERS
    if finders[0]["class"].endswith("LocalEmbedFinder"):  # EMBEDS_OFFLINE=1 in this environment
        pytest.skip("offline embeds configured")
    assert finders == [{"class": "wagtail.embeds.finders.oembed", "providers": ALLOWED_EMBED_PROVIDERS}]
