"""Admin forms for partners and keys."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from apps.partners.models import MAX_LIVE_KEYS, ApiKey, Partner
from apps.partners.selectors import live_keys


class PartnerForm(WagtailAdminModelForm):
    class Meta:
        model = Partner
        fields = [
            "name",
            "contact_name",
            "contact_email",
            "active",
            "rate_tier",
            "all_sections",
            "sections",
            "notes",
        ]
        widgets = {"sections": forms.CheckboxSelectMultiple}


class ApiKeyCreateForm(WagtailAdminModelForm):
    class Meta:
        model = ApiKey
        fields = ["partner", "label", "expires_at"]

    def clean_expires_at(self):
        expires_at = self.cleaned_data.get("expires_at")
        if expires_at is not None and expires_at <= timezone.now():
            raise forms.ValidationError("The expiry date must be in the future.")
        return expires_at

    def clean(self):
        cleaned = super().clean()
        partner = cleaned.get("partner")
        if partner is not None and live_keys(partner).count() >= MAX_LIVE_KEYS:
            raise forms.ValidationError(
                f"{partner.name} already has {MAX_LIVE_KEYS} live keys; revoke one before creating another."
            )
        return cleaned


class ApiKeyEditForm(WagtailAdminModelForm):
    revoke = forms.BooleanField(
        required=False,
        help_text="Revoke this key now. Requests with it get 401 at once; this cannot be undone.",
    )

    class Meta:
        model = ApiKey
        fields = ["label", "expires_at"]
