"""Admin views beyond Wagtail's generic ones: the actor merge."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from apps.registry.forms import MergeForm
from apps.registry.models import Actor
from apps.registry.services import merge_actors

MERGE_PERMISSION = "registry.merge_actor"


def merge_actor_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the survivor, then merge this actor into it (POST); editors only."""
    if not request.user.has_perm(MERGE_PERMISSION):
        raise PermissionDenied
    loser = get_object_or_404(Actor, pk=pk)
    if loser.merged_into_id:
        messages.error(request, f"“{loser}” was already merged into “{loser.merged_into}”.")
        return redirect(reverse("wagtailsnippets_registry_actor:edit", args=[loser.pk]))
    form = MergeForm(request.POST or None, loser=loser)
    if request.method == "POST" and form.is_valid():
        survivor = form.cleaned_data["survivor"]
        try:
            report = merge_actors(loser=loser, survivor=survivor, user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            summary = f"Merged “{loser}” into “{survivor}”: {sum(report.moved.values())} rows moved"
            if report.collapsed:
                summary += f", {len(report.collapsed)} duplicates collapsed"
            if report.dropped_self_relations:
                summary += f", {len(report.dropped_self_relations)} self-relations dropped: " + "; ".join(
                    report.dropped_self_relations
                )
            messages.success(request, summary + ".")
            return redirect(reverse("wagtailsnippets_registry_actor:edit", args=[survivor.pk]))
    return TemplateResponse(
        request,
        "registry/admin/merge.html",
        {"form": form, "loser": loser, "header_title": f"Merge “{loser}”"},
        status=400 if request.method == "POST" else 200,
    )
