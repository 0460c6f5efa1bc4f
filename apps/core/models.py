"""Site structure (home and sections), the desk's image model and its site settings."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page
from wagtail.search import index


class ImageRights(models.TextChoices):
    OWN = "own", "Own content (may be syndicated)"
    AGENCY = "agency", "Agency or third party (may be syndicated under our licence)"
    RESTRICTED = "restricted", "Rights-restricted (site only, never to partners)"


class NewsImage(AbstractImage):
    """Every image carries its credit and rights: articles show them and the API filters on them."""

    credit = models.CharField(
        max_length=255, blank=True, help_text="Photographer / agency, e.g. 'AFP / Jane Doe'."
    )
    caption = models.CharField(max_length=500, blank=True)
    alt_text = models.CharField(
        max_length=500, blank=True, help_text="Describe the image for readers who cannot see it."
    )
    rights = models.CharField(max_length=20, choices=ImageRights.choices, default=ImageRights.OWN)

    admin_form_fields = (*Image.admin_form_fields, "credit", "caption", "alt_text", "rights")

    @property
    def syndicable(self) -> bool:
        return self.rights != ImageRights.RESTRICTED

    @property
    def default_alt_text(self) -> str:
        return self.alt_text or super().default_alt_text


class NewsRendition(AbstractRendition):
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


@register_setting(icon="site")
class DeskSettings(BaseSiteSetting):
    """Who publishes this site: used in the footer, feeds and structured data."""

    publisher_name = models.CharField(max_length=120, default="Newsdesk")
    tagline = models.CharField(
        max_length=200, blank=True, default="Regional news, tagged to who did what, where and when."
    )
    contact_email = models.EmailField(blank=True)

    panels = [FieldPanel("publisher_name"), FieldPanel("tagline"), FieldPanel("contact_email")]

    class Meta:
        verbose_name = "desk settings"


class HomePage(Page):
    """The site's front page: one per site, directly under the tree root."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["core.SectionPage"]
    max_count_per_parent = 1

    LATEST_COUNT = 8
    STORIES_PER_SECTION = 4

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from apps.articles import selectors
        from apps.core.selectors import public_sections

        context = super().get_context(request, *args, **kwargs)
        sections = list(public_sections().child_of(self).order_by("path"))
        top = selectors.top_stories_by_section(
            section_ids=[section.pk for section in sections], per_section=self.STORIES_PER_SECTION
        )
        context["sections"] = sections
        context["section_stories"] = [(section, top.get(section.pk, [])) for section in sections]
        context["latest_articles"] = selectors.latest_articles(limit=self.LATEST_COUNT)
        return context


class SectionPage(Page):
    """A desk section such as "Sahel" or "Analysis"; articles live under it."""

    intro = models.TextField(blank=True, help_text="One or two sentences shown at the top of the section.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["core.HomePage"]
    subpage_types = ["articles.ArticlePage"]

    ARTICLES_PER_PAGE = 20

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from apps.articles import selectors

        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(selectors.section_articles(section_id=self.pk), self.ARTICLES_PER_PAGE)
        # get_page() clamps bad or out-of-range numbers to a real page instead of erroring.
        context["articles"] = paginator.get_page(request.GET.get("page"))
        return context
