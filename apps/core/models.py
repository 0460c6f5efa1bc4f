"""Site structure (home and sections), the desk's image model and its site settings."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Page
from wagtail.search import index

from apps.core.public_urls import page_url
from apps.core.safe_links import unsafe_contentstate_links, validate_safe_links


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


def hook_context(hook_name: str, page: Page, request: HttpRequest) -> dict:
    """Merge what the apps above core add to a page's context (their listings, docs/adr/0008)."""
    context: dict = {}
    for provide in hooks.get_hooks(hook_name):
        context.update(provide(page, request))
    return context


def public_sitemap_urls(page: Page) -> list[dict]:
    """Wagtail's sitemap entry, on PUBLIC_BASE_URL instead of the Site record's hostname."""
    return [
        {"location": page_url(page), "lastmod": page.last_published_at or page.latest_revision_created_at}
    ]


class HomePageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        # The intro's rich text editor would empty an unsafe link silently: say so instead.
        unsafe = unsafe_contentstate_links(self.data.get("intro"))
        if unsafe:
            try:
                validate_safe_links("", also=unsafe)
            except ValidationError as error:
                self.add_error("intro", error)
        return cleaned_data


class HomePage(Page):
    """The site's front page: one per site, directly under the tree root.

    Its listings (sections with their stories, the latest stories) come from the
    `register_home_page_context` hook, registered by the articles app.
    """

    intro = RichTextField(blank=True, features=["bold", "italic", "link"], validators=[validate_safe_links])

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    base_form_class = HomePageForm
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["core.SectionPage"]
    max_count_per_parent = 1

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(hook_context("register_home_page_context", self, request))
        return context

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list[dict]:
        return public_sitemap_urls(self)


class SectionPage(Page):
    """A desk section such as "Sahel" or "Analysis".

    The page types that live under it say so in their own `parent_page_types` (articles), and
    its listing comes from the `register_section_page_context` hook.
    """

    intro = models.TextField(blank=True, help_text="One or two sentences shown at the top of the section.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    parent_page_types = ["core.HomePage"]

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(hook_context("register_section_page_context", self, request))
        return context

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list[dict]:
        return public_sitemap_urls(self)


class PeriodicJobState(models.Model):
    """A periodic job's state shared by every scheduler of the deployment (apps/core/scheduler.py):
    when it last started anywhere, and which scheduler holds it until when."""

    name = models.CharField(max_length=100, primary_key=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=10, blank=True)
    runs = models.PositiveBigIntegerField(default=0)
    locked_by = models.CharField(max_length=200, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
