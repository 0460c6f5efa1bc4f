"""The review queue in the admin (mounted under /admin/extraction/ by wagtail_hooks): editors
review every proposal; a reporter sees those on the articles they own."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse

from apps.articles.models import ArticlePage
from apps.articles.selectors import visible_articles
from apps.extraction import exports, selectors, services
from apps.extraction.forms import MergeForm, ProposalEditForm
from apps.extraction.models import EventProposal, ProposalKind, ProposalStatus
from apps.registry.selectors import public_events
from apps.tagging.selectors import posted_id


def _proposal(request: HttpRequest, pk: int) -> EventProposal:
    proposal = selectors.visible_proposals(request.user).filter(pk=pk).first()
    if proposal is None:
        raise Http404
    return proposal


def _reviewer(request: HttpRequest) -> None:
    if not selectors.can_review(request.user):
        raise PermissionDenied


def queue(request: HttpRequest) -> TemplateResponse:
    status = request.GET.get("status", ProposalStatus.PROPOSED)
    if status not in ProposalStatus.values:
        status = ProposalStatus.PROPOSED
    proposals = list(selectors.review_queue(request.user, status=status)[:200])
    return TemplateResponse(
        request,
        "extraction/queue.html",
        {
            "proposals": proposals,
            "status": status,
            "statuses": ProposalStatus.choices,
            "can_review": selectors.can_review(request.user),
        },
    )


def _initial(proposal: EventProposal) -> dict:
    return {
        "title": services.default_title(proposal),
        "event_type": proposal.event_type,
        "event_status": proposal.event_status,
        "date": proposal.start_iso,
        "end": proposal.end_iso,
        "place": proposal.place_id,
        "participants": "\n".join(f"{p.actor.slug}: {p.role}" for p in proposal.participants.all()),
    }


def detail(request: HttpRequest, pk: int) -> TemplateResponse | HttpResponse:
    proposal = _proposal(request, pk)
    edit_form = ProposalEditForm(initial=_initial(proposal))
    merge_form = MergeForm(initial={"into": proposal.matched_event_id})
    if request.method == "POST":
        _reviewer(request)
        action = request.POST.get("action", "")
        try:
            if action == "accept":
                if proposal.kind == ProposalKind.EVENT:
                    edit_form = ProposalEditForm(request.POST)
                    if not edit_form.is_valid():
                        raise ValidationError("Correct the errors below.")
                    data = edit_form.cleaned_data
                    proposal = services.edit(
                        proposal,
                        event_type=data["event_type"],
                        event_status=data["event_status"],
                        start=data["start"],
                        start_precision=data["start_precision"],
                        end=data["end_value"],
                        end_precision=data["end_precision"],
                        place=data["place"],
                        participants=data["participant_pairs"],
                    )
                    services.accept(proposal, user=request.user, title=data["title"])
                else:
                    services.accept(proposal, user=request.user)
                messages.success(request, "Accepted: the registry now has it, sourced to the article.")
                return redirect("extraction:queue")
            if action == "merge":
                merge_form = MergeForm(request.POST)
                if not merge_form.is_valid():
                    raise ValidationError("Choose the event this article reports.")
                services.merge(proposal, into=merge_form.cleaned_data["into"], user=request.user)
                messages.success(request, "Merged: the article is now a source of that event.")
                return redirect("extraction:queue")
            if action == "reject":
                services.reject(proposal, user=request.user)
                messages.success(request, "Rejected: it will not be proposed again for this article.")
                return redirect("extraction:queue")
            messages.error(request, "Unknown action.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return TemplateResponse(
        request,
        "extraction/detail.html",
        {
            "proposal": proposal,
            "evidence": selectors.evidence_in_context(proposal),
            "edit_form": edit_form,
            "merge_form": merge_form,
            "can_review": selectors.can_review(request.user) and proposal.status == ProposalStatus.PROPOSED,
        },
    )


def article(request: HttpRequest, page_id: int) -> TemplateResponse | HttpResponse:
    """An article's proposals, and the "Extract events" button (linked from the editor's menu)."""
    if posted_id(page_id) is None:
        raise Http404
    page = get_object_or_404(ArticlePage, pk=page_id)
    can_edit = page.permissions_for_user(request.user).can_edit()
    if not (can_edit or selectors.can_review(request.user) or page.owner_id == request.user.pk):
        raise PermissionDenied
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        result = services.extract_for_article(page)
        messages.success(
            request,
            f"{len(result.created)} new proposal(s); {result.existing} found before were left as they are.",
        )
        return redirect("extraction:article", page_id=page.pk)
    proposals = selectors.visible_proposals(request.user).filter(article=page).order_by("status", "pk")
    return TemplateResponse(
        request,
        "extraction/article.html",
        {"page": page, "proposals": list(proposals), "can_extract": can_edit},
    )


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Approved events for researchers (CSV or JSON); source articles are public ones."""
    if not request.user.has_perm("registry.view_event"):
        raise PermissionDenied
    records = exports.event_records(
        exports.export_queryset(public_events().order_by("pk")), articles=visible_articles()
    )
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(records), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.to_json(records), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="newsdesk-events.{fmt}"'
    return response
