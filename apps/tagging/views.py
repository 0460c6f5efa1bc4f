"""Admin endpoints behind the suggestion panel (mounted under /admin/tagging/ by wagtail_hooks)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST
from wagtail.models import Page

from apps.articles.models import EDITORIAL_FIELDS_PERMISSION, SyndicationRights
from apps.core.models import SectionPage
from apps.registry.models import ActorKind
from apps.tagging import selectors, services
from apps.tagging.forms import WireImportForm
from apps.tagging.models import SuggestionKind
from apps.tagging.wire import WireFormatError, read_bytes

MAX_TEXT = 200_000


def _editable_page(request: HttpRequest, page_id: int) -> Page:
    if selectors.posted_id(page_id) is None:
        raise Http404
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


@require_POST
def suggest(request: HttpRequest) -> JsonResponse:
    """Suggestions for the editor's current form text (posted by the panel, debounced)."""
    text = selectors.text_from_form(request.POST)
    if sum(len(v) for v in text.values()) > MAX_TEXT:
        return JsonResponse({"error": "text too long"}, status=413)
    page_id = request.POST.get("page_id") or None
    if page_id is not None:
        page_id = selectors.posted_id(page_id)
        if page_id is None:
            return JsonResponse({"error": "page_id must be a page's id"}, status=400)
        _editable_page(request, page_id)
    return JsonResponse(selectors.suggest(**text, page_id=page_id).as_dict())


@require_POST
def reject(request: HttpRequest, page_id: int) -> JsonResponse:
    page = _editable_page(request, page_id)
    kind = request.POST.get("type", "")
    object_id = selectors.posted_id(request.POST.get("id", ""))
    if kind not in SuggestionKind.values or object_id is None:
        return JsonResponse(
            {"error": "type must be actor, place or event and id a positive integer"}, status=400
        )
    services.reject_suggestion(page=page, kind=kind, object_id=object_id, user=request.user)
    return JsonResponse({"rejected": {"type": kind, "id": object_id}})


@require_POST
def propose_actor(request: HttpRequest) -> JsonResponse:
    if not request.user.has_perm("registry.add_actor"):
        raise PermissionDenied
    kind = request.POST.get("kind", "")
    if kind not in ActorKind.values:
        return JsonResponse({"error": "unknown actor kind"}, status=400)
    try:
        actor = services.propose_new_actor(name=request.POST.get("name", ""), kind=kind, user=request.user)
    except ValidationError as exc:
        return JsonResponse({"error": exc.messages}, status=400)
    return JsonResponse(
        {"id": actor.pk, "name": actor.name, "review_status": actor.review_status}, status=201
    )


def inbox(request: HttpRequest) -> TemplateResponse:
    """Upload or paste wire copy; see the drafts imports made."""
    sections = selectors.sections_for(request.user)
    if not sections:
        raise PermissionDenied
    queryset = SectionPage.objects.filter(pk__in=[s.pk for s in sections])
    can_set_rights = request.user.has_perm(EDITORIAL_FIELDS_PERMISSION)
    form = WireImportForm(
        request.POST or None, request.FILES or None, sections=queryset, can_set_rights=can_set_rights
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            items = read_bytes(data["raw"], name=data["name"], fmt=data["format"])
        except WireFormatError as exc:
            form.add_error(None, f"{data['name']}: {exc}")
        else:
            result = services.import_items(
                items=items,
                section=data["section"],
                source=data["name"],
                user=request.user,
                rights=data["rights"] if can_set_rights else SyndicationRights.AGENCY_SITE_ONLY,
            )
            messages.success(
                request, f"{len(result.created)} draft(s) created, {result.skipped} already imported."
            )
            return redirect("tagging:inbox")
    recent = selectors.recent_imports(sections)
    return TemplateResponse(request, "tagging/inbox.html", {"form": form, "imports": recent})
