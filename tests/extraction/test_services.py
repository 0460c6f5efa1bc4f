"""Proposals from articles: no duplicates on re-run, match before creating, accept/merge/reject,
relation changes (acceptance 3), and proposals after a wire import."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from apps.extraction import services
from apps.extraction.models import EventProposal, EventSource, ProposalKind, ProposalStatus
from apps.registry.models import ActorRelation, Event, EventDateClaim
from tests.extraction.conftest import write_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def expulsion_article(demo_registry):
    return write_article(
        title="Mali orders the French envoy out",
        paragraphs=[
            "Mali's military government expelled France's ambassador on Monday and gave him three days to leave."
        ],
        on="2022-02-01",
    )


def event_proposals(page):
    return EventProposal.objects.filter(article=page, kind=ProposalKind.EVENT)


def test_rerunning_extraction_creates_no_duplicate_proposal(expulsion_article):
    first = services.extract_for_article(expulsion_article)
    assert [p.event_type for p in first.created] == ["diplomatic_expulsion"]
    again = services.extract_for_article(expulsion_article)
    assert again.created == [] and again.existing == len(first.created)
    assert event_proposals(expulsion_article).count() == 1


def test_a_rejected_proposal_is_remembered(expulsion_article):
    proposal = services.extract_for_article(expulsion_article).created[0]
    services.reject(proposal)
    assert services.extract_for_article(expulsion_article).created == []
    assert EventProposal.objects.get(pk=proposal.pk).status == ProposalStatus.REJECTED
    with pytest.raises(ValidationError, match="already rejected"):
        services.accept(proposal)


def test_the_proposal_keeps_its_date_precision_evidence_and_the_event_it_fits(expulsion_article):
    proposal = (
        event_proposals(expulsion_article).first()
        or services.extract_for_article(expulsion_article).created[0]
    )
    assert (proposal.start, proposal.start_precision) == (
        dt.date(2022, 1, 31),
        "day",
    )  # "Monday" before 1 Feb
    assert proposal.evidence.startswith("Mali's military government expelled")
    roles = {(p.actor.slug, p.role) for p in proposal.participants.all()}
    assert roles == {("mali", "initiator"), ("france", "target")}
    # The demo registry's "Mali expels France's ambassador" is dated 2022 (year): compatible.
    assert proposal.matched_event.slug == "mali-expels-french-ambassador"


def test_accepting_a_proposal_that_fits_links_the_article_instead_of_creating_an_event(expulsion_article):
    proposal = services.extract_for_article(expulsion_article).created[0]
    events_before = Event.objects.count()
    services.accept(proposal)
    event = Event.objects.get(slug="mali-expels-french-ambassador")
    assert Event.objects.count() == events_before
    source = EventSource.objects.get(event=event, article=expulsion_article)
    assert source.evidence == proposal.evidence
    # The article's more precise date is a claim sourced to it; the event keeps its own year.
    event.refresh_from_db()
    assert (event.start, event.start_precision) == (dt.date(2022, 1, 1), "year")
    claim = EventDateClaim.objects.get(event=event, source=expulsion_article.title)
    assert (claim.date, claim.precision) == (dt.date(2022, 1, 31), "day")
    assert EventProposal.objects.get(pk=proposal.pk).event == event


def test_accepting_a_new_event_creates_it_approved_with_the_article_as_source(demo_registry, editor):
    page = write_article(
        title="Chad bars French aid groups",
        paragraphs=["Chad banned French relief organisations on Tuesday."],
        on="2025-03-13",
    )
    proposal = services.extract_for_article(page).created[0]
    assert proposal.matched_event is None
    services.accept(proposal, user=editor, title="Chad bans French aid groups")
    event = Event.objects.get(title="Chad bans French aid groups")
    assert event.review_status == "approved" and event.event_type == "ban"
    assert (event.start, event.start_precision) == (dt.date(2025, 3, 11), "day")
    assert {(p.actor.slug, p.role) for p in event.participants.all()} == {
        ("chad", "initiator"),
        ("france", "target"),
    }
    assert EventSource.objects.filter(event=event, article=page).exists()
    assert EventProposal.objects.get(pk=proposal.pk).reviewed_by == editor


def test_merge_links_the_article_to_the_event_the_editor_chooses(demo_registry):
    page = write_article(
        title="A ban in Niger",
        paragraphs=["Niger banned French relief organisations on Monday."],
        on="2025-03-13",
    )
    proposal = services.extract_for_article(page).created[0]
    target = Event.objects.get(slug="niger-bans-french-ngos")
    assert proposal.matched_event is None  # 2025 does not fit the 2023 event
    services.merge(proposal, into=target)
    assert EventSource.objects.filter(event=target, article=page).exists()
    assert EventProposal.objects.get(pk=proposal.pk).status == ProposalStatus.MERGED


def test_leaving_an_organisation_proposes_the_end_of_membership_applied_only_on_accept(demo_registry):
    page = write_article(
        title="Niger quits the African Union",
        paragraphs=["Niger announced on Sunday that it was leaving the African Union."],
        on="2025-03-10",
    )
    created = services.extract_for_article(page).created
    change = next(p for p in created if p.kind == ProposalKind.RELATION)
    assert (change.subject.slug, change.predicate, change.object.slug, change.change) == (
        "niger",
        "member_of",
        "african-union",
        "end",
    )
    assert not ActorRelation.objects.filter(subject__slug="niger", object__slug="african-union").exists()
    services.accept(change)
    relation = ActorRelation.objects.get(subject__slug="niger", object__slug="african-union")
    assert (relation.end, relation.end_precision) == (dt.date(2025, 3, 9), "day")


def test_forming_an_alliance_proposes_membership_starting(demo_registry):
    page = write_article(
        title="A new pact",
        paragraphs=["Chad and Libya signed a charter in 2026, founding ECOWAS."],
        on="2026-05-01",
    )
    created = services.extract_for_article(page).created
    starts = {
        (p.subject.slug, p.object.slug)
        for p in created
        if p.kind == ProposalKind.RELATION and p.change == "start"
    }
    assert starts == {("chad", "ecowas"), ("libya", "ecowas")}
    proposal = next(p for p in created if p.kind == ProposalKind.RELATION and p.subject.slug == "chad")
    services.accept(proposal)
    relation = ActorRelation.objects.get(subject__slug="chad", object__slug="ecowas", end__isnull=True)
    assert (relation.start, relation.start_precision) == (dt.date(2026, 1, 1), "year")


def test_extract_events_command_reads_articles_since_a_day(expulsion_article, capsys):
    call_command("extract_events", "--since", "2000-01-01")
    assert "new proposal" in capsys.readouterr().out
    assert event_proposals(expulsion_article).count() == 1
    call_command("extract_events")
    assert event_proposals(expulsion_article).count() == 1
    with pytest.raises(CommandError, match="--since"):
        call_command("extract_events", "--since", "yesterday")


def test_a_wire_import_leaves_proposals_on_its_draft(demo_registry, sahel):
    from apps.tagging.services import import_item
    from apps.tagging.wire import WireItem

    item = WireItem(
        source_id="wire-test-1",
        headline="Niger cuts ties with Ukraine",
        standfirst="",
        paragraphs=["Niger broke off diplomatic relations with Ukraine on Tuesday."],
        date=dt.datetime(2024, 8, 7, 9, tzinfo=dt.UTC),
    )
    page = import_item(item=item, section=sahel, source="test")
    proposal = event_proposals(page).get(event_type="severance_of_ties")
    # A draft has no publication date: "Tuesday" resolves against the wire copy's own date.
    assert (proposal.start, proposal.start_precision) == (dt.date(2024, 8, 6), "day")
