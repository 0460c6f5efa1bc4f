"""The import inbox in the admin, and retag (command and background task)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupPagePermission

from apps.articles.models import ArticleActor, ArticlePage, SyndicationRights
from apps.registry.models import Actor
from apps.tagging import tasks
from apps.tagging.models import WireImport
from tests.factories import ArticlePageFactory, paragraph
from tests.registry.factories import ActorFactory, AliasFactory

pytestmark = pytest.mark.django_db
WIRE = Path(__file__).resolve().parent.parent / "data" / "wire"


@pytest.fixture
def reporter(desk):
    return get_user_model().objects.get(username="reporter")


def test_inbox_imports_pasted_copy_and_lists_the_draft(client, reporter, sahel):
    client.force_login(reporter)
    assert client.get(reverse("tagging:inbox")).status_code == 200
    text = "Desk test: Chad reopens a border post\n\nN'DJAMENA (Sahel Wire) — Chad reopened a border post on Friday."
    data = {"section": sahel.pk, "text": text, "format": "auto", "rights": "agency"}
    response = client.post(reverse("tagging:inbox"), data, follow=True)
    assert "1 draft(s) created" in response.content.decode()
    page = ArticlePage.objects.get(title="Desk test: Chad reopens a border post")
    assert not page.live and WireImport.objects.get(page=page).user == reporter
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in response.content.decode()
    again = client.post(reverse("tagging:inbox"), data, follow=True)
    assert "0 draft(s) created, 1 already imported" in again.content.decode()


def test_inbox_upload_of_a_feed(client, reporter, sahel):
    client.force_login(reporter)
    upload = SimpleUploadedFile("feed.rss", (WIRE / "feed.rss").read_bytes())
    client.post(
        reverse("tagging:inbox"), {"section": sahel.pk, "file": upload, "format": "auto", "rights": "agency"}
    )
    assert WireImport.objects.count() == 2


def test_inbox_refuses_a_malformed_upload_with_a_form_error(client, reporter, sahel):
    client.force_login(reporter)
    upload = SimpleUploadedFile("bad.rss", (WIRE / "bad.rss").read_bytes())
    pages = ArticlePage.objects.count()
    response = client.post(
        reverse("tagging:inbox"), {"section": sahel.pk, "file": upload, "format": "auto", "rights": "agency"}
    )
    assert response.status_code == 200
    assert "bad.rss: not a well-formed feed" in response.content.decode()
    assert ArticlePage.objects.count() == pages and not WireImport.objects.exists()


def test_inbox_needs_a_file_or_text(client, reporter, sahel):
    client.force_login(reporter)
    response = client.post(
        reverse("tagging:inbox"), {"section": sahel.pk, "format": "auto", "rights": "agency"}
    )
    assert "Upload a file or paste text" in response.content.decode()


def test_retag_adds_new_suggestions_unconfirmed_and_never_touches_confirmed_tags(sahel):
    chad = ActorFactory(name="Chadland")
    page = ArticlePageFactory(
        parent=sahel,
        title="Chadland and Vostok talk trade",
        body=[paragraph("Vostok officials met their Chadland counterparts.")],
        actor_tags=[ArticleActor(actor=chad, role="mentioned", relevance=0.3, confirmed=True)],
    )
    vostok = ActorFactory(name="Republic of Vostok")
    AliasFactory(actor=vostok, text="Vostok")  # a registry change after publication

    call_command("retag")
    draft = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    tags = {t.actor_id: t for t in draft.actor_tags.all()}
    assert (tags[chad.pk].confirmed, tags[chad.pk].origin, tags[chad.pk].role) == (
        True,
        "manual",
        "mentioned",
    )
    assert (tags[vostok.pk].confirmed, tags[vostok.pk].origin) == (False, "suggested")
    # The live rows (what the public reads) are as they were.
    assert set(ArticleActor.objects.filter(page=page).values_list("actor_id", flat=True)) == {chad.pk}

    revisions = page.revisions.count()
    call_command("retag")
    assert page.revisions.count() == revisions  # nothing new to suggest: no new revision


def test_retag_drops_unconfirmed_suggestions_the_registry_no_longer_supports(sahel):
    vostok = ActorFactory(name="Vostok")
    page = ArticlePageFactory(parent=sahel, title="Vostok votes", body=[paragraph("Vostok voted.")])
    call_command("retag")
    assert [
        t.actor_id
        for t in ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().actor_tags.all()
    ] == [vostok.pk]
    vostok.review_status = "proposed"
    vostok.save()
    call_command("retag")
    assert list(ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object().actor_tags.all()) == []


def test_retag_since_and_bad_dates(sahel, capsys):
    ActorFactory(name="Vostok")
    ArticlePageFactory(parent=sahel, title="Vostok votes", body=[paragraph("Vostok voted.")])
    call_command("retag", "--since", (dt.date.today() + dt.timedelta(days=1)).isoformat())
    assert "0 article(s) checked" in capsys.readouterr().out
    with pytest.raises(CommandError, match="not a date"):
        call_command("retag", "--since", "yesterday")


def test_retag_runs_as_a_background_task(sahel, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    # Enqueued on commit (apps/core/tasks.py); the test's transaction never commits.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retag", "--background")
    (row,) = DBTaskResult.objects.all()
    assert row.task_path == "apps.tagging.tasks.retag" and row.backend_name == "background"
    assert tasks.retag.call() == {"articles": ArticlePage.objects.count(), "updated": 0}


def test_proposed_actors_from_candidates_are_not_suggested(sahel):
    Actor.objects.create(name="Sahel Peace Council", kind="organization")  # proposed by default
    approved = ActorFactory(name="Sahel Peace Forum")
    page = ArticlePageFactory(
        parent=sahel,
        title="Sahel Peace Council meets",
        body=[paragraph("The Sahel Peace Council and the Sahel Peace Forum met.")],
    )
    call_command("retag")
    # Retag writes the draft revision only: that is where a suggestion would appear.
    draft = ArticlePage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert [t.actor_id for t in draft.actor_tags.all()] == [approved.pk]


@pytest.fixture
def editor(desk):
    return get_user_model().objects.get(username="editor")


def _paste(client, section, headline: str, rights: str):
    text = f"{headline}\n\nN'DJAMENA (Sahel Wire) — Chad reopened a border post on Friday."
    data = {"section": section.pk, "text": text, "format": "auto", "rights": rights}
    return client.post(reverse("tagging:inbox"), data)


def test_a_reporter_cannot_choose_the_syndication_rights_of_an_import(client, reporter, sahel):
    client.force_login(reporter)
    assert 'name="rights"' not in client.get(reverse("tagging:inbox")).content.decode()
    assert _paste(client, sahel, "Desk test: rights stay agency", "own").status_code == 302
    page = ArticlePage.objects.get(title="Desk test: rights stay agency")
    assert page.syndication_rights == SyndicationRights.AGENCY_SITE_ONLY
    assert page.get_latest_revision_as_object().syndication_rights == SyndicationRights.AGENCY_SITE_ONLY


def test_an_editor_chooses_the_syndication_rights_of_an_import(client, editor, sahel):
    client.force_login(editor)
    assert 'name="rights"' in client.get(reverse("tagging:inbox")).content.decode()
    assert _paste(client, sahel, "Desk test: rights set by an editor", "own").status_code == 302
    page = ArticlePage.objects.get(title="Desk test: rights set by an editor")
    assert page.syndication_rights == SyndicationRights.OWN


def test_the_inbox_lists_only_imports_under_sections_the_user_may_add_to(
    client, reporter, sahel, west_africa
):
    group = Group.objects.create(name="Sahel desk")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in ("add_page", "change_page"):
        GroupPagePermission.objects.create(
            group=group, page=sahel, permission=Permission.objects.get(codename=codename)
        )
    stringer = get_user_model().objects.create_user("stringer", password="x")
    stringer.groups.add(group)
    client.force_login(reporter)
    _paste(client, sahel, "Desk test: a Sahel story", "agency")
    _paste(client, west_africa, "Desk test: a West Africa story", "agency")
    client.force_login(stringer)
    page = client.get(reverse("tagging:inbox")).content.decode()
    assert "Desk test: a Sahel story" in page and "Desk test: a West Africa story" not in page
    client.force_login(reporter)
    page = client.get(reverse("tagging:inbox")).content.decode()
    assert "Desk test: a Sahel story" in page and "Desk test: a West Africa story" in page


def test_the_inbox_lists_an_import_whose_wire_date_has_no_utc_equivalent(client, reporter, sahel):
    client.force_login(reporter)
    text = "Desk test: far date\n\nPublished: 0001-01-01T00:00:00+05:00\n\nChad reopened a border post."
    data = {"section": sahel.pk, "text": text, "format": "auto"}
    assert client.post(reverse("tagging:inbox"), data).status_code == 302
    assert "Desk test: far date" in client.get(reverse("tagging:inbox")).content.decode()


def test_the_inbox_listing_costs_the_same_queries_for_one_import_or_three(client, reporter, sahel):
    client.force_login(reporter)
    _paste(client, sahel, "Desk test: one", "agency")
    client.get(reverse("tagging:inbox"))  # warm the per-process caches (site root paths)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("tagging:inbox"))
    _paste(client, sahel, "Desk test: two", "agency")
    _paste(client, sahel, "Desk test: three", "agency")
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("tagging:inbox"))
    assert response.content.decode().count("Desk test: ") == 3
    assert len(three) == len(one)
