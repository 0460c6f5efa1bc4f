"""The editor's Kill action: a confirmation form asking why, then the kill service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.models import Page

from apps.articles.models import ArticlePage
from apps.changes import services
from apps.changes.forms import KillForm
from apps.core.services import EDITORS


def can_kill(user, page: Page) -> bool:
    """Editors (and superusers) who may unpublish the page."""
    if not user.is_authenticated:
        return False
    is_editor = user.is_superuser or user.groups.filter(name=EDITORS).exists()
    return is_editor and page.permissions_for_user(user).can_unpublish()


def kill_view(request: HttpRequest, page_id: int) -> HttpResponse:
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, ArticlePage) or not can_kill(request.user, page):
        raise PermissionDenied
    form = KillForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.kill_article(
            page=page,
            category=form.cleaned_data["category"],
            reason=form.cleaned_data["reason"],
            user=request.user,
        )
        messages.success(
            request, f"'{page.title}' was killed: unpublished, schedule cancelled, partners told."
        )
        return redirect(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    return TemplateResponse(request, "changes/kill.html", {"page": page, "form": form}, status=200)
