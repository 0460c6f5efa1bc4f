"""RSS 2.0 and Atom feeds of the whole site, per section, per actor and per event, through the
visibility rule."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from apps.articles import selectors
from apps.articles.models import ArticlePage
from apps.core.models import DeskSettings, SectionPage
from apps.core.public_urls import absolute_url, page_url
from apps.core.selectors import public_sections
from apps.registry.models import Actor, Event
from apps.registry.selectors import public_actors, public_events

FEED_LENGTH = 30


class ArticleFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request: HttpRequest, *args, **kwargs):
        self.request = request
        return self.get_subject(**kwargs)

    def get_subject(self, **kwargs):
        raise NotImplementedError

    def articles(self, obj) -> list[ArticlePage]:
        raise NotImplementedError

    def items(self, obj) -> list[ArticlePage]:
        return list(self.articles(obj)[:FEED_LENGTH])

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.standfirst

    # Absolute on PUBLIC_BASE_URL: Django's Feed would prefix relative links with the request's host.
    def feed_url(self, obj) -> str:
        return absolute_url(self.request.path)

    def item_link(self, item: ArticlePage) -> str:
        return page_url(item) or ""

    def item_guid(self, item: ArticlePage) -> str:
        return page_url(item) or ""

    item_guid_is_permalink = True

    def item_pubdate(self, item: ArticlePage) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: ArticlePage) -> datetime | None:
        return item.modified_at

    def item_author_name(self, item: ArticlePage) -> str:
        return ", ".join(byline.author.name for byline in item.bylines.all())

    def item_categories(self, item: ArticlePage) -> list[str]:
        return [item.section.title] if item.section_id else []


class SiteFeed(ArticleFeed):
    """Every public section's stories in one feed (the home page's autodiscovery link)."""

    def get_subject(self, **kwargs) -> DeskSettings:
        return DeskSettings.for_request(self.request)

    def title(self, obj: DeskSettings) -> str:
        return f"{obj.publisher_name}: latest stories"

    def link(self, obj: DeskSettings) -> str:
        return absolute_url("/")

    def description(self, obj: DeskSettings) -> str:
        return obj.tagline or f"Latest stories from {obj.publisher_name}."

    def articles(self, obj: DeskSettings):
        in_public_sections = selectors.visible_articles().filter(section__in=public_sections())
        return selectors.for_listing(selectors.newest_first(in_public_sections))


class SectionFeed(ArticleFeed):
    def get_subject(self, *, slug: str, **kwargs) -> SectionPage:
        section = public_sections().filter(slug=slug).first()
        if section is None:
            raise Http404("No such section")
        return section

    def title(self, obj: SectionPage) -> str:
        return f"{obj.title}: latest stories"

    def link(self, obj: SectionPage) -> str:
        return page_url(obj) or absolute_url("/")

    def description(self, obj: SectionPage) -> str:
        return obj.intro or f"Latest stories in {obj.title}."

    def articles(self, obj: SectionPage):
        return selectors.for_listing(selectors.newest_first(selectors.visible_articles(sections=[obj.pk])))


class ActorFeed(ArticleFeed):
    def get_subject(self, *, slug: str, **kwargs) -> Actor:
        return get_object_or_404(public_actors(), slug=slug)

    def title(self, obj: Actor) -> str:
        return f"Stories about {obj.name}"

    def link(self, obj: Actor) -> str:
        return absolute_url(obj.get_absolute_url())

    def description(self, obj: Actor) -> str:
        return f"Latest stories tagged with {obj.name}."

    def articles(self, obj: Actor):
        return selectors.articles_about_actor(actor=obj)


class EventFeed(ArticleFeed):
    def get_subject(self, *, slug: str, **kwargs) -> Event:
        return get_object_or_404(public_events(), slug=slug)

    def title(self, obj: Event) -> str:
        return f"Reporting on {obj.title}"

    def link(self, obj: Event) -> str:
        return absolute_url(obj.get_absolute_url())

    def description(self, obj: Event) -> str:
        return f"Stories that reported {obj.title}."

    def articles(self, obj: Event):
        return selectors.articles_about_event(event=obj)


class SiteAtomFeed(SiteFeed):
    feed_type = Atom1Feed
    subtitle = SiteFeed.description


class SectionAtomFeed(SectionFeed):
    feed_type = Atom1Feed
    subtitle = SectionFeed.description


class ActorAtomFeed(ActorFeed):
    feed_type = Atom1Feed
    subtitle = ActorFeed.description


class EventAtomFeed(EventFeed):
    feed_type = Atom1Feed
    subtitle = EventFeed.description
