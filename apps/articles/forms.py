"""The article editor's form: errors an editor must see where they are working."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page


class ArticlePageForm(WagtailAdminPageForm):
    def clean(self):
        slug = self.cleaned_data.get("slug")  # before Wagtail's check drops it from cleaned_data
        cleaned_data = super().clean()
        # Wagtail reports a clashing slug on the Promote tab only; the title is on Content, where
        # the editor is, and the slug usually comes from it.
        if (
            slug
            and "title" in self.fields
            and not Page._slug_is_available(slug, self.parent_page, self.instance)
        ):
            self.add_error(
                "title",
                forms.ValidationError(
                    "Another story in this section already has the address '%(slug)s'. Change the "
                    "headline, or the slug on the Promote tab.",
                    code="slug_clash",
                    params={"slug": slug},
                ),
            )
        return cleaned_data
