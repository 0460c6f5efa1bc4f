"""The newsroom workflow, driven through the Wagtail admin views as people use it."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from apps.articles.models import ArticlePage
from tests.articles.admin_forms import actor_tag_row, article_form_data
from tests.articles.factories import ActorFactory
from tests.factories import AuthorFactory

TITLE = "Sahel ministers agree to pool their air defences"
SLUG = "sahel-ministers-pool-air-defences"


def _article_form(*, author, actor, action: str) -> dict:
    return article_form_data(
        authors=[author], title=TITLE, slug=SLUG, actor_tags=[actor_tag_row(actor)], action=action
    )


@pytest.fixture
def reporter(desk):
    return get_user_model().objects.get(username="reporter")


@pytest.fixture
def editor(desk):
    return get_user_model().objects.get(username="editor")


@pytest.fixture
def actor(desk):
    return ActorFactory(name="Bakari Yaou Sangare")


def _create_as(client, user, section, data):
    client.force_login(user)
    url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", section.pk))
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    return ArticlePage.objects.get(slug=SLUG)


def _public_surfaces(client, page, actor) -> dict[str, bool]:
    client.logout()
    shown = {}
    for name, url in {
        "home": "/",
        "section": page.get_parent().url,
        "section_rss": "/feeds/sections/sahel/rss.xml",
        "section_atom": "/feeds/sections/sahel/atom.xml",
        "actor_page": actor.get_absolute_url(),
        "actor_rss": f"/feeds/actors/{actor.slug}/rss.xml",
        "sitemap": "/sitemap.xml",
    }.items():
        response = client.get(url)
        assert response.status_code == 200, name
        shown[name] = SLUG in response.content.decode()
    article = client.get(page.url)
    shown["article"] = article.status_code == 200 and TITLE in article.content.decode()
    return shown


def test_reporter_cannot_publish(client, reporter, actor):
    from apps.core.models import SectionPage

    sahel = SectionPage.objects.get(slug="sahel")
    page = _create_as(
        client, reporter, sahel, _article_form(author=AuthorFactory(), actor=actor, action="action-publish")
    )

    page.refresh_from_db()
    assert not page.live
    assert not page.permissions_for_user(reporter).can_publish()
    assert not any(_public_surfaces(client, page, actor).values())


def test_submitted_article_goes_public_when_an_editor_approves(client, reporter, editor, actor):
    from apps.core.models import SectionPage

    sahel = SectionPage.objects.get(slug="sahel")
    page = _create_as(
        client, reporter, sahel, _article_form(author=AuthorFactory(), actor=actor, action="action-submit")
    )

    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "Desk review"
    assert not any(_public_surfaces(client, page, actor).values())

    # The reporter is not in the approval task's group: approving does nothing.
    client.force_login(reporter)
    task_state = state.current_task_state
    approve_url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    client.post(approve_url, {"comment": ""})
    page.refresh_from_db()
    assert not page.live

    client.force_login(editor)
    response = client.post(approve_url, {"comment": "Checked the figures."})
    assert response.status_code in (200, 302)

    page.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert page.live
    assert page.published_at is not None
    assert _public_surfaces(client, page, actor) == dict.fromkeys(
        ["home", "section", "section_rss", "section_atom", "actor_page", "actor_rss", "sitemap", "article"],
        True,
    )


def test_editor_can_unpublish(client, editor, actor):
    from apps.core.models import SectionPage

    sahel = SectionPage.objects.get(slug="sahel")
    page = _create_as(
        client, editor, sahel, _article_form(author=AuthorFactory(), actor=actor, action="action-publish")
    )
    page.refresh_from_db()
    assert page.live
    assert any(_public_surfaces(client, page, actor).values())

    client.force_login(editor)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=(page.pk,)), {})
    assert response.status_code == 302
    page.refresh_from_db()
    assert not page.live
    assert not any(_public_surfaces(client, page, actor).values())


def test_scheduler_makes_a_scheduled_article_go_live(client, sahel):
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.models import Revision

    from apps.articles.selectors import visible_articles
    from apps.core import scheduler
    from tests.factories import ArticlePageFactory

    page = ArticlePageFactory(parent=sahel, publish=False)
    page.go_live_at = timezone.now() + timedelta(seconds=30)
    revision = page.save_revision()
    revision.publish()  # an editor's "schedule": approved to go live later
    page.refresh_from_db()
    assert not page.live
    assert client.get(page.url).status_code == 404

    # A minute later the scheduler's next tick runs.
    past = timezone.now() - timedelta(seconds=1)
    # (Move the schedule into the past rather than waiting: the revision and its approval.)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])
    assert Revision.objects.get(pk=revision.pk).approved_go_live_at == past
    job = next(job for job in scheduler.JOBS if job.name == "publish_scheduled")
    assert job.every <= timedelta(minutes=1)
    assert scheduler.run_jobs([job]) == {"publish_scheduled": "ok"}

    page.refresh_from_db()
    assert page.live
    assert visible_articles().filter(pk=page.pk).exists()
    assert client.get(page.url).status_code == 200


def test_submit_and_approve_notify_by_mail_without_errors(
    client, reporter, editor, actor, mailoutbox, django_capture_on_commit_callbacks, caplog
):
    from apps.core.models import SectionPage

    sahel = SectionPage.objects.get(slug="sahel")
    with django_capture_on_commit_callbacks(execute=True):
        page = _create_as(
            client,
            reporter,
            sahel,
            _article_form(author=AuthorFactory(), actor=actor, action="action-submit"),
        )
    # Submitting tells the approvers (the Editors group), not the reporter who submitted.
    submitted = [mail for mail in mailoutbox if editor.email in mail.to]
    assert submitted, [mail.to for mail in mailoutbox]
    assert TITLE in submitted[0].subject
    assert all(reporter.email not in mail.to for mail in mailoutbox)

    mailoutbox.clear()
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, "approve", state.current_task_state.pk)
    )
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(approve_url, {"comment": "Good to go."})
    assert response.status_code == 302
    # Approval tells the reporter who submitted it.
    assert [mail.to for mail in mailoutbox if reporter.email in mail.to]
    assert all(TITLE in mail.subject for mail in mailoutbox)
    assert "Traceback" not in caplog.text
    assert not [record for record in caplog.records if record.levelname in {"ERROR", "CRITICAL"}]


def _decide_in_the_editor(client, editor, page, action: str):
    from django.contrib.messages import get_messages

    page = page.get_latest_revision_as_object()
    byline, tag = page.bylines.first(), page.actor_tags.first()
    data = _article_form(author=byline.author, actor=tag.actor, action="action-workflow-action")
    # The rows the draft already has, so the editor's form edits them instead of adding twins.
    data.update(
        nested_form_data(
            {
                "bylines": inline_formset([{"id": byline.pk, "author": byline.author.pk}], initial=1, min=1),
                "actor_tags": inline_formset(
                    [
                        {
                            "id": tag.pk,
                            "actor": tag.actor.pk,
                            "role": "subject",
                            "relevance": "0.9",
                            "origin": "manual",
                            "confirmed": "on",
                        }
                    ],
                    initial=1,
                ),
            }
        )
    )
    data["workflow-action-name"] = action
    data["workflow-action-extra-data"] = '{"comment": "Seen by the desk."}'
    client.force_login(editor)
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    assert response.status_code == 302
    return " | ".join(html.unescape(str(message)).strip() for message in get_messages(response.wsgi_request))


def test_approving_in_the_editor_says_the_story_is_live(client, reporter, editor, actor):
    from apps.core.models import SectionPage

    sahel = SectionPage.objects.get(slug="sahel")
    page = _create_as(
        client, reporter, sahel, _article_form(author=AuthorFactory(), actor=actor, action="action-submit")
    )
    shown = _decide_in_the_editor(client, editor, page, "approve")
    page.refresh_from_db()
    assert page.live
    assert f"Approved and published: '{TITLE}' is live on the site." in shown


def test_rejecting_in_the_editor_says_it_went_back(client, reporter, editor, actor):
    from apps.core.models import SectionPage

    sahel = SectionPage.objects.get(slug="sahel")
    page = _create_as(
        client, reporter, sahel, _article_form(author=AuthorFactory(), actor=actor, action="action-submit")
    )
    shown = _decide_in_the_editor(client, editor, page, "reject")
    page.refresh_from_db()
    assert not page.live
    assert f"Changes requested: '{TITLE}' went back to its author, unpublished." in shown
