"""The review queue: editors review, reporters see the proposals on their own articles; the
"Extract events" item in the article editor; accept, merge and reject from the admin."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.extraction import services
from apps.extraction.models import EventProposal, ProposalStatus
from apps.registry.models import Event
from tests.extraction.conftest import write_article

pytestmark = pytest.mark.django_db

BAN = "Chad banned French relief organisations on Tuesday."


@pytest.fixture
def proposal(demo_registry, reporter):
    page = write_article(title="Chad bars aid groups", paragraphs=[BAN], on="2025-03-13", owner=reporter)
    return services.extract_for_article(page).created[0]


def test_editor_sees_the_queue_with_the_evidence_highlighted(client, editor, proposal):
    client.force_login(editor)
    queue = client.get("/admin/extraction/")
    assert queue.status_code == 200 and "Chad bars aid groups" in queue.content.decode()
    detail = client.get(f"/admin/extraction/{proposal.pk}/").content.decode()
    assert "<mark>Chad banned French relief organisations on Tuesday.</mark>" in detail
    assert "precision: day" in detail and "Chad (initiator)" in detail


def test_reporter_sees_proposals_on_own_articles_only_and_cannot_review(client, reporter, editor, proposal):
    client.force_login(reporter)
    assert "Chad bars aid groups" in client.get("/admin/extraction/").content.decode()
    assert client.get(f"/admin/extraction/{proposal.pk}/").status_code == 200
    # Wagtail answers an admin PermissionDenied with a redirect and a message; nothing changes.
    assert client.post(f"/admin/extraction/{proposal.pk}/", {"action": "reject"}).status_code in (302, 403)
    assert EventProposal.objects.get(pk=proposal.pk).status == ProposalStatus.PROPOSED
    other = write_article(title="Someone else's", paragraphs=[BAN], on="2025-03-13", owner=editor)
    theirs = services.extract_for_article(other).created[0]
    assert "Someone else" not in client.get("/admin/extraction/").content.decode()
    assert client.get(f"/admin/extraction/{theirs.pk}/").status_code == 404


def test_editor_edits_then_accepts(client, editor, proposal):
    client.force_login(editor)
    response = client.post(
        f"/admin/extraction/{proposal.pk}/",
        {
            "action": "accept",
            "title": "Chad bans French aid groups",
            "event_type": "ban",
            "event_status": "occurred",
            "date": "2025-03",  # the editor knows only the month
            "end": "",
            "place": "",
            "participants": "chad: initiator\nfrance: target",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(title="Chad bans French aid groups")
    assert (event.start_iso, event.start_precision, event.review_status) == ("2025-03", "month", "approved")
    assert EventProposal.objects.get(pk=proposal.pk).status == ProposalStatus.ACCEPTED


def test_a_bad_edit_is_a_form_error_not_a_500(client, editor, proposal):
    client.force_login(editor)
    response = client.post(
        f"/admin/extraction/{proposal.pk}/",
        {
            "action": "accept",
            "event_type": "ban",
            "event_status": "occurred",
            "date": "March",
            "participants": "nobody: boss",
        },
    )
    assert response.status_code == 200
    assert EventProposal.objects.get(pk=proposal.pk).status == ProposalStatus.PROPOSED


def test_editor_merges_and_rejects(client, editor, proposal, demo_registry):
    client.force_login(editor)
    target = Event.objects.get(slug="niger-bans-french-ngos")
    assert (
        client.post(f"/admin/extraction/{proposal.pk}/", {"action": "merge", "into": target.pk}).status_code
        == 302
    )
    assert EventProposal.objects.get(pk=proposal.pk).event == target
    page = write_article(title="Another ban", paragraphs=[BAN], on="2025-03-13")
    second = services.extract_for_article(page).created[0]
    assert client.post(f"/admin/extraction/{second.pk}/", {"action": "reject"}).status_code == 302
    assert EventProposal.objects.get(pk=second.pk).status == ProposalStatus.REJECTED


def test_extract_events_is_in_the_article_editor_and_runs_from_the_article_page(
    client, editor, demo_registry
):
    page = write_article(
        title="Ties cut", paragraphs=["Niger broke off relations with Ukraine on Tuesday."], on="2024-08-07"
    )
    client.force_login(editor)
    editor_page = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Extract events" in editor_page and f"/admin/extraction/articles/{page.pk}/" in editor_page
    assert client.post(f"/admin/extraction/articles/{page.pk}/").status_code == 302
    assert client.post(f"/admin/extraction/articles/{page.pk}/").status_code == 302  # twice: no twin
    assert (
        EventProposal.objects.filter(article=page, kind="event", event_type="severance_of_ties").count() == 1
    )
    assert "Ties cut" in client.get(f"/admin/extraction/articles/{page.pk}/").content.decode()


def test_queue_queries_do_not_grow_with_the_number_of_proposals(client, editor, proposal):
    client.force_login(editor)
    client.get("/admin/extraction/")  # warm per-session caches (site, permissions)
    with CaptureQueriesContext(connection) as one:
        client.get("/admin/extraction/")
    for n in range(3):
        page = write_article(title=f"More bans {n}", paragraphs=[BAN], on=f"2025-0{n + 4}-13")
        services.extract_for_article(page)
    assert EventProposal.objects.filter(status=ProposalStatus.PROPOSED).count() >= 4
    with CaptureQueriesContext(connection) as many:
        client.get("/admin/extraction/")
    assert len(many) == len(one)
