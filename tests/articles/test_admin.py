"""The editor: the Tags tab and its choosers, and the editors-only fields."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.admin.widgets.chooser import BaseChooser

from apps.articles.models import ArticlePage
from tests.articles.factories import ActorFactory
from tests.articles.test_workflow import SLUG, _article_form, _create_as
from tests.factories import ArticlePageFactory, AuthorFactory


@pytest.fixture
def users(desk):
    User = get_user_model()
    return User.objects.get(username="reporter"), User.objects.get(username="editor")


def test_add_form_has_a_tags_tab_with_choosers(client, users, sahel):
    reporter, _ = users
    client.force_login(reporter)
    response = client.get(reverse("wagtailadmin_pages:add", args=("articles", "articlepage", sahel.pk)))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="tab-label-tags"' in html
    form = response.context["form"]
    for formset in ("actor_tags", "event_tags", "place_tags", "bylines", "corrections"):
        assert formset in form.formsets
    # Registry records and authors are picked with Wagtail choosers (modal search), not selects.
    for formset, field in (
        ("actor_tags", "actor"),
        ("event_tags", "event"),
        ("place_tags", "place"),
        ("bylines", "author"),
    ):
        widget = form.formsets[formset].empty_form.fields[field].widget
        assert isinstance(widget, BaseChooser), (formset, type(widget))


def test_editorial_fields_are_for_editors_only(client, users, sahel):
    reporter, editor = users
    actor = ActorFactory()
    data = _article_form(author=AuthorFactory(), actor=actor, action="action-submit")
    data.update({"syndication_rights": "agency", "top_story": "on"})

    page = _create_as(client, reporter, sahel, data)
    assert (page.syndication_rights, page.top_story) == ("own", False)

    ArticlePage.objects.filter(pk=page.pk).delete()
    page = _create_as(client, editor, sahel, {**data, "slug": SLUG})
    assert (page.syndication_rights, page.top_story) == ("agency", True)


def test_related_article_links_only_to_visible_articles(client, sahel):
    shown = ArticlePageFactory(parent=sahel, title="Earlier coverage of the talks")
    hidden = ArticlePageFactory(parent=sahel, title="Unpublished background piece", publish=False)
    article = ArticlePageFactory(
        parent=sahel,
        body=[
            ("related_article", {"article": shown, "label": "Related"}),
            ("related_article", {"article": hidden, "label": "Related"}),
        ],
    )
    html = client.get(article.url).content.decode()
    assert "Earlier coverage of the talks" in html
    assert "Unpublished background piece" not in html
