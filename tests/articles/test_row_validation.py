"""The article editor validates its tag, byline and correction rows with a few queries per
formset (apps/articles/forms.py), and must say exactly what Django's row-by-row validation says:
a chooser pointing at a record that is gone, a row id that is gone, a value outside a check
constraint, a record under review or merged away (accepted in a draft, as before)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import F, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Revision

from apps.articles.models import ArticleActor, ArticlePage
from apps.registry.models import ReviewStatus
from bench.admin_form import draft_form_data
from tests.articles.factories import ActorFactory
from tests.articles.page_costs import tagged_article

INVALID_CHOICE = "Select a valid choice. That choice is not one of the available choices."


@pytest.fixture
def editor(client, desk):
    client.force_login(get_user_model().objects.get(username="editor"))


def _save_draft(client, page, data):
    return client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)


def _row_errors(response, formset: str) -> list[dict]:
    assert response.status_code == 200, "the save went through"
    return [dict(form.errors) for form in response.context["form"].formsets[formset].forms]


def test_a_chosen_record_that_is_gone_is_an_error_on_its_row_only(client, editor, sahel):
    page = tagged_article(sahel, 3, "Three actors, one deleted since the editor opened the page")
    data = draft_form_data(page)
    revisions = Revision.objects.count()
    gone = page.actor_tags.all()[1].actor
    gone.delete()  # the page's rows go with it (CASCADE); the open form still sends it

    errors = _row_errors(_save_draft(client, page, data), "actor_tags")

    assert errors[0] == errors[2] == {}
    assert errors[1]["actor"] == [INVALID_CHOICE]
    assert "id" in errors[1]  # the row went with the actor: its id is gone too
    assert Revision.objects.count() == revisions


def test_a_row_id_that_is_gone_is_an_error_on_that_row(client, editor, sahel):
    page = tagged_article(sahel, 2, "A row deleted since the editor opened the page")
    data = draft_form_data(page)
    page.place_tags.all()[0].delete()

    errors = _row_errors(_save_draft(client, page, data), "place_tags")

    assert errors[0] == {"id": [INVALID_CHOICE]}
    assert errors[1] == {}


def test_a_relevance_outside_zero_to_one_is_an_error_on_its_field(client, editor, sahel):
    page = tagged_article(sahel, 2, "A relevance out of range")
    data = draft_form_data(page)
    data["event_tags-1-relevance"] = "1.5"

    errors = _row_errors(_save_draft(client, page, data), "event_tags")

    assert errors == [{}, {"relevance": ["Ensure this value is less than or equal to 1.0."]}]


@pytest.mark.parametrize("status", [ReviewStatus.PROPOSED, "merged"])
def test_records_under_review_or_merged_away_can_still_be_tagged_in_a_draft(client, editor, sahel, status):
    page = tagged_article(sahel, 1, "A draft tagging a record that is not public")
    actor = ActorFactory(name="Not public")
    if status == "merged":
        actor.merged_into = ActorFactory(name="Survivor")
    else:
        actor.review_status = status
    actor.save()
    data = draft_form_data(page)
    data["actor_tags-0-actor"] = str(actor.pk)

    response = _save_draft(client, page, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    draft = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert [tag.actor_id for tag in draft.actor_tags.all()] == [actor.pk]


def _verdict(check, instance, exclude) -> tuple[str, str | None] | None:
    try:
        check.validate(ArticleActor, instance, exclude=exclude)
    except ValidationError as error:
        return (error.messages[0], error.code)
    return None


ODD_CHECKS = [
    # Not plain comparisons of the row's own values: Django's query decides.
    models.CheckConstraint(condition=Q(role__startswith="sub"), name="odd_startswith"),
    models.CheckConstraint(condition=Q(relevance__lte=F("relevance")), name="odd_f"),
    # Plain, with OR, NOT, isnull and a custom message.
    models.CheckConstraint(
        condition=Q(relevance__isnull=True) | ~Q(role="mentioned", relevance__gt=0.5),
        name="odd_or_not",
        violation_error_message="A passing mention cannot matter that much.",
        violation_error_code="mention_too_relevant",
    ),
]


@pytest.mark.parametrize("relevance", [0.0, 0.5, 1.0, 1.5, -0.1, None])
@pytest.mark.parametrize("role", ["subject", "mentioned", "boss"])
@pytest.mark.parametrize("exclude", [None, {"role"}, {"relevance", "origin"}])
def test_check_constraints_checked_in_memory_agree_with_the_database(sahel, relevance, role, exclude):
    from apps.articles.forms import _CheckInMemory

    page = tagged_article(sahel, 1, "A story")
    instance = ArticleActor(page=page, actor=ActorFactory(), role=role, relevance=relevance, origin="bogus")
    checks = [c for c in ArticleActor._meta.constraints if isinstance(c, models.CheckConstraint)]

    for check in [*checks, *ODD_CHECKS]:
        with CaptureQueriesContext(connection) as queries:
            in_memory = _verdict(_CheckInMemory(check), instance, exclude)
        assert in_memory == _verdict(check, instance, exclude), check.name
        if check in checks or check.name == "odd_or_not":
            assert len(queries) == 0, check.name
        elif exclude is None:
            assert len(queries) > 0, check.name  # Django's own query
