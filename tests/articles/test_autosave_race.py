"""Saving while a Wagtail autosave of the same page is still in flight.

The autosave (a background POST asking for JSON) creates the new tag rows of a draft and sends
their ids back; a Submit pressed before that answer arrives re-sends the same rows without ids.
The second submission must update those rows, never insert them twice (a 500 before the fix).
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from apps.articles.models import ArticleActor, ArticleByline, ArticleEvent, ArticlePage, ArticlePlace
from tests.articles.factories import ActorFactory, EventFactory, PlaceFactory
from tests.articles.test_workflow import _article_form
from tests.factories import ArticlePageFactory, AuthorFactory

pytestmark = pytest.mark.django_db

AUTOSAVE = {"HTTP_ACCEPT": "application/json"}  # what Wagtail's autosave controller sends


@pytest.fixture
def editor(client, desk):
    user = get_user_model().objects.get(username="editor")
    client.force_login(user)
    return user


def _tag(target_field: str, record, *, pk="", relevance="0.9") -> dict:
    return {
        "id": pk,
        target_field: record.pk,
        "role": "subject",
        "relevance": relevance,
        "origin": "manual",
        "confirmed": "on",
    }


def _edit_form(page: ArticlePage, *, action: str | None, **formsets) -> dict:
    """The editor's form for `page` as the browser loaded it: the rows the page had then carry
    their ids (counted in INITIAL_FORMS), rows added since carry none."""
    page = page.get_latest_revision_as_object()
    byline = page.bylines.first()
    data = _article_form(author=byline.author, actor=ActorFactory(), action=action or "unused")
    data.pop("unused", None)
    data["title"], data["slug"] = page.title, page.slug
    rows = {
        "bylines": [{"id": byline.pk, "author": byline.author.pk}],
        "actor_tags": [_tag("actor", t.actor, pk=t.pk) for t in page.actor_tags.all()],
        "event_tags": [_tag("event", t.event, pk=t.pk) for t in page.event_tags.all()],
        "place_tags": [_tag("place", t.place, pk=t.pk) for t in page.place_tags.all()],
    }
    data.update(
        nested_form_data(
            {
                name: inline_formset(
                    rows[name] + formsets.get(name, []),
                    initial=len(rows[name]),
                    min=1 if name == "bylines" else 0,
                )
                for name in rows
            }
        )
    )
    return data


def _post(client, page, data, **extra):
    return client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data, **extra)


def _draft_tags(page: ArticlePage) -> list[tuple[int, float]]:
    draft = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    return [(t.actor_id, t.relevance) for t in draft.actor_tags.all()]


@pytest.mark.parametrize("action", ["action-submit", "action-publish", None])
def test_a_submit_racing_the_autosave_updates_the_new_tag_of_a_new_article(client, editor, sahel, action):
    page = ArticlePageFactory(parent=sahel, publish=False)
    actor = ActorFactory()

    loaded = _edit_form(page, action=None, actor_tags=[_tag("actor", actor)])  # as the browser has it

    autosave = _post(client, page, loaded, **AUTOSAVE)
    assert autosave.status_code == 200 and autosave.json()["success"], autosave.content
    assert ArticleActor.objects.filter(page=page, actor=actor).count() == 1  # a draft's rows are written

    # The stale form: the new row still has no id, and the editor changed its relevance meanwhile.
    stale = {**loaded, "actor_tags-0-relevance": "0.4"}
    if action:
        stale[action] = "1"
    response = _post(client, page, stale, **(AUTOSAVE if action is None else {}))

    assert response.status_code in (200, 302), response.content[:2000]
    if action is None:
        assert response.json()["success"]
    rows = ArticleActor.objects.filter(page=page)
    assert [(row.actor_id, row.relevance) for row in rows] == [(actor.pk, 0.4)]
    assert _draft_tags(page) == [(actor.pk, 0.4)]


@pytest.mark.parametrize("live", [False, True], ids=["draft", "published"])
def test_resubmitting_new_tags_of_an_existing_article_updates_them(client, editor, sahel, live):
    kept = ActorFactory()
    page = ArticlePageFactory(parent=sahel, publish=False)
    page.actor_tags = [ArticleActor(actor=kept, relevance=0.7)]
    page.save()
    revision = page.save_revision()
    if live:
        revision.publish()
    actor, event, place = ActorFactory(), EventFactory(), PlaceFactory()
    new_rows = {
        "actor_tags": [_tag("actor", actor)],
        "event_tags": [_tag("event", event)],
        "place_tags": [_tag("place", place)],
    }
    loaded = _edit_form(page, action=None, **new_rows)  # the form as the browser has it

    first = _post(client, page, loaded, **AUTOSAVE)
    assert first.status_code == 200 and first.json()["success"], first.content
    second = _post(client, page, {**loaded, "action-publish": "1"})

    assert second.status_code == 302, second.content[:2000]
    assert sorted(ArticleActor.objects.filter(page=page).values_list("actor_id", flat=True)) == sorted(
        [kept.pk, actor.pk]
    )
    assert list(ArticleEvent.objects.filter(page=page).values_list("event_id", flat=True)) == [event.pk]
    assert list(ArticlePlace.objects.filter(page=page).values_list("place_id", flat=True)) == [place.pk]


def test_a_resubmitted_new_byline_is_not_added_twice(client, editor, sahel):
    page = ArticlePageFactory(parent=sahel, publish=False)
    author = AuthorFactory()
    loaded = _edit_form(page, action=None, bylines=[{"id": "", "author": author.pk}])

    assert _post(client, page, loaded, **AUTOSAVE).json()["success"]
    response = _post(client, page, {**loaded, "action-submit": "1"})

    assert response.status_code == 302, response.content[:2000]
    assert ArticleByline.objects.filter(page=page, author=author).count() == 1


def test_the_same_actor_twice_in_one_submission_is_a_form_error(client, editor, sahel):
    page = ArticlePageFactory(parent=sahel, publish=False)
    actor = ActorFactory()
    data = _edit_form(page, action="action-submit", actor_tags=[_tag("actor", actor), _tag("actor", actor)])

    response = _post(client, page, data)

    assert response.status_code == 200
    formset = response.context["form"].formsets["actor_tags"]
    assert formset.forms[1].errors
    # Shown above the Actors panel, not only on a hidden field.
    assert "Please correct the duplicate data for page and actor" in response.content.decode()
    assert not ArticleActor.objects.filter(page=page).exists()


def test_a_new_row_repeating_a_tag_already_in_the_form_is_a_form_error(client, editor, sahel):
    actor = ActorFactory()
    page = ArticlePageFactory(parent=sahel, publish=False)
    page.actor_tags = [ArticleActor(actor=actor)]
    page.save()
    page.save_revision()
    # The existing row is in the form with its id; the editor added the same actor again.
    data = _edit_form(page, action="action-submit", actor_tags=[_tag("actor", actor)])

    response = _post(client, page, data)

    assert response.status_code == 200
    assert response.context["form"].formsets["actor_tags"].forms[1].errors
    assert ArticleActor.objects.filter(page=page, actor=actor).count() == 1


def test_removing_a_tag_and_adding_it_back_in_one_submission_is_fine(client, editor, sahel):
    actor = ActorFactory()
    page = ArticlePageFactory(parent=sahel, publish=False)
    page.actor_tags = [ArticleActor(actor=actor, relevance=0.2)]
    page.save()
    page.save_revision()
    data = _edit_form(page, action="action-submit", actor_tags=[_tag("actor", actor, relevance="0.8")])
    data["actor_tags-0-DELETE"] = "1"

    response = _post(client, page, data)

    assert response.status_code == 302, response.content[:2000]
    assert list(ArticleActor.objects.filter(page=page).values_list("relevance", flat=True)) == [0.8]
