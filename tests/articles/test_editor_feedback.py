"""What the editor tells the desk, where the desk is working (#11.10)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from apps.articles.models import ArticlePage
from tests.articles.factories import ActorFactory
from tests.articles.test_workflow import SLUG, _article_form
from tests.factories import ArticlePageFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def test_a_slug_clash_is_reported_on_the_content_tab(client, sahel):
    ArticlePageFactory(parent=sahel, title="An earlier story", slug=SLUG)
    client.force_login(get_user_model().objects.get(username="reporter"))
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("articles", "articlepage", sahel.pk)),
        _article_form(author=AuthorFactory(), actor=ActorFactory(), action="action-submit"),
    )
    assert response.status_code == 200
    form = response.context["form"]
    # On the title (Content tab) as well as on the slug (Promote tab).
    assert form.errors["title"] == [
        f"Another story in this section already has the address '{SLUG}'. Change the headline, "
        "or the slug on the Promote tab."
    ]
    assert "slug" in form.errors
    assert ArticlePage.objects.filter(slug=SLUG).count() == 1


def test_the_same_slug_in_another_section_is_fine(client, sahel, west_africa):
    ArticlePageFactory(parent=west_africa, title="The same address elsewhere", slug=SLUG)
    client.force_login(get_user_model().objects.get(username="reporter"))
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("articles", "articlepage", sahel.pk)),
        _article_form(author=AuthorFactory(), actor=ActorFactory(), action="action-submit"),
    )
    assert response.status_code == 302


def test_the_schedule_dialog_names_the_time_zone(client, sahel, settings):
    page = ArticlePageFactory(parent=sahel)
    client.force_login(get_user_model().objects.get(username="editor"))
    html = client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert "Choose when this page should go live and/or expire. Times are in UTC." in html
    assert settings.TIME_ZONE == "UTC"
