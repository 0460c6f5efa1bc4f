"""The suggestion panel on the article editor's Tags tab (registered through the
``register_article_tag_panels`` hook; the behaviour is in static/tagging/suggestions.js)."""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.panels import Panel

from apps.tagging.suggestions import SUGGEST_THRESHOLD


class SuggestionPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "tagging/suggestion_panel.html"

        class Media:
            js = ["tagging/suggestions.js"]
            css = {"all": ["tagging/suggestions.css"]}

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page_id = getattr(self.instance, "pk", None)
            context.update(
                suggest_url=reverse("tagging:suggest"),
                reject_url=reverse("tagging:reject", args=[page_id]) if page_id else "",
                propose_url=reverse("tagging:propose_actor"),
                page_id=page_id or "",
                threshold=round(SUGGEST_THRESHOLD * 100),
            )
            return context
