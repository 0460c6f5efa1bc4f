"""Public registry pages: plain Django views over the selectors (docs/adr/0004-registry-public-pages.md)."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from wagtail import hooks

from apps.registry import selectors
from apps.registry.countries import COUNTRIES
from apps.registry.models import Actor, ActorKind, EventType

PAGE_SIZE = 50

# Apps above the registry add sections to the actor and event pages through the
# `register_actor_page_context` / `register_event_page_context` hooks: fn(request, record) -> dict.
# Each must run a fixed number of queries so the page's query count stays flat.
ACTOR_PAGE_CONTEXT_HOOK = "register_actor_page_context"
EVENT_PAGE_CONTEXT_HOOK = "register_event_page_context"

_COUNTRY_CHOICES = [("", "Any country"), *COUNTRIES]


class ActorFilterForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "Any kind"), *ActorKind.choices], required=False)
    country = forms.ChoiceField(choices=_COUNTRY_CHOICES, required=False)


class EventFilterForm(forms.Form):
    type = forms.ChoiceField(choices=[("", "Any type"), *EventType.choices], required=False)
    country = forms.ChoiceField(choices=_COUNTRY_CHOICES, required=False)
    year = forms.IntegerField(required=False, min_value=1900, max_value=2100)


def _page(request: HttpRequest, qs) -> object:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def actor_index(request: HttpRequest) -> HttpResponse:
    form = ActorFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "registry/actor_index.html", {"form": form, "page_obj": None}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    qs = selectors.actor_index(kind=data.get("kind", ""), country=data.get("country", ""))
    return render(request, "registry/actor_index.html", {"form": form, "page_obj": _page(request, qs)})


def actor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    actor = Actor.objects.select_related("image").filter(slug=slug).first()
    if actor is None:
        raise Http404("No such actor")
    if not actor.is_public:
        survivor = selectors.merged_survivor(actor)
        if survivor is None:
            raise Http404("No such actor")
        return redirect(survivor.get_absolute_url(), permanent=True)
    profile = selectors.actor_profile(actor, timeline_page=request.GET.get("page"))
    context = {"actor": actor, "profile": profile}
    for fn in hooks.get_hooks(ACTOR_PAGE_CONTEXT_HOOK):
        context.update(fn(request, actor))
    return render(request, "registry/actor_detail.html", context)


def event_index(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "registry/event_index.html", {"form": form, "page_obj": None}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    qs = selectors.event_index(
        event_type=data.get("type", ""), country=data.get("country", ""), year=data.get("year")
    )
    return render(request, "registry/event_index.html", {"form": form, "page_obj": _page(request, qs)})


def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    event = selectors.event_queryset_for_page().filter(slug=slug).first()
    if event is None:
        raise Http404("No such event")
    context = {"event": event, "profile": selectors.event_profile(event)}
    for fn in hooks.get_hooks(EVENT_PAGE_CONTEXT_HOOK):
        context.update(fn(request, event))
    return render(request, "registry/event_detail.html", context)


def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = selectors.public_places().select_related("parent").filter(slug=slug).first()
    if place is None:
        raise Http404("No such place")
    context = {
        "place": place,
        "aliases": list(place.aliases.all()),
        "events": list(selectors.place_events(place)[:PAGE_SIZE]),
        "children": list(selectors.public_places().filter(parent=place).order_by("name")),
    }
    return render(request, "registry/place_detail.html", context)
