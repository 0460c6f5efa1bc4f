"""The suggestion panel and its endpoints, through the admin views as an editor uses them."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.test.utils.form_data import rich_text

from apps.articles.models import ArticleActor, ArticlePage
from apps.registry.models import Actor, ReviewStatus
from apps.tagging.models import RejectedSuggestion
from tests.articles.admin_forms import article_form_data
from tests.factories import ArticlePageFactory, AuthorFactory

pytestmark = pytest.mark.django_db

HEADLINE = "Niger and Chad weigh a shared border force"
BODY = "Officials in Niger said Chad had agreed in principle. Niger will host the first talks."


@pytest.fixture
def reporter(desk):
    return get_user_model().objects.get(username="reporter")


@pytest.fixture
def editor(desk):
    return get_user_model().objects.get(username="editor")


def article_form(
    *, author, title=HEADLINE, body=BODY, actor_tags=(), accepted=(), slug="border-force", page=None
) -> dict:
    data = article_form_data(
        authors=[author],
        page=page,
        title=title,
        slug=slug,
        standfirst="The idea is at an early stage.",
        body=[("paragraph", rich_text(f"<p>{body}</p>"))],
        actor_tags=actor_tags,
    )
    data["tagging-accepted"] = json.dumps([list(a) for a in accepted])
    return data


def test_the_tags_tab_carries_the_suggestion_panel_without_inline_script(client, reporter, sahel):
    client.force_login(reporter)
    response = client.get(reverse("wagtailadmin_pages:add", args=("articles", "articlepage", sahel.pk)))
    html = response.content.decode()
    assert "data-tagging-panel" in html
    assert 'data-suggest-url="/admin/tagging/suggest/"' in html
    assert "tagging/suggestions.js" in html
    panel = html[html.index("data-tagging-panel") : html.index("data-tagging-accepted")]
    assert "<script" not in panel and "onclick" not in panel


def test_suggestions_for_the_posted_form_text(client, reporter, demo_registry, django_assert_max_num_queries):
    client.force_login(reporter)
    data = article_form(author=AuthorFactory())
    client.post(reverse("tagging:suggest"), data)  # builds the process's automaton once
    with django_assert_max_num_queries(8):
        response = client.post(reverse("tagging:suggest"), data)
    assert response.status_code == 200
    actors = {a["slug"]: a for a in response.json()["actors"]}
    assert set(actors) == {"niger", "chad"}
    assert actors["niger"]["count"] == 3 and actors["niger"]["role"] == "subject"
    assert actors["niger"]["field"] == "headline" and actors["niger"]["offset"] == 0


def test_a_bad_page_id_is_a_400_and_an_unknown_one_a_404(client, reporter):
    client.force_login(reporter)
    assert client.post(reverse("tagging:suggest"), {"title": "x", "page_id": "abc"}).status_code == 400
    assert client.post(reverse("tagging:suggest"), {"title": "x", "page_id": "999999"}).status_code == 404


def test_the_endpoint_is_for_admin_users_only(client, demo_registry):
    response = client.post(reverse("tagging:suggest"), {"title": HEADLINE})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_accepting_on_a_live_article_changes_nothing_public_until_publish(
    client, editor, sahel, demo_registry
):
    niger = Actor.objects.get(slug="niger")
    author = AuthorFactory()
    page = ArticlePageFactory(parent=sahel, title=HEADLINE, slug="border-force", authors=[author])
    assert not ArticleActor.objects.filter(page=page).exists()
    client.force_login(editor)
    row = {"actor": niger.pk, "role": "subject", "relevance": "0.9", "confirmed": "on"}
    data = article_form(author=author, actor_tags=[row], accepted=[("actor", niger.pk)], page=page)
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)  # save draft
    assert response.status_code == 302

    page.refresh_from_db()
    draft = page.get_latest_revision_as_object()
    (tag,) = draft.actor_tags.all()
    assert (tag.actor_id, tag.origin, tag.role) == (niger.pk, "suggested", "subject")
    # The live page's rows, which every public read uses, are untouched; so is its page.
    assert not ArticleActor.objects.filter(page=page).exists()
    client.logout()
    assert page.title not in client.get(niger.get_absolute_url()).content.decode()

    client.force_login(editor)
    data["action-publish"] = "1"
    client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    (live,) = ArticleActor.objects.filter(page=page)
    assert (live.origin, live.role, live.confirmed) == ("suggested", "subject", True)
    client.logout()
    assert page.title in client.get(niger.get_absolute_url()).content.decode()


def test_accepting_on_a_new_draft_creates_a_suggested_tag(client, reporter, sahel, demo_registry):
    chad = Actor.objects.get(slug="chad")
    client.force_login(reporter)
    row = {"actor": chad.pk, "role": "mentioned", "relevance": "0.4", "confirmed": "on"}
    data = article_form(author=AuthorFactory(), actor_tags=[row], accepted=[("actor", chad.pk)])
    response = client.post(
        reverse("wagtailadmin_pages:add", args=("articles", "articlepage", sahel.pk)), data
    )
    assert response.status_code == 302
    page = ArticlePage.objects.get(slug="border-force")
    (tag,) = page.get_latest_revision_as_object().actor_tags.all()
    assert (tag.actor_id, tag.origin, tag.role) == (chad.pk, "suggested", "mentioned")


def test_a_hand_added_tag_keeps_origin_manual(client, reporter, sahel, demo_registry):
    chad = Actor.objects.get(slug="chad")
    client.force_login(reporter)
    row = {"actor": chad.pk, "role": "mentioned", "relevance": "0.4", "confirmed": "on"}
    data = article_form(author=AuthorFactory(), actor_tags=[row])
    client.post(reverse("wagtailadmin_pages:add", args=("articles", "articlepage", sahel.pk)), data)
    (tag,) = ArticlePage.objects.get(slug="border-force").get_latest_revision_as_object().actor_tags.all()
    assert tag.origin == "manual"


def test_rejections_are_remembered_per_article(client, reporter, sahel, demo_registry):
    chad = Actor.objects.get(slug="chad")
    page = ArticlePageFactory(parent=sahel, publish=False, owner=reporter)
    other = ArticlePageFactory(parent=sahel, publish=False, owner=reporter)
    client.force_login(reporter)
    response = client.post(reverse("tagging:reject", args=[page.pk]), {"type": "actor", "id": chad.pk})
    assert response.status_code == 200
    assert RejectedSuggestion.objects.filter(page=page, kind="actor", object_id=chad.pk).exists()

    def suggested(p) -> set[str]:
        data = {"title": HEADLINE, "standfirst": "", "page_id": p.pk}
        return {a["slug"] for a in client.post(reverse("tagging:suggest"), data).json()["actors"]}

    assert suggested(page) == {"niger"}
    assert suggested(other) == {"niger", "chad"}


def test_a_bad_rejection_is_a_400(client, reporter, sahel):
    page = ArticlePageFactory(parent=sahel, publish=False, owner=reporter)
    client.force_login(reporter)
    assert (
        client.post(reverse("tagging:reject", args=[page.pk]), {"type": "song", "id": "x"}).status_code == 400
    )


def test_a_candidate_becomes_a_proposed_actor(client, reporter, demo_registry):
    client.force_login(reporter)
    response = client.post(
        reverse("tagging:propose_actor"), {"name": "Sahel Peace Council", "kind": "organization"}
    )
    assert response.status_code == 201
    actor = Actor.objects.get(pk=response.json()["id"])
    assert actor.review_status == ReviewStatus.PROPOSED and not actor.is_public
    assert client.post(reverse("tagging:propose_actor"), {"name": "X", "kind": "planet"}).status_code == 400


@pytest.mark.parametrize("page_id", ["²", "١٢", "1" * 20])
def test_a_page_id_of_non_ascii_digits_or_too_long_is_a_400(client, reporter, page_id):
    client.force_login(reporter)
    assert client.post(reverse("tagging:suggest"), {"title": "x", "page_id": page_id}).status_code == 400


def test_a_rejection_id_beyond_the_database_integer_is_a_400(client, reporter, sahel):
    page = ArticlePageFactory(parent=sahel, publish=False, owner=reporter)
    client.force_login(reporter)
    url = reverse("tagging:reject", args=[page.pk])
    assert client.post(url, {"type": "actor", "id": str(2**70)}).status_code == 400
    assert client.post(url, {"type": "actor", "id": "2147483648"}).status_code == 400
    assert client.post(url, {"type": "actor", "id": "2147483647"}).status_code == 200
    assert (
        client.post(reverse("tagging:reject", args=[2**70]), {"type": "actor", "id": "1"}).status_code == 404
    )


def test_a_deeply_nested_body_value_is_not_a_500(client, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("tagging:suggest"), {"title": "x", "body-0-value": '{"blocks": ' + "[" * 100_000}
    )
    assert response.status_code in (200, 413)


def _add_with_accepted(client, sahel, accepted_raw: str, chad):
    row = {"actor": chad.pk, "role": "mentioned", "relevance": "0.4", "confirmed": "on"}
    data = article_form(author=AuthorFactory(), actor_tags=[row])
    data["tagging-accepted"] = accepted_raw
    return client.post(reverse("wagtailadmin_pages:add", args=("articles", "articlepage", sahel.pk)), data)


@pytest.mark.parametrize(
    "raw", ["[" * 50_000, '[["actor", 1e999]]', '[["actor", 2147483648]]', '[["actor", true]]', "[1]"]
)
def test_a_malformed_accepted_list_is_ignored_and_the_save_kept(client, reporter, sahel, demo_registry, raw):
    chad = Actor.objects.get(slug="chad")
    client.force_login(reporter)
    assert _add_with_accepted(client, sahel, raw, chad).status_code == 302
    (tag,) = ArticlePage.objects.get(slug="border-force").get_latest_revision_as_object().actor_tags.all()
    assert (tag.actor_id, tag.origin) == (chad.pk, "manual")


def test_the_valid_entries_of_an_accepted_list_still_count(client, reporter, sahel, demo_registry):
    chad = Actor.objects.get(slug="chad")
    client.force_login(reporter)
    raw = json.dumps([["actor", "x"], ["actor", chad.pk]]).replace('"x"', "1e999")
    assert _add_with_accepted(client, sahel, raw, chad).status_code == 302
    (tag,) = ArticlePage.objects.get(slug="border-force").get_latest_revision_as_object().actor_tags.all()
    assert (tag.actor_id, tag.origin) == (chad.pk, "suggested")


def test_the_wire_import_menu_item_shows_only_to_users_who_can_add_to_a_section(client, reporter, desk):
    client.force_login(reporter)
    assert reverse("tagging:inbox") in client.get(reverse("wagtailadmin_home")).content.decode()
    viewer = get_user_model().objects.create_user("viewer", password="x")
    viewer.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(viewer)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200 and reverse("tagging:inbox") not in response.content.decode()
    refused = client.get(reverse("tagging:inbox"))  # Wagtail turns the 403 into a redirect home
    assert (refused.status_code, refused["Location"]) == (302, reverse("wagtailadmin_home"))
