"""The article body: a StreamField vocabulary shared by the editor, the templates and the API."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from apps.articles.embeds import is_allowed_embed_url
from apps.core.safe_links import drop_unsafe_links, unsafe_contentstate_links, validate_safe_links

# The records a submitted body's chooser blocks name, read in one query per chooser (the article
# form sets them around its validation: read_chosen). Wagtail's ChooserBlock looks each one up on
# its own, twice (reading the form and cleaning it): 2 queries per image or related-article block.
_chosen: ContextVar[dict[int, dict[str, Any]] | None] = ContextVar("chosen_records", default=None)


class ReadOnceChooser:
    """A ChooserBlock that takes its record from read_chosen's read when there is one; any value
    that read did not find (a deleted image, a malformed id) goes through Wagtail's own lookup
    and its own error."""

    def _read(self, value: Any) -> Any:
        records = _chosen.get()
        return None if records is None else records.get(id(self), {}).get(str(value))

    def value_from_form(self, value):
        if value not in (None, "") and not isinstance(value, self.model_class):
            record = self._read(value)
            if record is not None:
                return record
        return super().value_from_form(value)

    def clean(self, value):
        # The read used this block's own field queryset: the record it found is the one
        # ModelChoiceField.clean would fetch again.
        if isinstance(value, self.model_class) and self._read(value.pk) is value:
            return value
        return super().clean(value)


class ReadOnceImageChooserBlock(ReadOnceChooser, ImageChooserBlock):
    pass


class ReadOncePageChooserBlock(ReadOnceChooser, blocks.PageChooserBlock):
    pass


def _chooser_values(stream: blocks.StreamBlock, data: Mapping[str, Any], prefix: str) -> dict[int, set]:
    """The raw ids the submitted stream's struct blocks send to their ReadOnceChoosers, per chooser
    (Wagtail's names: `<prefix>-<n>-type`, `<prefix>-<n>-value-<child>`)."""
    values: dict[int, set] = {}
    try:
        count = int(data.get(f"{prefix}-count") or 0)
    except (TypeError, ValueError):
        return values  # Wagtail reports the malformed form itself
    for n in range(count):
        struct = stream.child_blocks.get(data.get(f"{prefix}-{n}-type"))
        for name, child in getattr(struct, "child_blocks", {}).items():
            raw = data.get(f"{prefix}-{n}-value-{name}")
            if isinstance(child, ReadOnceChooser) and isinstance(raw, str) and raw.isdigit():
                values.setdefault(id(child), set()).add(raw)
    return values


@contextmanager
def read_chosen(stream: blocks.StreamBlock, data: Mapping[str, Any], prefix: str) -> Iterator[None]:
    """While the form reads and cleans the body, its chooser blocks' records, one query each."""
    choosers = {
        id(child): child
        for struct in stream.child_blocks.values()
        for child in getattr(struct, "child_blocks", {}).values()
        if isinstance(child, ReadOnceChooser)
    }
    records = {
        key: {str(pk): record for pk, record in choosers[key].field.queryset.in_bulk(raw).items()}
        for key, raw in _chooser_values(stream, data, prefix).items()
    }
    token = _chosen.set(records)
    try:
        yield
    finally:
        _chosen.reset(token)


class SafeRichTextBlock(blocks.RichTextBlock):
    """Rich text whose links are checked: an unsafe scheme is a form error in the editor, and
    dropped on output should one reach the database some other way (an import, old data)."""

    def value_from_datadict(self, data, files, prefix):
        value = super().value_from_datadict(data, files, prefix)
        value.unsafe_links = unsafe_contentstate_links(data.get(prefix))
        return value

    def clean(self, value):
        unsafe = getattr(value, "unsafe_links", [])
        value = super().clean(value)
        validate_safe_links(value.source, also=unsafe)
        return value

    def render_basic(self, value, context=None):
        return drop_unsafe_links(str(value))


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(choices=[("h2", "Heading"), ("h3", "Subheading")], default="h2")

    class Meta:
        icon = "title"
        template = "articles/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock()
    attribution = blocks.CharBlock(
        max_length=200, help_text="Who said or wrote it, e.g. 'Abdoulaye Diop, Mali's foreign minister'."
    )

    class Meta:
        icon = "openquote"
        template = "articles/blocks/quote.html"


class ArticleImageBlock(blocks.StructBlock):
    image = ReadOnceImageChooserBlock()
    caption = blocks.CharBlock(
        required=False, max_length=500, help_text="Leave empty to use the image's caption."
    )
    credit = blocks.CharBlock(
        required=False, max_length=255, help_text="Leave empty to use the image's credit."
    )

    class Meta:
        icon = "image"
        template = "articles/blocks/image.html"


class AllowListedEmbedBlock(EmbedBlock):
    """Only providers whose player the site's CSP `frame-src` admits (YouTube, Vimeo)."""

    def clean(self, value):
        value = super().clean(value)
        if value is not None and not is_allowed_embed_url(value.url):
            raise ValidationError("Only YouTube and Vimeo videos can be embedded.")
        return value

    class Meta:
        icon = "media"
        template = "articles/blocks/embed.html"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120, default="Key facts")
    facts = blocks.ListBlock(blocks.CharBlock(max_length=300), min_num=1)

    class Meta:
        icon = "list-ul"
        template = "articles/blocks/fact_box.html"


class RelatedArticleBlock(blocks.StructBlock):
    article = ReadOncePageChooserBlock(page_type="articles.ArticlePage")
    label = blocks.CharBlock(required=False, max_length=60, default="Related")

    class Meta:
        icon = "link"
        template = "articles/blocks/related_article.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = SafeRichTextBlock(features=["bold", "italic", "link", "ol", "ul"])
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = ArticleImageBlock()
    embed = AllowListedEmbedBlock()
    fact_box = FactBoxBlock()
    related_article = RelatedArticleBlock()
