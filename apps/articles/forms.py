"""The article editor's form: errors an editor must see where they are working, and saves that
never trip over rows a concurrent autosave just wrote."""

from __future__ import annotations

from django import forms
from django.db import models
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page


def _once_per_page_field(formset) -> str | None:
    """The field a child row may hold only once per page (its UniqueConstraint with the page)."""
    parent = formset.fk.name
    for constraint in formset.model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if isinstance(constraint, models.UniqueConstraint) and len(fields) == 2 and parent in fields:
            return next(field for field in fields if field != parent)
    return None


def _load_chosen_records(formset) -> None:
    """The records a formset's choosers show (a tag's actor, a byline's author), in one query:
    each chooser would otherwise fetch its own record as it renders, one query per row."""
    target = _once_per_page_field(formset)
    if target is None:
        return
    field = formset.model._meta.get_field(target)
    ids = {getattr(form.instance, field.attname) for form in formset.forms} - {None}
    records = field.related_model._default_manager.in_bulk(ids)
    for form in formset.forms:
        widget = form.fields[target].widget
        if records and hasattr(widget, "get_instance"):
            lookup = widget.get_instance
            widget.get_instance = lambda value, lookup=lookup: records.get(value) or lookup(value)


class ArticlePageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for formset in self.formsets.values():
            if self.is_bound:
                self._claim_rows_saved_since_loading(formset)
            else:
                _load_chosen_records(formset)

    def _claim_rows_saved_since_loading(self, formset) -> None:
        """Point a row sent without an id at the page's row for the same record, if the form
        never had that row: an autosave still in flight when the editor pressed Submit created it,
        and the stale form re-sends it without the id the autosave's answer would have filled
        in. modelcluster then updates the row instead of inserting a twin (an IntegrityError)."""
        target = _once_per_page_field(formset)
        if target is None:
            return
        pk_name = formset.model._meta.pk.name
        sent_ids = {str(self.data.get(f"{form.prefix}-{pk_name}") or "") for form in formset.forms}
        saved_since = {
            str(row.serializable_value(target)): row
            for row in formset.get_queryset()
            if row.pk is not None and str(row.pk) not in sent_ids
        }
        for form in formset.forms:
            if form.instance.pk is not None or self.data.get(f"{form.prefix}-DELETE"):
                continue
            row = saved_since.pop(str(self.data.get(f"{form.prefix}-{target}") or ""), None)
            if row is not None:
                # The submitted values go onto the saved row when the form is cleaned; fields
                # not in the form (e.g. a tag's origin) keep what was saved.
                form.instance = row

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
