"""Public views that are not pages: the search page, and article lists on registry pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.models import Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from apps.articles.selectors import (
    article_for_serving,
    articles_about_actor,
    articles_about_event,
    search_articles,
)
from apps.registry.models import Actor, Event

RESULTS_PER_PAGE = 20
MAX_QUERY_LENGTH = 200


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    results_page = None
    if query:
        paginator = Paginator(search_articles(query=query), RESULTS_PER_PAGE)
        results_page = paginator.get_page(request.GET.get("page"))
    context = {"query": query, "results": results_page, "query_string": "&" + urlencode({"q": query})}
    return TemplateResponse(request, "articles/search.html", context)


def serve_article(request: HttpRequest, path: str) -> HttpResponse:
    """An article's address ("<section>/<story>/"), found in one query and handed to Wagtail's
    own serve view (its hooks, view restrictions, the page's serve()). Anything else at such an
    address (a draft, a 404) goes through Wagtail's usual tree walk."""
    site = Site.find_for_request(request)
    page = article_for_serving(site_root=site.root_page, path=path) if site else None
    if page is not None:
        # Wagtail's serve view takes the route from here when it is set (Page.route_for_request).
        request._wagtail_route_for_request = RouteResult(page)
    return wagtail_serve(request, path)


# Sections on the registry's actor and event pages (registered in wagtail_hooks.py).
TAGGED_ARTICLES_ON_RECORD_PAGE = 20


def actor_page_articles(request: HttpRequest, actor: Actor) -> dict:
    """Visible articles tagged with the actor: a fixed number of queries, whatever the count."""
    articles = list(articles_about_actor(actor=actor)[:TAGGED_ARTICLES_ON_RECORD_PAGE])
    return {
        "tagged_articles": articles,
        "tagged_heading": f"Stories about {actor.name}",
        "tagged_feed_rss": reverse("articles:actor_rss", kwargs={"slug": actor.slug}),
        "tagged_feed_atom": reverse("articles:actor_atom", kwargs={"slug": actor.slug}),
    }


def event_page_articles(request: HttpRequest, event: Event) -> dict:
    """Provenance: the visible articles that reported the event."""
    articles = list(articles_about_event(event=event)[:TAGGED_ARTICLES_ON_RECORD_PAGE])
    return {
        "tagged_articles": articles,
        "tagged_heading": "Reported in",
        "tagged_feed_rss": reverse("articles:event_rss", kwargs={"slug": event.slug}),
        "tagged_feed_atom": reverse("articles:event_atom", kwargs={"slug": event.slug}),
    }
