"""Articles: the page model, its authors, bylines, corrections and registry tags.

Bylines, corrections and tags are ParentalKey children of the page, so they are stored in
every revision and only reach the database tables (which the site and API read) when a
revision is published: a tag added to a draft stays in the draft (docs/adr/0005).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.http import Http404, HttpRequest
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import get_all_child_relations, model_from_serializable_data
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.search import index

from apps.articles.blocks import ArticleBodyBlock
from apps.articles.forms import ArticlePageForm
from apps.articles.panels import HookedPanels
from apps.core.models import SectionPage
from apps.core.public_urls import page_url
from newsdesk.slugs import unique_slug


class ArticleKind(models.TextChoices):
    NEWS = "news", "News"
    ANALYSIS = "analysis", "Analysis"
    OPINION = "opinion", "Opinion"
    EXPLAINER = "explainer", "Explainer"


class ArticleLanguage(models.TextChoices):
    ENGLISH = "en", "English"
    FRENCH = "fr", "French"


class SyndicationRights(models.TextChoices):
    OWN = "own", "Own content: may be passed on to partners"
    AGENCY_SITE_ONLY = "agency", "Agency copy: publish on our site only, never to partners"


class TagRole(models.TextChoices):
    SUBJECT = "subject", "Subject"
    MENTIONED = "mentioned", "Mentioned"


class TagOrigin(models.TextChoices):
    MANUAL = "manual", "Added by hand"
    SUGGESTED = "suggested", "Suggested from the text"


class Author(index.Indexed, models.Model):
    """A person who writes for the desk; bylines point here (a snippet, chosen in the editor)."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=120, unique=True, blank=True, help_text="Leave empty to make one from the name."
    )
    job_title = models.CharField(max_length=120, blank=True, help_text="e.g. 'Sahel correspondent'.")
    bio = models.TextField(blank=True)
    photo = models.ForeignKey(
        "core.NewsImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("job_title"),
        FieldPanel("bio"),
        FieldPanel("photo"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            # Two writers may share a name: the second gets "-2" instead of an IntegrityError.
            self.slug = unique_slug(Author, self.name, pk=self.pk, max_length=120, fallback="author")
        super().save(*args, **kwargs)


EDITORIAL_FIELDS_PERMISSION = "articles.set_editorial_fields"


class ArticlePage(Page):
    """One story. Lives only under a SectionPage; `section` mirrors that parent for the API."""

    # Kept equal to the parent section by save() and the post_page_move receiver; the API
    # filters and pages on it, so it must not need a tree query.
    section = models.ForeignKey(
        "core.SectionPage", null=True, editable=False, on_delete=models.SET_NULL, related_name="articles"
    )
    standfirst = models.TextField(
        max_length=400, help_text="One or two sentences under the headline that say what happened."
    )
    body = StreamField(ArticleBodyBlock())
    kind = models.CharField(max_length=20, choices=ArticleKind.choices, default=ArticleKind.NEWS)
    language = models.CharField(
        max_length=5, choices=ArticleLanguage.choices, default=ArticleLanguage.ENGLISH
    )
    dateline = models.ForeignKey(
        "registry.Place",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="datelined_articles",
        help_text="Where the story was reported from.",
    )
    hero_image = models.ForeignKey(
        "core.NewsImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source_attribution = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where the copy comes from when it is not entirely ours, e.g. 'With agency reporting'.",
    )
    syndication_rights = models.CharField(
        max_length=20, choices=SyndicationRights.choices, default=SyndicationRights.OWN
    )
    top_story = models.BooleanField(
        default=False, help_text="Show first in its section and among the top stories on the home page."
    )
    # First publication; set once by save() and kept across revisions by with_content_json().
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        verbose_name="meaningful update",
        help_text="Set when the story changed in substance (new facts, a correction). "
        "Typo fixes should leave it alone. Partners sync on this date.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("standfirst"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("language")]),
        InlinePanel("bylines", heading="Bylines", label="Byline", min_num=1),
        FieldPanel("dateline"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        FieldPanel("source_attribution"),
        InlinePanel("corrections", heading="Corrections", label="Correction"),
    ]
    tag_panels = [
        HelpPanel(
            content="Tag who and what the story is about. Subject = the story is about it; "
            "mentioned = it appears in passing. Tags go public only when this version is published."
        ),
        InlinePanel("actor_tags", heading="Actors", label="Actor"),
        InlinePanel("event_tags", heading="Events", label="Event"),
        InlinePanel("place_tags", heading="Places", label="Place"),
        HookedPanels("register_article_tag_panels", heading="Suggested tags"),
    ]
    editorial_panels = [
        MultiFieldPanel(
            [
                FieldPanel("syndication_rights", permission=EDITORIAL_FIELDS_PERMISSION),
                FieldPanel("top_story", permission=EDITORIAL_FIELDS_PERMISSION),
                FieldPanel("updated_at", permission=EDITORIAL_FIELDS_PERMISSION),
            ],
            heading="Editorial (editors only)",
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(tag_panels, heading="Tags"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList([*editorial_panels, *Page.settings_panels], heading="Settings"),
        ]
    )

    base_form_class = ArticlePageForm

    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
        index.FilterField("section"),
        index.FilterField("kind"),
        index.FilterField("language"),
        index.FilterField("syndication_rights"),
        index.FilterField("published_at"),
        index.FilterField("updated_at"),
        index.FilterField("go_live_at"),
        index.FilterField("expire_at"),
        index.FilterField("top_story"),
    ]

    parent_page_types = ["core.SectionPage"]
    subpage_types: list[str] = []
    # A copy is a new story: its own first publication, and the section of wherever it lands.
    exclude_fields_in_copy = ["section", "published_at", "updated_at"]

    class Meta:
        verbose_name = "article"
        # Wagtail drops these fields from the form of anyone without the permission (Editors have it).
        permissions = [
            ("set_editorial_fields", "Can set syndication rights, top story and meaningful update")
        ]
        indexes = [
            # The API's two orderings: per section by first publication, and the change feed.
            models.Index(fields=["section", "published_at", "page_ptr"], name="article_section_pub_idx"),
            models.Index(fields=["updated_at", "page_ptr"], name="article_updated_idx"),
            models.Index(fields=["published_at", "page_ptr"], name="article_pub_idx"),
            # The public section listing and the home page's top stories, in their exact order
            # (pinned first, then newest first): a walk of a few rows per section instead of
            # sorting every visible article of it (docs/adr/0016).
            models.Index(
                F("section"),
                F("top_story").desc(),
                F("published_at").desc(),
                F("page_ptr").desc(),
                name="article_section_listing_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ArticleKind.values), name="article_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=ArticleLanguage.values), name="article_language_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(syndication_rights__in=SyndicationRights.values),
                name="article_syndication_valid",
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.path and self.section_id is None:
            self.section_id = self._section_id_from_tree()
        if self.live and self.published_at is None:
            # Wagtail sets first_published_at just before this save when a revision goes live.
            self.published_at = self.first_published_at or timezone.now()
            if self.updated_at is None:
                self.updated_at = self.published_at
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "live" in update_fields:
            kwargs["update_fields"] = {*update_fields, "published_at", "updated_at", "section"}
        super().save(*args, **kwargs)

    def _section_id_from_tree(self) -> int | None:
        parent_path = self.path[: -self.steplen]
        return SectionPage.objects.filter(path=parent_path).values_list("pk", flat=True).first()

    def with_content_json(self, content: dict) -> ArticlePage:
        # A revision carries the values of the day it was saved; where the page sits and when
        # it first went out belong to the page as a whole.
        obj = super().with_content_json(content)
        obj.section_id = self.section_id
        obj.published_at = self.published_at
        if obj.updated_at is None:
            obj.updated_at = self.updated_at
        return obj

    @classmethod
    def from_serializable_data(cls, data: dict, check_fks: bool = True, strict_fks: bool = False):
        # A revision's children (bylines, corrections, tags) are checked by modelcluster with
        # one query per foreign key per row, the page itself included: ~2 queries per tag on
        # every editor load, several times per draft save. Check each target model once.
        if not check_fks:
            return super().from_serializable_data(data, check_fks, strict_fks)
        relations = {name: model for name, model in _child_models(cls) if name in data}
        page_data = {key: value for key, value in data.items() if key not in relations}
        obj = super().from_serializable_data(page_data, check_fks, strict_fks)
        if obj is not None:
            for name, model in relations.items():
                rows = _rows_with_existing_targets(model, data[name])
                setattr(
                    obj, name, [model_from_serializable_data(model, row, check_fks=False) for row in rows]
                )
        return obj

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any):
        # selectors import this module's models, so the page reaches them at call time.
        from apps.articles.selectors import visible_article_for_serving

        # Wagtail routes on `live` alone and ignores expire_at; the visibility rule decides.
        # View restrictions were already enforced by Wagtail's before_serve_page hook.
        if not getattr(self, "checked_visible", False):  # set by selectors.article_for_serving
            visible = visible_article_for_serving(self, now=timezone.now())
            if visible is None:
                raise Http404
            # Reuse the section and dateline fetched with the check (two queries fewer per view).
            self.section, self.dateline = visible.section, visible.dateline
        return super().serve(request, *args, **kwargs)

    def get_view_restrictions(self):
        # The serving query already asked whether a restriction covers this page's path
        # (selectors.article_for_serving): Wagtail would ask again in two queries. An alias
        # takes its source's restrictions, which only Wagtail's own lookup follows.
        if (
            getattr(self, "is_view_restricted", None) is False
            and self.alias_of_id is None
            and self.section is not None
            and self.section.alias_of_id is None
        ):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict:
        from apps.articles import selectors  # selectors import this module (see serve)

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.article_page_context(self, request=request))
        return context

    def get_sitemap_urls(self, request: HttpRequest | None = None) -> list[dict]:
        return [{"location": page_url(self), "lastmod": self.modified_at}]

    @property
    def modified_at(self) -> datetime | None:
        return self.updated_at or self.published_at or self.last_published_at

    @property
    def is_syndicable(self) -> bool:
        return self.syndication_rights == SyndicationRights.OWN


def _child_models(cls) -> list[tuple[str, type[models.Model]]]:
    """This app's ParentalKey children of ``cls`` (bylines, corrections, tags), by accessor."""
    return [
        (rel.get_accessor_name(), rel.related_model)
        for rel in get_all_child_relations(cls)
        if rel.related_model._meta.app_label == "articles"
    ]


def _rows_with_existing_targets(model: type[models.Model], rows: list[dict]) -> list[dict]:
    """modelcluster's rules for a child row whose foreign key points at a deleted record
    (CASCADE: the row is dropped; SET_NULL: the key is cleared; DO_NOTHING: kept as is), with
    one query per foreign key instead of one per row."""
    for field in model._meta.concrete_fields:
        if not field.many_to_one or isinstance(field, ParentalKey):
            continue  # the parent is the page being built
        target = field.target_field
        wanted = {target.to_python(row[field.name]) for row in rows if row.get(field.name) is not None}
        if not wanted:
            continue
        found = set(
            field.related_model._default_manager.filter(**{f"{target.name}__in": wanted}).values_list(
                target.name, flat=True
            )
        )
        on_delete = field.remote_field.on_delete
        kept = []
        for row in rows:
            value = row.get(field.name)
            if value is None or target.to_python(value) in found or on_delete is models.DO_NOTHING:
                kept.append(row)
            elif on_delete is models.SET_NULL:
                kept.append({**row, field.name: None})
            elif on_delete is not models.CASCADE:
                raise ValueError(f"{model.__name__}.{field.name} points at a deleted record")
        rows = kept
    return rows


class ArticleByline(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="bylines")
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        constraints = [models.UniqueConstraint(fields=["page", "author"], name="byline_author_once_per_page")]

    def __str__(self) -> str:
        return str(self.author)


class ArticleCorrection(Orderable):
    """A published correction: shown in a box on the article, never silently edited away."""

    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="corrections")
    date = models.DateField(default=timezone.localdate)
    text = models.TextField(help_text="What was wrong and what is right now.")

    panels = [FieldPanel("date"), FieldPanel("text")]

    class Meta(Orderable.Meta):
        ordering = ["sort_order", "date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.text[:60]}"


class ArticleTag(models.Model):
    """What every tag shares. Concrete tags are ParentalKey children, so drafts keep their own."""

    role = models.CharField(max_length=10, choices=TagRole.choices, default=TagRole.SUBJECT)
    relevance = models.FloatField(
        default=1.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="0 to 1: how central this is to the story.",
    )
    origin = models.CharField(max_length=10, choices=TagOrigin.choices, default=TagOrigin.MANUAL)
    confirmed = models.BooleanField(
        default=True, help_text="Only confirmed tags are public. Suggested tags start unconfirmed."
    )

    tag_panels = [FieldRowPanel([FieldPanel("role"), FieldPanel("relevance"), FieldPanel("confirmed")])]

    class Meta:
        abstract = True

    @classmethod
    def tag_constraints(cls, prefix: str, target: str) -> list:
        return [
            models.UniqueConstraint(fields=["page", target], name=f"{prefix}_once_per_page"),
            models.CheckConstraint(
                condition=models.Q(relevance__gte=0.0, relevance__lte=1.0), name=f"{prefix}_relevance_0_1"
            ),
            models.CheckConstraint(condition=models.Q(role__in=TagRole.values), name=f"{prefix}_role_valid"),
            models.CheckConstraint(
                condition=models.Q(origin__in=TagOrigin.values), name=f"{prefix}_origin_valid"
            ),
        ]


class ArticleActor(ArticleTag):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="actor_tags")
    actor = models.ForeignKey("registry.Actor", on_delete=models.CASCADE, related_name="article_tags")

    panels = [FieldPanel("actor"), *ArticleTag.tag_panels]

    class Meta:
        constraints = ArticleTag.tag_constraints("article_actor", "actor")
        indexes = [models.Index(fields=["actor", "confirmed"], name="article_actor_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.actor} ({self.role})"

    @property
    def record(self):
        return self.actor


class ArticleEvent(ArticleTag):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="event_tags")
    event = models.ForeignKey("registry.Event", on_delete=models.CASCADE, related_name="article_tags")

    panels = [FieldPanel("event"), *ArticleTag.tag_panels]

    class Meta:
        constraints = ArticleTag.tag_constraints("article_event", "event")
        indexes = [models.Index(fields=["event", "confirmed"], name="article_event_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.event} ({self.role})"

    @property
    def record(self):
        return self.event


class ArticlePlace(ArticleTag):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="place_tags")
    place = models.ForeignKey("registry.Place", on_delete=models.CASCADE, related_name="article_tags")

    panels = [FieldPanel("place"), *ArticleTag.tag_panels]

    class Meta:
        constraints = ArticleTag.tag_constraints("article_place", "place")
        indexes = [models.Index(fields=["place", "confirmed"], name="article_place_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.place} ({self.role})"

    @property
    def record(self):
        return self.place
