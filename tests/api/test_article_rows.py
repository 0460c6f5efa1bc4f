"""The articles list reads its page as values (ArticleRow), the detail as a page instance: an
article must read the same in both, whatever it carries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import Page, Site

from apps.api.selectors import ArticleRow, article_rows, partner_articles
from apps.core.models import ImageRights
from apps.core.public_urls import page_url, site_root_paths, url_for_path
from apps.registry.models import ReviewStatus
from tests.api.factories import ArticlePageFactory, PlaceFactory, make_image, paragraph

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied(desk, partner, sahel, west_africa):
    """Articles with each thing a row carries set one way or another, in two sections."""
    partner.sections.add(west_africa)
    public_place = PlaceFactory(name="Gao", slug="gao")
    proposed_place = PlaceFactory(name="Tessalit", slug="tessalit", review_status=ReviewStatus.PROPOSED)
    image = make_image("Market in the morning")
    restricted = make_image("Agency frame", rights=ImageRights.RESTRICTED)
    now = timezone.now()
    made = [
        ArticlePageFactory(parent=sahel, title="Plain copy on the water talks"),
        ArticlePageFactory(parent=sahel, title="Dated from Gao", dateline=public_place, hero_image=image),
        ArticlePageFactory(parent=west_africa, title="Dated from a proposed place", dateline=proposed_place),
        ArticlePageFactory(
            parent=west_africa,
            title="Analysis with a restricted hero",
            kind="analysis",
            language="fr",
            hero_image=restricted,
            body=[paragraph("Second paragraph of the analysis."), ("image", {"image": image})],
        ),
    ]
    for offset, article in enumerate(made):  # distinct times, so the list's order is known
        type(article).objects.filter(pk=article.pk).update(published_at=now - dt.timedelta(hours=offset))
    return made


def test_each_list_entry_equals_the_articles_detail(api, varied):
    listed = api.get("/api/v1/articles/?page_size=100")
    assert listed.status_code == 200
    entries = {entry["id"]: entry for entry in listed.json()["results"]}
    assert set(entries) >= {article.pk for article in varied}
    for article in varied:
        detail = api.get(f"/api/v1/articles/{article.pk}/").json()
        assert entries[article.pk] == detail, article.title
    gao, proposed = entries[varied[1].pk], entries[varied[2].pk]
    assert gao["dateline"] == {"id": varied[1].dateline_id, "slug": "gao", "name": "Gao"}
    assert proposed["dateline"] is None  # not public: not shown, in the list as in the detail
    assert entries[varied[3].pk]["section"]["slug"] == "west-africa"


@pytest.mark.parametrize("fields", ["id,url,section,dateline", "id,title", "url"])
def test_a_field_subset_reads_the_same(api, varied, fields):
    listed = {
        e.get("id", i): e
        for i, e in enumerate(api.get(f"/api/v1/articles/?fields={fields}").json()["results"])
    }
    if "id" in fields:
        for article in varied:
            assert listed[article.pk] == api.get(f"/api/v1/articles/{article.pk}/?fields={fields}").json()
    else:
        urls = {entry["url"] for entry in listed.values()}
        assert {page_url(article) for article in varied} <= urls


def test_rows_are_values_with_the_pages_attributes(partner, varied):
    rows = list(article_rows(partner_articles(partner)).order_by("-published_at", "-pk")[:10])
    assert all(isinstance(row, ArticleRow) for row in rows)
    by_pk = {row.pk: row for row in rows}
    for article in varied:
        row = by_pk[article.pk]
        assert (row.title, row.kind, row.language, row.published_at) == (
            article.title,
            article.kind,
            article.language,
            type(article).objects.get(pk=article.pk).published_at,
        )
        assert (row.section.pk, row.section.slug) == (article.section_id, article.get_parent().slug)
        assert row.url == page_url(article) and row.page_ptr_id == article.pk
    assert by_pk[varied[1].pk].dateline.is_public is True
    assert by_pk[varied[2].pk].dateline.is_public is False
    assert by_pk[varied[0].pk].dateline is None


def test_rows_read_the_site_roots_once_and_no_query_per_row(partner, varied, django_assert_num_queries):
    qs = article_rows(partner_articles(partner)).order_by("-published_at", "-pk")
    list(qs[:1])  # Wagtail's site root paths are now in the cache
    with django_assert_num_queries(1):
        assert len(list(qs[:100])) >= len(varied)


def test_url_for_path_is_wagtails_url_for_every_page(desk, varied):
    roots = site_root_paths()
    pages = list(Page.objects.all().specific())
    assert len(pages) > len(varied)
    for page in pages:
        assert url_for_path(page.url_path, roots=roots) == page_url(page), page.url_path


def test_url_for_path_follows_the_most_specific_site_and_none_outside_every_site(desk, sahel):
    # A second site rooted at one section: its pages are served from that site's root.
    Site.objects.create(hostname="sahel.example", port=443, root_page=sahel, is_default_site=False)
    article = ArticlePageFactory(parent=sahel, title="Served from the section's own site")
    roots = site_root_paths()
    assert url_for_path(article.url_path, roots=roots) == page_url(article)
    # Relative to that site's root: no /sahel/ in the path.
    assert page_url(article).endswith("/served-from-the-sections-own-site/")
    assert "/sahel/" not in page_url(article)
    root = Page.get_first_root_node()
    assert url_for_path(root.url_path, roots=roots) is None
    assert page_url(root) is None
