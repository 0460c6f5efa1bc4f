"""Feeds, search and /favicon.ico. Included by newsdesk/urls.py before Wagtail's catch-all."""

from django.urls import path, re_path

from apps.articles import feeds, views
from apps.core.views import favicon
from apps.registry import urls as registry_urls

app_name = "articles"

# The registry's pages (/actors/<slug>/...) are mounted after these patterns: their first
# segments are left to them.
_REGISTRY_PREFIXES = "|".join(sorted({str(p.pattern).split("/")[0] for p in registry_urls.urlpatterns}))

urlpatterns = [
    path("search/", views.search, name="search"),
    # Core's one public route; newsdesk/urls.py mounts the site's non-page URLs from here.
    path("favicon.ico", favicon, name="favicon"),
    path("feeds/rss.xml", feeds.SiteFeed(), name="site_rss"),
    path("feeds/atom.xml", feeds.SiteAtomFeed(), name="site_atom"),
    path("feeds/sections/<slug:slug>/rss.xml", feeds.SectionFeed(), name="section_rss"),
    path("feeds/sections/<slug:slug>/atom.xml", feeds.SectionAtomFeed(), name="section_atom"),
    path("feeds/actors/<slug:slug>/rss.xml", feeds.ActorFeed(), name="actor_rss"),
    path("feeds/actors/<slug:slug>/atom.xml", feeds.ActorAtomFeed(), name="actor_atom"),
    path("feeds/events/<slug:slug>/rss.xml", feeds.EventFeed(), name="event_rss"),
    path("feeds/events/<slug:slug>/atom.xml", feeds.EventAtomFeed(), name="event_atom"),
    # An article's address, served without Wagtail's level-by-level routing (views.serve_article).
    re_path(rf"^(?!(?:{_REGISTRY_PREFIXES})/)(?P<path>[-\w]+/[-\w]+/)$", views.serve_article, name="article"),
]
