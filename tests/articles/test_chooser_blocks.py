"""The body's image and related-article choosers, read once per form (apps/articles/blocks.py):
the same saved body and the same form errors as Wagtail's block-by-block lookups."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from apps.articles.blocks import ArticleBodyBlock, read_chosen
from apps.articles.models import ArticlePage
from apps.core.models import NewsImage
from bench.admin_form import draft_form_data
from tests.api.factories import make_image
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(get_user_model().objects.get(username="editor"))
    return client


def _story(section, *, image, related):
    return ArticlePageFactory(
        parent=section,
        title="A story with a photo and a related story",
        body=[
            ("image", {"image": image, "caption": "", "credit": ""}),
            ("related_article", {"article": related, "label": "Related"}),
        ],
    )


def _save(client, page, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)


def test_a_draft_save_keeps_the_chosen_image_and_story(editor_client, sahel):
    image, other = make_image("Photo at the summit"), make_image("Photo of the border")
    related = ArticlePageFactory(parent=sahel, title="The summit's first day")
    page = _story(sahel, image=image, related=related)
    data = draft_form_data(page)
    data["body-0-value-image"] = str(other.pk)  # the editor chose another photo

    response = _save(editor_client, page, data)

    assert response.status_code == 302
    draft = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.body[0].value["image"] == other
    assert draft.body[1].value["article"].specific == related


# Wagtail's ChooserBlock turns an id it cannot find into an empty choice, and a draft save defers
# the "required" check: the draft keeps an empty chooser (publishing it is refused). Both tests
# below pass on Wagtail's own blocks too (checked): the read-once path keeps that behaviour.


def test_an_image_deleted_since_the_form_opened_leaves_an_empty_chooser(editor_client, sahel):
    page = _story(
        sahel,
        image=make_image("Photo at the summit"),
        related=ArticlePageFactory(parent=sahel, title="Day one"),
    )
    data = draft_form_data(page)
    gone = make_image("A photo deleted meanwhile")
    data["body-0-value-image"] = str(gone.pk)
    NewsImage.objects.filter(pk=gone.pk).delete()

    assert _save(editor_client, page, data).status_code == 302
    draft = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.body[0].value["image"] is None


def test_a_related_page_that_is_not_an_article_is_not_chosen(editor_client, sahel):
    related = ArticlePageFactory(parent=sahel, title="Day one")
    page = _story(sahel, image=make_image("Photo at the summit"), related=related)
    data = draft_form_data(page)
    data["body-1-value-article"] = str(sahel.pk)  # a section, not an article

    assert _save(editor_client, page, data).status_code == 302
    draft = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.body[1].value["article"] is None


def test_read_chosen_reads_each_chooser_once_and_only_what_was_sent(sahel, django_assert_num_queries):
    images = [make_image(f"Photo {i}") for i in range(3)]
    body = ArticleBodyBlock()
    data = {"body-count": "4", "body-3-type": "paragraph", "body-3-value": "{}"}
    for n, image in enumerate(images):
        data |= {f"body-{n}-type": "image", f"body-{n}-value-image": str(image.pk)}
    with django_assert_num_queries(1), read_chosen(body, data, "body"):
        values = [body.child_blocks["image"].child_blocks["image"].value_from_form(str(i.pk)) for i in images]
    assert values == images
    with django_assert_num_queries(0), read_chosen(body, {"body-count": "x"}, "body"):
        pass  # a malformed count reads nothing (Wagtail reports the form itself)
