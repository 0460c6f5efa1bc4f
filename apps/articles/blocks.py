"""The article body: a StreamField vocabulary shared by the editor, the templates and the API."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from apps.articles.embeds import is_allowed_embed_url
from apps.core.safe_links import drop_unsafe_links, unsafe_contentstate_links, validate_safe_links


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
    image = ImageChooserBlock()
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
    article = blocks.PageChooserBlock(page_type="articles.ArticlePage")
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
