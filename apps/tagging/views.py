"""Admin endpoints behind the suggestion panel (mounted under /admin/tagging/ by wagtail_hooks)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST
from wagtail.models import Page

from apps.registry.models import ActorKind
from apps.tagging import selectors, services
from apps.tagging.models import SuggestionKind

MAX_TEXT = 200_000


def _editable_page(request: HttpRequest, page_id) -> Page:
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
    if page_id:
        _editable_page(request, page_id)
    return JsonResponse(selectors.suggest(**text, page_id=page_id).as_dict())


@require_POST
def reject(request: HttpRequest, page_id: int) -> JsonResponse:
    page = _editable_page(request, page_id)
    kind = request.POST.get("type", "")
    try:
        object_id = int(request.POST.get("id", ""))
    except ValueError:
        object_id = 0
    if kind not in SuggestionKind.values or object_id <= 0:
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
