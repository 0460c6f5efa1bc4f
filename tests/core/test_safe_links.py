"""Unsafe link schemes never reach a reader: dropped on the site, refused in the editor (#11.6)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from apps.articles.models import ArticlePage
from apps.core.models import HomePage
from apps.core.safe_links import drop_unsafe_links, is_safe_href, unsafe_hrefs
from tests.articles.admin_forms import article_form_data
from tests.factories import ArticlePageFactory, AuthorFactory

UNSAFE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;avascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
]
SAFE = [
    "https://example.org/a?b=1&amp;c=2",
    "http://example.org/",
    "mailto:desk@example.org",
    "tel:+22320000000",
    "/sahel/",
    "#notes",
]


@pytest.mark.parametrize("href", UNSAFE)
def test_unsafe_schemes_are_refused(href):
    assert not is_safe_href(href)


@pytest.mark.parametrize("href", SAFE)
def test_safe_schemes_and_relative_links_pass(href):
    assert is_safe_href(href)


@pytest.mark.parametrize(
    "tag",
    [
        '<a href="javascript:alert(1)">',
        "<a href='javascript:alert(1)'>",
        "<a href=javascript:alert(1)>",
        '<a title="a > b" href="javascript:alert(1)">',
        '<A HREF="javascript:alert(1)">',
    ],
)
def test_an_unsafe_link_loses_its_target_and_keeps_its_text(tag):
    html = f'<p>Read {tag}the statement</a> and <a href="https://example.org/">the source</a>.</p>'
    assert drop_unsafe_links(html) == (
        '<p>Read <a>the statement</a> and <a href="https://example.org/">the source</a>.</p>'
    )
    assert unsafe_hrefs(html) == ["javascript:alert(1)"]


def _paragraph(html: str) -> tuple:
    return ("paragraph", rich_text(html))


@pytest.mark.django_db
def test_the_site_drops_an_unsafe_link_stored_in_an_article(client, sahel):
    # Stored without the editor's check (an import, old data): the output still drops it.
    article = ArticlePageFactory(
        parent=sahel,
        body=[
            (
                "paragraph",
                '<p>See <a href="javascript:alert(1)">the statement</a> and '
                '<a href="https://example.org/">the source</a>.</p>',
            )
        ],
    )
    html = client.get(article.url).content.decode()
    assert "javascript:" not in html
    assert "See <a>the statement</a>" in html
    assert '<a href="https://example.org/">the source</a>' in html


@pytest.mark.django_db
def test_the_home_page_intro_drops_an_unsafe_link(client, desk):
    HomePage.objects.filter(pk=desk.pk).update(intro='<p><a href="javascript:alert(1)">Welcome</a></p>')
    html = client.get("/").content.decode()
    assert "javascript:" not in html
    assert "<a>Welcome</a>" in html


@pytest.mark.django_db
def test_the_home_page_intro_refuses_an_unsafe_link():
    home = HomePage(title="Home", slug="home-2", intro='<p><a href="javascript:alert(1)">x</a></p>')
    with pytest.raises(ValidationError) as error:
        home.clean_fields(exclude=["path", "depth", "content_type", "locale", "translation_key"])
    assert "intro" in error.value.message_dict


def _article_form(body: list) -> dict:
    return article_form_data(
        authors=[AuthorFactory()],
        title="Ministers sign the charter",
        slug="ministers-sign-the-charter",
        standfirst="The text now goes to the three parliaments.",
        body=body,
    )


@pytest.mark.django_db
def test_the_editor_refuses_an_unsafe_link_in_the_body(client, sahel):
    client.force_login(get_user_model().objects.get(username="reporter"))
    url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", sahel.pk))
    response = client.post(url, _article_form([_paragraph('<p><a href="javascript:alert(1)">x</a></p>')]))
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="ministers-sign-the-charter").exists()
    assert "Links must start with http://, https://, mailto: or tel:" in response.content.decode()

    response = client.post(url, _article_form([_paragraph('<p><a href="https://example.org/">x</a></p>')]))
    assert response.status_code == 302
    assert ArticlePage.objects.filter(slug="ministers-sign-the-charter").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>"])
def test_the_editor_refuses_an_unsafe_embed_url(client, sahel, url):
    client.force_login(get_user_model().objects.get(username="reporter"))
    add = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", sahel.pk))
    response = client.post(add, _article_form([("embed", url)]))
    assert response.status_code == 200
    assert not ArticlePage.objects.filter(slug="ministers-sign-the-charter").exists()


@pytest.mark.django_db
def test_the_editor_refuses_an_unsafe_link_in_the_home_intro(client, desk):
    client.force_login(get_user_model().objects.get(username="editor"))
    data = nested_form_data(
        {
            "title": desk.title,
            "slug": desk.slug,
            "intro": rich_text('<p><a href="javascript:alert(1)">Welcome</a></p>'),
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "comments": inline_formset([]),
        }
    )
    response = client.post(reverse("wagtailadmin_pages:edit", args=(desk.pk,)), data)
    assert response.status_code == 200
    assert "Links must start with http://, https://, mailto: or tel:" in str(
        response.context["form"].errors["intro"]
    )
    assert "javascript" not in HomePage.objects.get(pk=desk.pk).get_latest_revision_as_object().intro
