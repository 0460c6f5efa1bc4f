"""Authors get their slug from the name; two writers with one name do not collide."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from apps.articles.models import Author

pytestmark = pytest.mark.django_db


def test_two_authors_with_the_same_name_get_distinct_slugs():
    first = Author.objects.create(name="Aïcha Traoré")
    second = Author.objects.create(name="Aïcha Traoré")
    third = Author.objects.create(name="Aïcha Traoré")
    assert [first.slug, second.slug, third.slug] == ["aicha-traore", "aicha-traore-2", "aicha-traore-3"]


def test_a_suffix_keeps_a_long_slug_within_the_field():
    name = "N" * Author._meta.get_field("name").max_length  # as long as the slug field allows
    Author.objects.create(name=name)
    second = Author.objects.create(name=name)
    assert second.slug == "n" * 118 + "-2"
    assert len(second.slug) == Author._meta.get_field("slug").max_length


def test_saving_again_keeps_the_slug():
    author = Author.objects.create(name="Moussa Sangaré")
    author.job_title = "Bamako correspondent"
    author.save()
    assert author.slug == "moussa-sangare"


def test_editor_adds_a_namesake_in_the_admin_with_the_slug_left_empty(desk, client):
    Author.objects.create(name="Fatou Diallo")
    client.force_login(get_user_model().objects.get(username="editor"))
    response = client.post(
        reverse("wagtailsnippets_articles_author:add"),
        {"name": "Fatou Diallo", "slug": "", "job_title": "Dakar stringer", "bio": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(Author.objects.filter(name="Fatou Diallo").values_list("slug", flat=True)) == [
        "fatou-diallo",
        "fatou-diallo-2",
    ]
