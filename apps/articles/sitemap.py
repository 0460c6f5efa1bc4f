"""`/sitemap.xml`: Wagtail's site-aware sitemap, with articles filtered by the visibility rule.

Wagtail's own sitemap lists every live, public page and ignores `expire_at` and `go_live_at`.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.contrib.sitemaps import Sitemap

from apps.articles.models import ArticlePage
from apps.articles.selectors import visible_articles


class DeskSitemap(Sitemap):
    def items(self):
        article_type = ContentType.objects.get_for_model(ArticlePage)
        return (
            super().items().filter(~Q(content_type=article_type) | Q(pk__in=visible_articles().values("pk")))
        )
