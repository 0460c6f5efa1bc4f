"""Shared factories for pages (owned by the articles area; other areas import from here)."""

from __future__ import annotations

import factory
from django.utils.text import slugify
from wagtail.rich_text import RichText

from apps.articles.models import ArticleByline, ArticleCorrection, ArticlePage, Author
from apps.core.models import SectionPage


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Desk Writer {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    job_title = "Correspondent"


def paragraph(text: str) -> tuple[str, RichText]:
    return ("paragraph", RichText(f"<p>{text}</p>"))


class ArticlePageFactory(factory.django.DjangoModelFactory):
    """An article under a section. `publish=True` (default) publishes its first revision;
    `publish=False` leaves a never-published draft. Pass `parent=` a SectionPage (default:
    the first section), and child rows such as `actor_tags=[ArticleActor(actor=...)]`."""

    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"Ministers meet for round {n} of talks")
    slug = factory.LazyAttribute(lambda o: slugify(o.title)[:80])
    standfirst = "Delegations from the three Sahel capitals compared notes on security and trade."
    body = factory.LazyFunction(
        lambda: [paragraph("The meeting ended with a short joint statement and no questions taken.")]
    )
    kind = "news"
    language = "en"

    @classmethod
    def _create(cls, model_class, *args, parent=None, publish=True, authors=None, corrections=None, **kwargs):
        parent = parent or SectionPage.objects.order_by("path").first()
        page = model_class(*args, **kwargs)
        page.bylines = [ArticleByline(author=author) for author in (authors or [AuthorFactory()])]
        page.corrections = [ArticleCorrection(date=d, text=t) for d, t in (corrections or [])]
        page.live = False
        parent.add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
            page.refresh_from_db()
        return page
