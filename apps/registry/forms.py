"""Admin forms: review-status permission, duplicate aliases/relations, and the merge form."""

from __future__ import annotations

from django import forms
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import InlinePanel
from wagtail.snippets.widgets import AdminSnippetChooser

from apps.registry.models import Actor, ReviewStatus


class NormalizingChildFormSet(BaseChildFormSet):
    """Check uniqueness across inline rows on the *stored* values.

    Aliases are unique on their folded text and relations on their normalised start, neither of
    which is what the user typed; the model's ``clean()`` computes them on the instance, and
    here they are copied into cleaned_data so "Mali" and "MALI" are caught before the database.
    """

    derived_fields = ("normalized", "start")

    def validate_unique(self):
        for form in self.forms:
            if form.is_valid() and form not in self.deleted_forms:
                for name in self.derived_fields:
                    if hasattr(form.instance, name) and name in self._unique_field_names():
                        form.cleaned_data[name] = getattr(form.instance, name)
        return super().validate_unique()

    def _unique_field_names(self) -> set[str]:
        names: set[str] = set()
        for constraint in self.model._meta.total_unique_constraints:
            names.update(constraint.fields)
        return names

    def get_unique_error_message(self, unique_check):
        if "normalized" in unique_check:
            return "Two aliases are the same once case and accents are ignored; keep one."
        return "Two rows below record the same relation; keep one."


class RegistryInlinePanel(InlinePanel):
    """An InlinePanel whose formset validates uniqueness on normalised values."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = NormalizingChildFormSet
        return options


class RegistryAdminForm(WagtailAdminModelForm):
    """Only users allowed to approve may make a record public (reporters propose)."""

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("review_status")
        model = self._meta.model
        perm = f"{model._meta.app_label}.approve_{model._meta.model_name}"
        was_approved = bool(self.instance.pk) and (
            model._default_manager.filter(pk=self.instance.pk, review_status=ReviewStatus.APPROVED).exists()
        )
        user = getattr(self, "for_user", None)
        if status == ReviewStatus.APPROVED and not was_approved and not (user and user.has_perm(perm)):
            self.add_error("review_status", "Only an editor can approve this record; save it as proposed.")
        return cleaned


class ActorAdminForm(RegistryAdminForm):
    def clean(self):
        cleaned = super().clean()
        relations = self.formsets.get("relations") if hasattr(self, "formsets") else None
        if relations is not None and self.instance.pk:
            for form in relations.forms:
                if form in relations.deleted_forms or not hasattr(form, "cleaned_data"):
                    continue
                other = form.cleaned_data.get("object")
                if other is not None and other.pk == self.instance.pk:
                    form.add_error("object", "An actor cannot be related to itself.")
        return cleaned

    def is_valid(self):
        # Errors added to child forms in clean() must also fail the whole form.
        valid = super().is_valid()
        relations = getattr(self, "formsets", {}).get("relations")
        if relations is not None and any(form.errors for form in relations.forms):
            return False
        return valid


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Actor.objects.none(),
        label="Merge into",
        help_text="The record to keep. This one will redirect to it.",
        widget=AdminSnippetChooser(Actor),
    )

    def __init__(self, *args, loser: Actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.loser = loser
        self.fields["survivor"].queryset = Actor.objects.filter(merged_into__isnull=True).exclude(pk=loser.pk)
        self.fields["survivor"].error_messages["invalid_choice"] = (
            "Choose another actor that has not itself been merged away."
        )
